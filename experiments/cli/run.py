"""``reintegrate run``: one scenario, one strategy, one seed; tables and a summary."""

from __future__ import annotations

import math
from pathlib import Path

from experiments.cli.arguments import add_out_arguments, add_scenario_arguments, months, seed
from experiments.engine.outputs import OutputFolder
from experiments.engine.parquet import Behind, ParquetSink
from model.inputs import ScenarioError
from model.outcomes import DECLARED, REPORT_MONTHS
from model.overrides import overridden
from model.run import TABLE_FILES, run, write
from model.scenario import ReintegrationScenario, load_scenario


def register(sub) -> None:
    p = sub.add_parser("run", help="run one strategy on a scenario and write its tables")
    add_scenario_arguments(p)
    p.add_argument("--strategy", default="integrated", help="strategy name (default: integrated)")
    p.add_argument("--seed", type=seed, default=0, help="random seed (default: 0)")
    p.add_argument("--months", type=months, default=24, help="months (default: 24)")
    add_out_arguments(p, Path("results/run"))
    p.set_defaults(handler=handle)


def require_returnees(scenario: ReintegrationScenario, overrides: list[str] | None) -> None:
    """A run without returnees is valid to the model, but has no outcome to report. The line
    names ``--set`` where the number came from the command line, as the other ``--set``
    problems do."""
    if scenario.n_returnees < 1:
        where = "--set " if "n_returnees" in overridden(overrides) else ""
        raise ScenarioError(
            [
                f"{where}population.n_returnees: {scenario.n_returnees} is not allowed here; "
                "allowed: at least 1, as the outcomes are shares of returnees"
            ]
        )


def handle(args) -> int:
    folder = OutputFolder(args.out, "run", args.force)
    scenario = load_scenario(args.scenario, args.overrides, rng=args.seed)
    require_returnees(scenario, args.overrides)
    folder.check()  # before the run: a refused --out costs nothing
    with folder as tmp:
        returnees = ParquetSink(tmp / TABLE_FILES["returnee_table"])
        with returnees, Behind(returnees.write) as behind:  # month by month, as the run goes
            result = run(scenario, args.strategy, args.seed, args.months,
                         strategies_file=args.strategies_file,
                         write_returnees=behind.write)  # fmt: skip
        paths = {**write(result, tmp), "returnee_table": returnees.path}
    print(format_summary(result.summary))
    print(f"wrote {', '.join(str(args.out / p.relative_to(tmp)) for p in paths.values())}")
    return 0


def format_summary(s: dict) -> str:
    """The run's summary in a few lines, each outcome labelled and read as declared
    (:data:`model.outcomes.DECLARED`); an outcome nobody is left to have reads n/a (every
    returnee can have left again by the end of a long run)."""

    def value(name: str) -> str:
        return DECLARED[name].fmt(s.get(name, float("nan")))

    def named(*names: str) -> str:
        return ", ".join(f"{DECLARED[n].heading()} {value(n)}" for n in names)

    cost = s.get("cost_per_sustainable")
    horizons = ", ".join(f"{value(f'share_sustainable_m{m}')} at {m} months" for m in REPORT_MONTHS)
    lines = [
        f"scenario {s['scenario']} | strategy {s['strategy']} | seed {s['seed']} | "
        f"{s['months']} months | {s['n_returnees']} returnees",
        f"  {DECLARED['share_sustainable'].label}: {horizons}",
        f"  scores (0-100): {named('economic', 'social', 'psychosocial', 'composite')}",
        f"  {DECLARED['share_necessity'].label}: {value('share_necessity')}",
        f"  communities (0-100): {named('tension', 'nonmigrant_wellbeing')}",
        f"  spent {value('spent')} of {s['budget']:,.0f} USD",
    ]  # fmt: skip
    if not _missing(cost) and cost:
        lines += [f"  {value('cost_per_sustainable')} USD per returnee sustainably "
                  "reintegrated, those who would be without it included",
                  "  (the cost of an additional one: reintegrate compare)"]  # fmt: skip
    return "\n".join(lines)


def _missing(x) -> bool:
    return x is None or not math.isfinite(x)
