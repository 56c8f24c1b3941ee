"""``reintegrate targets``: the model against published figures, before and after calibration,
and the validation page."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pandas as pd

from experiments.calibration.checks import LOO, outside_plausible, pile_lines, piles
from experiments.calibration.ensemble import Ensemble, read_ensemble, shipped_ensemble
from experiments.calibration.setup import Setup
from experiments.cli.arguments import add_where_arguments, seed, whole_number
from experiments.cli.calibrate import PRIOR_FACTOR
from experiments.engine.outputs import write_whole
from experiments.engine.runners import Where, check_address, run_all
from experiments.validation.page import (
    Calibrated,
    Extras,
    SeedTally,
    model_value,
    published,
    render,
    tally,
)
from experiments.validation.predictive import check_values, load_checks, outcome
from experiments.validation.targets import (
    DEFAULT_SCENARIO,
    Target,
    Verdict,
    digest,
    load_targets,
    replicate_values,
    targets_path,
    verdict,
)
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

#: ``--ensemble none``: only the values at the defaults.
NO_ENSEMBLE = "none"
#: At most this many replicates or draws (each runs every target's arms).
MAX_RUNS = 10_000


def register(sub) -> None:
    p = sub.add_parser(
        "targets",
        help="compute every published target on the model, at the defaults and over a "
        "calibrated ensemble; write docs/validation.md",
    )
    p.add_argument(
        "targets",
        nargs="?",
        default=None,
        help="a targets TOML file (default: the shipped experiments/files/validation/targets.toml)",
    )
    p.add_argument(
        "--replicates", type=whole_number(1, MAX_RUNS), default=10, help="seeds (default: 10)"
    )
    p.add_argument("--seed", type=seed, default=0, help="first seed (default: 0)")
    p.add_argument(
        "--more-seeds",
        type=seeds,
        default=[],
        metavar="S,S",
        help="run everything again from each of these first seeds and report the pass counts "
        "by group over all first seeds (e.g. 100,200: a range over three)",
    )
    p.add_argument(
        "--ensemble",
        help="a calibrated ensemble's folder (reintegrate calibrate --out); default: the "
        "scenario's shipped ensemble (experiments/files/calibration/SCENARIO/) when there is "
        f"one; '{NO_ENSEMBLE}': values at the defaults only",
    )
    p.add_argument(
        "--draws",
        type=whole_number(1, MAX_RUNS),
        help="parameter sets drawn from the ensemble, one seed each (default: as many as "
        "--replicates, so that before and after rest on the same number of runs)",
    )
    add_where_arguments(p)
    p.add_argument("--doc", type=Path, help="write the validation page here (docs/validation.md)")
    p.set_defaults(handler=handle)


def _replicate(job: tuple[str, int, dict | None]) -> tuple[dict, dict]:
    """One seed, at the defaults or with one draw's overrides: every target's value and every
    predictive check's (what a worker process runs)."""
    path, first, overrides = job
    return replicate_values(load_targets(path), first, overrides), check_values(
        load_checks(), first, overrides
    )


def seeds(text: str) -> list[int]:
    """An argparse type: first seeds separated by commas, or one line saying what is allowed."""
    try:
        return [seed(part) for part in text.split(",") if part.strip()]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed; allowed: whole numbers from 0 separated by commas"
        ) from None


def _lost(job, why: str):
    raise RuntimeError(f"replicate with seed {job[1]} failed: {why}")


def ensemble_folder(choice: str | None, targets: list[Target]) -> Path | None:
    """The ensemble to validate: the one named, none, or the shipped one of the scenario the
    fitted targets run on, ``default`` when some run there (targets that name their survey's
    context run on it: the calibrated worlds' behavioural parameters carry over)."""
    if choice == NO_ENSEMBLE:
        return None
    if choice:
        return Path(choice)
    fitted = [t for t in targets if t.role == "fit"] or targets
    scenarios = {t.scenario for t in fitted}
    if DEFAULT_SCENARIO in scenarios:  # calibrated there; the others keep their context
        return shipped_ensemble(DEFAULT_SCENARIO)
    return shipped_ensemble(scenarios.pop()) if len(scenarios) == 1 else None


def evaluate(args, targets: list[Target], jobs: list[tuple]) -> tuple[list[Verdict], list]:
    """Every target's verdict and every check's outcome over the jobs' values (seeds, or
    draws with their seeds)."""
    values = run_all(_replicate, jobs, Where(args.workers, args.scheduler), _lost)
    verdicts = [verdict(t, [v[t.id] for v, _ in values]) for t in targets]
    return verdicts, [outcome(c, [w[c.id] for _, w in values]) for c in load_checks()]


