"""``reintegrate targets``: the model against published figures, and the validation page."""

from __future__ import annotations

from pathlib import Path

from experiments.analysis.targets import (
    digest,
    load_targets,
    replicate_values,
    targets_path,
    verdict,
)
from experiments.analysis.validation import model_value, published, render
from experiments.cli.run import positive_int, seed, workers
from experiments.engine.runners import InProcessRunner, in_order, make_runner


def register(sub) -> None:
    p = sub.add_parser(
        "targets", help="compute every published target on the model; write docs/validation.md"
    )
    p.add_argument(
        "targets",
        nargs="?",
        default=None,
        help="a targets TOML file (default: the shipped experiments/files/validation/targets.toml)",
    )
    p.add_argument("--replicates", type=positive_int, default=10, help="seeds (default: 10)")
    p.add_argument("--seed", type=seed, default=0, help="first seed (default: 0)")
    p.add_argument("--workers", type=workers, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", help="a Dask scheduler's address, tcp://HOST:PORT")
    p.add_argument("--doc", type=Path, help="write the validation page here (docs/validation.md)")
    p.set_defaults(handler=handle)


def _replicate(job: tuple[str, int]) -> dict:
    """One seed: every target's value (what a worker process runs)."""
    path, first = job
    return replicate_values(load_targets(path), first)


def _lost(job, why: str):
    raise RuntimeError(f"replicate with seed {job[1]} failed: {why}")


def handle(args) -> int:
    path = targets_path(args.targets)
    targets = load_targets(path)
    jobs = [(str(path), args.seed + k) for k in range(args.replicates)]
    runner = (
        InProcessRunner(_replicate)
        if args.workers == 1 or args.replicates == 1
        else make_runner(_replicate, args.workers, args.scheduler)
    )
    with runner:
        values = list(in_order(runner.results(jobs, _lost)))
    verdicts = [verdict(t, [v[t.id] for v in values]) for t in targets]
    for v in verdicts:
        mark = "pass" if v.passed else "FAIL"
        print(f"{mark:4}  {v.target.id:30} published {published(v):14} model {model_value(v)}")
    print(f"{sum(v.passed for v in verdicts)} of {len(verdicts)} targets pass")
    if args.doc:
        text = render(verdicts, digest=digest(path), replicates=args.replicates, seed=args.seed)
        args.doc.write_text(text)
        print(f"wrote {args.doc}")
    return 0
