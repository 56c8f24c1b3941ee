"""``reintegrate sweep``, ``reintegrate sensitivity`` and ``reintegrate discover``.

``sweep`` runs an experiment's design (locally over processes, or on a Dask scheduler) into
a Parquet dataset; ``sensitivity`` and ``discover`` read a finished sweep back. All three
take the experiment by name (``experiments/files/NAME.toml``) or path, and ``--out`` (default
``results/sweeps/NAME``).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from experiments.analysis import sensitivity
from experiments.cli.arguments import add_where_arguments, positive_int, whole_number
from experiments.engine.outputs import OutputFolder
from experiments.engine.runners import check_address
from experiments.sweeps.designs import Experiment
from experiments.sweeps.experiment_file import MAX_REPLICATES, MAX_SAMPLES, load_experiment
from experiments.sweeps.store import Store
from experiments.sweeps.sweep import sweep
from model.inputs import ScenarioError


def register(sub) -> None:
    p = sub.add_parser("sweep", help="run an experiment's design of runs into a Parquet dataset")
    _common(p)
    add_where_arguments(p)
    p.add_argument("--resume", action="store_true", help="finish a sweep begun in --out")
    p.add_argument(
        "--batch-size", type=whole_number(1, 10_000), help="runs per task (default: automatic)"
    )
    p.add_argument(
        "--samples",
        type=whole_number(1, MAX_SAMPLES),
        help="scale the design: samples (lhs, sobol, morris)",
    )
    p.add_argument(
        "--replicates", type=whole_number(1, MAX_REPLICATES), help="scale the design: replicates"
    )
    p.add_argument("--dry-run", action="store_true", help="print the design's size and stop")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=handle_sweep)

    p = sub.add_parser("sensitivity", help="Sobol or Morris indices from a finished sweep")
    _common(p)
    p.set_defaults(handler=handle_sensitivity)

    p = sub.add_parser("discover", help="PRIM boxes where an outcome falls short, from a sweep")
    _common(p)
    p.add_argument("--outcome", required=True, help="an outcome the experiment keeps")
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--below", type=float, metavar="X", help="cases: outcome below X")
    side.add_argument("--above", type=float, metavar="X", help="cases: outcome above X")
    p.add_argument("--strategy", help="the strategy to look at (needed if several were run)")
    p.add_argument(
        "--boxes", type=positive_int, default=2, help="boxes to find at most (default: 2)"
    )
    p.add_argument(
        "--min-coverage",
        type=float,
        default=0.5,
        help="keep the densest box covering at least this share of cases (default: 0.5)",
    )
    p.set_defaults(handler=handle_discover)


def _common(p) -> None:
    p.add_argument("experiment", help="a shipped experiment's name or a path to a TOML file")
    p.add_argument("--out", type=Path, help="the sweep's directory (default: results/sweeps/NAME)")


def _out(args, exp: Experiment) -> Path:
    return args.out or Path("results/sweeps") / exp.name


def handle_sweep(args) -> int:
    if args.scheduler:
        check_address(args.scheduler)
    exp = load_experiment(args.experiment, samples=args.samples, replicates=args.replicates)
    n_runs = len(exp.runs())
    print(describe(exp, n_runs))
    if args.dry_run:
        return 0
    out = _out(args, exp)
    try:
        report = sweep(
            exp,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            size=args.batch_size,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        done = len(Store(out).done_ids())
        print(
            f"interrupted: {done} of {n_runs} runs are safe in {out}; finish with: "
            f"{resume_command(args, out)}",
            file=sys.stderr,
        )
        return 130
    print(report.text())
    if report.missing:
        why = "; ".join(report.lost) or "not made"
        print(
            f"error: {report.missing} of {n_runs} runs are missing ({why}); make them with: "
            f"{resume_command(args, out)}",
            file=sys.stderr,
        )
        return 1
    return 0


def resume_command(args, out: Path) -> str:
    """The command that finishes this sweep, to type as it is printed: the design's scaling
    (``--samples``, ``--replicates``) is part of the sweep's identity, so it goes with it."""
    scaling = [(f"--{name}", str(value)) for name in ("samples", "replicates")
               if (value := getattr(args, name)) is not None]  # fmt: skip
    words = ["reintegrate", "sweep", str(args.experiment), "--out", str(out)]
    return shlex.join([*words, *(w for pair in scaling for w in pair), "--resume"])


def describe(exp: Experiment, n_runs: int) -> str:
    design = exp.method + (f" with {exp.samples} samples" if exp.samples else "")
    lines = [
        f"{exp.name}: {design} over {_n(len(exp.factors), 'parameter')} x "
        f"{_n(len(exp.strategies), 'strategy')} x {_n(exp.replicates, 'replicate')} = "
        f"{_n(n_runs, 'run')} of {exp.months} months on scenario {exp.scenario.name!r}"
    ]
    lines += [f"  left out: {name} ({why})" for name, why in exp.left_out.items()]
    return "\n".join(lines)


def _n(count: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{count} {word if count == 1 else plural}"


def load_sweep(args) -> tuple[Experiment, Store]:
    """The experiment as it was swept (same scaling), and the store holding its runs."""
    exp = load_experiment(args.experiment)
    store = Store(_out(args, exp))
    manifest = store.manifest()
    if manifest is None:
        raise ScenarioError(
            [f"--out {store.out}: no sweep there; run reintegrate sweep {args.experiment} first"]
        )
    exp = load_experiment(
        args.experiment, samples=manifest.get("samples"), replicates=manifest["replicates"]
    )
    if exp.fingerprint() != manifest["fingerprint"] and manifest.get("name") != exp.name:
        raise ScenarioError(
            [f"--out {store.out}: holds a sweep of {manifest.get('name')!r}, not of "
             f"{exp.name!r}; allowed: the folder of a sweep of {args.experiment}"]
        )  # fmt: skip
    if exp.fingerprint() != manifest["fingerprint"]:
        raise ScenarioError(
            [f"{args.experiment}: the experiment changed since the sweep in {store.out}; re-run it"]
        )
    return exp, store


def handle_sensitivity(args) -> int:
    exp, store = load_sweep(args)
    table, notes = sensitivity.analyse(exp, store.read())
    out = store.out / "sensitivity"
    with OutputFolder(out, "sensitivity", force=True) as tmp:  # the old analysis or the new
        paths = sensitivity.write(exp, table, notes, tmp)
    print(sensitivity.summary_text(exp, table, notes))
    print(f"wrote {len(paths)} files to {out}")
    return 0


def handle_discover(args) -> int:
    from experiments.analysis import discover as discovery  # the EMA Workbench is slow to import

    exp, store = load_sweep(args)
    rows = store.read()
    below = args.below is not None
    found = discovery.discover(
        exp,
        rows,
        args.outcome,
        args.below if below else args.above,
        below=below,
        strategy=args.strategy,
        boxes=args.boxes,
        min_coverage=args.min_coverage,
    )
    side = f"{'below' if below else 'above'}_{found.threshold:g}"
    out = store.out / "discover" / "_".join([args.outcome, side, found.strategy])
    with OutputFolder(out, "discover", force=True) as tmp:  # the old boxes or the new
        paths = discovery.write(found, tmp)
    print(found.text())
    print(f"wrote {', '.join(str(out / p.name) for p in paths)}")
    return 0