def at_defaults(args, path: Path, targets: list[Target], first: int):
    """The targets and checks at the table's defaults, replicate k with seed ``first + k``."""
    jobs = [(str(path), first + k, None) for k in range(args.replicates)]
    return evaluate(args, targets, jobs)


def calibrated(args, path: Path, targets: list[Target], folder: Path, ensemble: Ensemble,
               first: int):  # fmt: skip
    """The targets and checks over draws from the ensemble: draw k runs with seed
    ``first + k``, so the spread covers what calibration left uncertain and chance."""
    draws = ensemble.draws(args.draws, first)
    jobs = [(str(path), first + k, draw) for k, draw in enumerate(draws)]
    verdicts, checks = evaluate(args, targets, jobs)
    return Calibrated(folder, ensemble.meta, args.draws, verdicts), checks


def other_seeds(args, path: Path, targets: list[Target], folder, ensemble) -> list[SeedTally]:
    """The pass counts by group from each of ``--more-seeds``."""
    found = []
    for first in args.more_seeds:
        before, _ = at_defaults(args, path, targets, first)
        after = None
        if folder and ensemble:
            after = tally(calibrated(args, path, targets, folder, ensemble, first)[0].verdicts)
        found.append(SeedTally(first, tally(before), after))
    return found


def ensemble_piles(folder: Path, ensemble: Ensemble) -> list[str]:
    """Prior bounds the ensemble piles against, under the priors it was fitted with: the
    ranges its metadata records, else today's rule with its factor (the calibrate command's
    default for an ensemble that does not say)."""
    setup = Setup("unused", DEFAULT_SCENARIO, ensemble.meta.get("prior_factor", PRIOR_FACTOR))
    recorded = ensemble.meta.get("priors", {})
    ranges = {
        n: tuple(recorded[n]) if n in recorded else setup.prior_range(PARAMETERS[n])
        for n in ensemble.parameters.columns
    }
    lines = pile_lines(piles(ensemble.parameters, ensemble.weights, ranges))
    plausible = {
        n: span
        for n in ensemble.parameters.columns
        if (span := PARAMETERS[n].plausible) is not None
    }
    outside = outside_plausible(ensemble.parameters, ensemble.weights, plausible, ranges)
    if outside:
        lines += ["", "Weight outside the plausible ranges the parameter table gives now "
                      "(the ranges a new calibration would draw from):", "", *outside]  # fmt: skip
    return lines


def leave_one_out(folder: Path | None) -> pd.DataFrame | None:
    """The ensemble's leave-one-target-out predictions, if its calibration wrote them."""
    path = folder / LOO if folder else None
    return pd.read_csv(path) if path and path.is_file() else None


def writable(doc: Path | None) -> None:
    """Refuse, before any run, a page that could not be written at the end."""
    if doc is None:
        return
    folder = doc.absolute().parent
    if doc.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise ScenarioError(
            [f"--doc {doc}: cannot be written; allowed: a file in an existing folder you can write"]
        )


def handle(args) -> int:
    if args.scheduler:
        check_address(args.scheduler)
    writable(args.doc)
    if args.draws is None:
        args.draws = args.replicates
    path = targets_path(args.targets)
    targets = load_targets(path)
    folder = ensemble_folder(args.ensemble, targets)
    ensemble = read_ensemble(folder) if folder is not None else None  # checked before any run
    before, checks_before = at_defaults(args, path, targets, args.seed)
    after, checks_after = None, None
    if folder and ensemble:
        after, checks_after = calibrated(args, path, targets, folder, ensemble, args.seed)
    extras = Extras(
        seeds=other_seeds(args, path, targets, folder, ensemble),
        checks_before=checks_before,
        checks_after=checks_after,
        loo=leave_one_out(folder),
        piles=ensemble_piles(folder, ensemble) if folder and ensemble else [],
    )
    _print(before, after)
    if args.doc:
        text = render(
            before, after, digest=digest(path), replicates=args.replicates, seed=args.seed,
            extras=extras,
        )  # fmt: skip
        write_whole(args.doc, text, "--doc")
        print(f"wrote {args.doc}")
    return 0


def _print(before: list[Verdict], after: Calibrated | None) -> None:
    """One line per target: the figure, the model at the defaults, and after calibration."""
    for k, v in enumerate(before):
        mark = "pass" if v.passed else "FAIL"
        print(f"{mark:4}  {v.target.id:30} published {published(v):14} model {model_value(v)}")
        if after is not None:
            a = after.verdicts[k]
            mark = "pass" if a.passed else "FAIL"
            print(f"{mark:4}  {'':30} {'calibrated':24} {model_value(a)}")
    print(f"{sum(v.passed for v in before)} of {len(before)} targets pass at the defaults")
    if after is not None:
        print(f"{after.passed} of {len(before)} targets pass after calibration ({after.folder})")
