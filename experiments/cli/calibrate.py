"""``reintegrate calibrate``: fit the behavioural parameters to published targets (ABC-SMC).

The work is in :mod:`experiments.calibration.calibrate` (screening, ABC-SMC, fit runs) and
:mod:`experiments.calibration.report` (ensemble, plots, summary); this module reads
the arguments, chooses where simulations run (local processes or a Dask scheduler, as for
sweeps) and prints the progress.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from tqdm.auto import tqdm

from experiments.cli.arguments import add_resumable_out_arguments, add_where_arguments, whole_number
from experiments.engine.runners import Where, check_address, choose_runner, in_order
from experiments.validation.targets import digest, load_targets, targets_path
from model.scenario import DEFAULT_SCENARIO, load_scenario

#: The default budget (docs/calibration.md): with the screening (3 x (parameters + 1) runs)
#: and the fit runs, about 3,400 runs of the targets, the shipped ensemble's budget.
POPULATION, GENERATIONS, SIMULATIONS = 200, 10, 3000
#: Priors within default/F .. default*F inside the table's range: the table's ranges say what
#: is allowed, not what is plausible (a monthly hazard may be anything from 0 to 1, and a
#: uniform prior over that is mostly worlds where everyone leaves within months).
PRIOR_FACTOR = 4.0
#: ``--prior-factor none``: the whole table range.
WHOLE_RANGE = "none"


def register(sub) -> None:
    p = sub.add_parser(
        "calibrate",
        help="fit the behavioural parameters to published targets (ABC-SMC); write an ensemble",
    )
    p.add_argument(
        "targets", help="a targets TOML file, or 'targets' for the shipped validation targets"
    )
    p.add_argument(
        "--scenario",
        default=DEFAULT_SCENARIO,
        help=f"the scenario every target runs on (default: {DEFAULT_SCENARIO})",
    )
    add_where_arguments(p)
    p.add_argument(
        "--population",
        type=whole_number(5, 100_000),
        default=POPULATION,
        help=f"particles per generation (default: {POPULATION})",
    )
    p.add_argument(
        "--generations",
        type=whole_number(1, 1_000),
        default=GENERATIONS,
        help=f"generations at most (default: {GENERATIONS})",
    )
    p.add_argument(
        "--simulations",
        type=whole_number(1, 10_000_000),
        default=SIMULATIONS,
        help=f"no new generation once this many ABC simulations are done (default: {SIMULATIONS})",
    )
    p.add_argument(
        "--parameters",
        type=lambda text: [n.strip() for n in text.split(",") if n.strip()],
        metavar="NAME,NAME",
        help="calibrate these parameters instead of those the Morris screening marks",
    )
    p.add_argument(
        "--prior-factor",
        type=factor,
        default=PRIOR_FACTOR,
        metavar="F",
        help="draw each parameter within default/F .. default*F, inside its table range "
        f"(default: {PRIOR_FACTOR:g}); '{WHOLE_RANGE}': over its whole table range",
    )
    add_resumable_out_arguments(p, "calibration")
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from experiments.calibration import calibrate as cal  # pyabc: seconds to import

    if args.scheduler:
        check_address(args.scheduler)
    path = targets_path(args.targets)
    load_targets(path)  # every problem of the file before any work
    load_scenario(args.scenario)
    if args.parameters is not None:
        cal.check_parameters(args.parameters)
    wanted = {
        "targets": str(path),
        "targets_digest": digest(path),
        "scenario": args.scenario,
        "parameters": args.parameters,
        "prior_factor": args.prior_factor,
    }
    out = cal.folder(args.out)
    with out.held(partial(out.prepare, wanted, resume=args.resume, force=args.force)) as kept:
        return _calibrate(args, path, kept)


def _calibrate(args, path: Path, kept: dict) -> int:
    """The screening, the fit and the report, in a folder this command holds."""
    from experiments.calibration import calibrate as cal
    from experiments.calibration.setup import Setup

    setup = Setup(str(path), args.scenario, kept["prior_factor"])
    budget = cal.Budget(args.population, args.generations, args.simulations)
    # screening, ABC and fit runs in worker processes (pyabc's sampler draws on their pool)
    runner = choose_runner(cal.evaluate, Where(args.workers, args.scheduler), isolate=True)

    def progress(runner, jobs: list, label: str) -> list:
        results = runner.results(jobs, _lost)
        bar = tqdm(in_order(results), total=len(jobs), desc=label, unit="run", disable=args.quiet)
        return list(bar)

    with runner:
        print(f"calibrating on {runner.label}; everything is kept in {args.out}", flush=True)
        try:
            done = cal.calibrate(
                args.out, setup, runner, cal.sampler(runner), budget, progress, print,
                kept["parameters"],
            )  # fmt: skip
        except KeyboardInterrupt:
            print(
                f"interrupted: finished generations are safe in {args.out}; go on with: "
                f"reintegrate calibrate {args.targets} --out {args.out} --resume",
                file=sys.stderr,
            )
            return 130
    from experiments.calibration.report import write

    paths = write(args.out, done)
    print(paths[-1].read_text())
    print(f"wrote {', '.join(p.name for p in paths)} to {args.out}")
    return 0


def factor(text: str) -> float | None:
    """An argparse type: a number above 1 or ``none`` (None: the whole range), or one line."""
    if text == WHOLE_RANGE:
        return None
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed; allowed: a number above 1 or {WHOLE_RANGE!r}"
        )
    return value


def _lost(job, why: str):
    raise RuntimeError(f"the run with seed {job[1]} failed: {why}")
