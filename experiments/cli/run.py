"""``reintegrate run``: one scenario, one strategy, one seed; tables and a summary."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from experiments.engine.outputs import OutputFolder
from model.inputs import ScenarioError
from model.run import run, write
from model.scenario import DEFAULT_SCENARIO, ReintegrationScenario, load_scenario

#: The longest run the command line makes: 50 years, the parameter table's longest programme.
MAX_MONTHS = 600


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
    p.add_argument("--seed", type=seed, default=0, help="random seed (default: 0)")
    p.add_argument("--months", type=months, default=24, help="months (default: 24)")
    add_out_arguments(p, Path("results/run"))
    p.set_defaults(handler=handle)


def add_out_arguments(p, default: Path) -> None:
    """``--out`` and ``--force``, for every command that writes one output folder."""
    p.add_argument("--out", type=Path, default=default, help=f"output folder (default: {default})")
    p.add_argument(
        "--force", action="store_true", help="replace an earlier output in --out as a whole"
    )


def whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number from ``minimum`` (to ``maximum``), or a one-line error."""
    allowed = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not allowed; allowed: a whole number {allowed}"
            )
        return value

    return parse


positive_int = whole_number(1)
months = whole_number(1, MAX_MONTHS)
#: Seeds fit the 64-bit columns of every table, with room for a comparison's seed + replicate.
seed = whole_number(0, 2**62)
#: Worker processes on one machine: more than this is a typo, not a machine.
workers = whole_number(1, 1024)


def require_returnees(scenario: ReintegrationScenario) -> None:
    """A run without returnees is valid to the model, but has no outcome to report."""
    if scenario.n_returnees < 1:
        raise ScenarioError(
            [f"population.n_returnees: {scenario.n_returnees} is not allowed here; allowed: at "
             "least 1, as the outcomes are shares of returnees"]
        )  # fmt: skip


def handle(args) -> int:
    folder = OutputFolder(args.out, "run", args.force)
    scenario = load_scenario(args.scenario, args.overrides, rng=args.seed)
    require_returnees(scenario)
    folder.check()  # before the run: a refused --out costs nothing
    result = run(
        scenario, args.strategy, args.seed, args.months, strategies_file=args.strategies_file
    )
    with folder as tmp:
        paths = write(result, tmp)
    print(format_summary(result.summary))
    print(f"wrote {', '.join(str(args.out / p.relative_to(tmp)) for p in paths.values())}")
    return 0


def format_summary(s: dict) -> str:
    """The run's summary in a few lines; an outcome nobody is left to have reads n/a (every
    returnee can have left again by the end of a long run)."""

    def pct(x):
        return "n/a" if _missing(x) else f"{100 * x:.1f}%"

    def score(x):
        return "n/a" if _missing(x) else f"{x:.2f}"

    cost = s.get("cost_per_sustainable")
    lines = [
        f"scenario {s['scenario']} | strategy {s['strategy']} | seed {s['seed']} | "
        f"{s['months']} months | {s['n_returnees']} returnees",
        f"  sustainably reintegrated: {pct(s.get('share_sustainable_m6'))} at 6 months, "
        f"{pct(s.get('share_sustainable_m12'))} at 12, {pct(s.get('share_sustainable_m24'))} at 24",
        f"  scores (0-1): economic {score(s['economic'])}, social {score(s['social'])}, "
        f"psychosocial {score(s['psychosocial'])}, composite {score(s['composite'])}",
        f"  intending to re-migrate out of necessity: {pct(s.get('share_necessity'))}",
        f"  communities: tension {score(s['tension'])}, non-migrant well-being "
        f"{score(s['nonmigrant_wellbeing'])}",
        f"  spent {s['spent']:,.0f} of {s['budget']:,.0f} USD"
        + (f"; {cost:,.0f} USD per sustainably reintegrated returnee"
           if not _missing(cost) and cost else ""),
    ]  # fmt: skip
    return "\n".join(lines)


def _missing(x) -> bool:
    return x is None or not math.isfinite(x)
