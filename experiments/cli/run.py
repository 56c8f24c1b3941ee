"""``reintegrate run``: one scenario, one strategy, one seed; tables and a summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from model.run import run, write
from model.scenario import DEFAULT_SCENARIO, load_scenario


def add_scenario_arguments(p) -> None:
    """Arguments every command that reads a scenario shares."""
    p.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        help="a shipped scenario's name or a path to a scenario TOML file",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        dest="overrides",
        help="override a parameter, e.g. --set budget=250000 (repeatable)",
    )
    p.add_argument("--strategies-file", type=Path, help="a TOML file defining more strategies")


def register(sub) -> None:
    p = sub.add_parser("run", help="run one strategy on a scenario and write its tables")
    add_scenario_arguments(p)
    p.add_argument("--strategy", default="integrated", help="strategy name (default: integrated)")
    p.add_argument("--seed", type=non_negative_int, default=0, help="random seed (default: 0)")
    p.add_argument("--months", type=positive_int, default=24, help="months (default: 24)")
    p.add_argument("--out", type=Path, default=Path("results/run"), help="output directory")
    p.set_defaults(handler=handle)


def whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``, or a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not allowed; allowed: a whole number >= {minimum}"
            )
        return value

    return parse


positive_int, non_negative_int = whole_number(1), whole_number(0)


def handle(args) -> int:
    scenario = load_scenario(args.scenario, args.overrides, rng=args.seed)
    result = run(
        scenario, args.strategy, args.seed, args.months, strategies_file=args.strategies_file
    )
    paths = write(result, args.out)
    print(format_summary(result.summary))
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return 0


def format_summary(s: dict) -> str:
    def pct(x):
        return "n/a" if x is None else f"{100 * x:.1f}%"

    cost = s.get("cost_per_sustainable")
    lines = [
        f"scenario {s['scenario']} | strategy {s['strategy']} | seed {s['seed']} | "
        f"{s['months']} months | {s['n_returnees']} returnees",
        f"  sustainably reintegrated: {pct(s.get('share_sustainable_m6'))} at 6 months, "
        f"{pct(s.get('share_sustainable_m12'))} at 12, {pct(s.get('share_sustainable_m24'))} at 24",
        f"  scores (0-1): economic {s['economic']:.2f}, social {s['social']:.2f}, "
        f"psychosocial {s['psychosocial']:.2f}, composite {s['composite']:.2f}",
        f"  intending to re-migrate out of necessity: {pct(s.get('share_necessity'))}",
        f"  communities: tension {s['tension']:.2f}, non-migrant well-being "
        f"{s['nonmigrant_wellbeing']:.2f}",
        f"  spent {s['spent']:,.0f} of {s['budget']:,.0f} USD"
        + (f"; {cost:,.0f} USD per sustainably reintegrated returnee" if cost else ""),
    ]
    return "\n".join(lines)
