"""``reintegrate targets``: the model against published figures, before and after calibration,
and the validation page."""

from __future__ import annotations

import os
from pathlib import Path

from experiments.calibration.ensemble import Ensemble, read_ensemble, shipped_ensemble
from experiments.cli.arguments import add_where_arguments, seed, whole_number
from experiments.engine.outputs import write_whole
from experiments.engine.runners import Where, check_address, run_all
from experiments.validation.page import Calibrated, model_value, published, render
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


def _replicate(job: tuple[str, int, dict | None]) -> dict:
    """One seed, at the defaults or with one draw's overrides: every target's value (what a
    worker process runs)."""
    path, first, overrides = job
    return replicate_values(load_targets(path), first, overrides)


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


def evaluate(args, targets: list[Target], jobs: list[tuple]) -> list[Verdict]:
    """Every target's verdict over the jobs' values (seeds, or draws with their seeds)."""
    values = run_all(_replicate, jobs, Where(args.workers, args.scheduler), _lost)
    return [verdict(t, [v[t.id] for v in values]) for t in targets]


def calibrated(args, path: Path, targets: list[Target], folder: Path, ensemble: Ensemble):
    """The targets over draws from the ensemble: draw k runs with seed ``seed + k``, so the
    spread covers what calibration left uncertain and chance."""
    draws = ensemble.draws(args.draws, args.seed)
    jobs = [(str(path), args.seed + k, draw) for k, draw in enumerate(draws)]
    return Calibrated(folder, ensemble.meta, args.draws, evaluate(args, targets, jobs))


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
    jobs = [(str(path), args.seed + k, None) for k in range(args.replicates)]
    before = evaluate(args, targets, jobs)
    after = calibrated(args, path, targets, folder, ensemble) if folder and ensemble else None
    _print(before, after)
    if args.doc:
        text = render(
            before, after, digest=digest(path), replicates=args.replicates, seed=args.seed
        )
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
