"""Running a sweep: the design's runs, in batches, over local processes or a Dask cluster.

Every run is a :class:`~model.run.RunSpec` recording its summary only, made by
:func:`model.run.perform`; the model does not know how it is run. Runs go out in batches
(several runs per task, so a task's overhead is small against its work) to warm workers
(:mod:`experiments.engine.runners`): a local process pool that lives for the whole sweep, or
the workers of a Dask scheduler. Each finished batch is written as one piece of the result
store (:mod:`experiments.sweeps.store`) by this process alone, so workers need no shared disk.

Failures: a run that raises *in the model* becomes a row with its error (the sweep goes on;
that is data). A batch lost to the infrastructure (its worker died on every attempt) is not a
result: nothing is written for it, the sweep reports its runs as missing and exits non-zero,
and ``--resume`` makes them.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from experiments.engine.runners import Where, choose_runner
from experiments.sweeps.batches import Batch, run_batch
from experiments.sweeps.designs import Experiment
from experiments.sweeps.store import Store, schema
from model.run import RunSpec

MAX_BATCH = 50  # runs per task: about two seconds of work for the default scenario
SHARE = 2  # a batch takes at most 1 / (SHARE x slots) of the runs not yet in a batch


def make_batches(exp: Experiment, todo: pd.DataFrame, sizes: Iterable[int]) -> list[Batch]:
    """The runs to do, in design order, cut into consecutive batches of the given sizes."""
    rows = iter(todo.to_dict("records"))
    batches: list[Batch] = []
    for size in sizes:
        runs = tuple(itertools.islice(rows, size))
        if not runs:
            return batches
        batches.append(Batch(tuple(run_spec(exp, row) for row in runs), runs, exp.outcomes))
    return batches


def run_spec(exp: Experiment, row: dict) -> RunSpec:
    """The run a row of the design stands for: its strategy and seed, its varied values."""
    overrides = {name: row[name] for name in exp.names}
    return RunSpec(exp.scenario, row["strategy"], row["seed"], exp.months, overrides,
                   record="summary")  # fmt: skip


def batch_sizes(n_runs: int, slots: int) -> Iterator[int]:
    """Sizes that shrink with the runs left (guided self-scheduling), so workers end together.

    While much is left, batches are big (up to MAX_BATCH) and per-task overhead is small; each
    takes a share of what is left, so they shrink towards single runs at the end, and no worker
    idles for more than about a run while another finishes a big batch.
    """
    left = n_runs
    while left > 0:
        size = max(1, min(MAX_BATCH, math.ceil(left / (SHARE * slots))))
        yield size
        left -= size


@dataclass(frozen=True)
class LostBatch:
    """A batch the infrastructure lost on every attempt: no result, its runs still to do."""

    batch: Batch
    why: str


@dataclass
class SweepReport:
    """What a sweep did, for the summary line."""

    name: str
    total: int
    before: int
    out: Path
    runner: str = ""
    made: int = 0
    errors: Counter = field(default_factory=Counter)
    lost: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, rows: list[dict]) -> None:
        self.made += len(rows)
        self.errors.update(r["error"] for r in rows if r["error"])

    def lose(self, lost: LostBatch) -> None:
        self.lost[lost.why] += len(lost.batch.runs)

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def missing(self) -> int:
        """Runs of the design not in the store: lost to the infrastructure, or never begun."""
        return self.total - self.before - self.made

    def text(self) -> str:
        rate = self.made / self.seconds * 3600 if self.seconds > 0 else float("nan")
        lines = [
            *self.notes,
            f"{self.name}: made {self.made} runs in {self.seconds:.1f} s "
            f"({rate:,.0f} runs/hour) on {self.runner}; {self.failed} failed in the model; "
            f"{self.before + self.made} of {self.total} runs done",
            *(f"  failed {n} x {msg}" for msg, n in self.errors.most_common(3)),
            *(f"  lost {n} x {why}, every time they were tried" for why, n in self.lost.items()),
            f"results: {self.out / 'runs'} (Parquet dataset, one row per run)",
        ]
        return "\n".join(lines)


def sweep(
    exp: Experiment,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    size: int | None = None,
    progress: bool = True,
) -> SweepReport:
    """Make every run of the design not yet in ``out``, writing finished batches as pieces.

    The runner is reached first (a cluster that is not there creates nothing); from then on
    the folder is locked until the last piece is written.
    """
    runs = exp.runs()
    store = Store(out)
    # a sweep's batches are sized to even out the workers' load and are what a resumed sweep
    # redoes: each is one task, its runs stepped together (run_batch)
    runner = choose_runner(run_batch, Where(workers, scheduler, batch=1), isolate=True)
    piece_schema = schema(exp)
    with runner, store.locked():
        store.check(exp, len(runs), resume=resume)
        store.open(exp, len(runs))
        done, notes = store.take_stock()
        todo = runs[~runs["run_id"].isin(done)]
        report = SweepReport(exp.name, len(runs), len(done), Path(out), runner.label, notes=notes)
        start = time.perf_counter()
        sizes = itertools.repeat(size) if size else batch_sizes(len(todo), runner.slots)
        batches = make_batches(exp, todo, sizes)
        with tqdm(total=len(runs), initial=len(done), unit="run", desc=exp.name,
                  disable=not progress) as bar:  # fmt: skip
            for _, rows in runner.results(batches, LostBatch):
                if isinstance(rows, LostBatch):
                    report.lose(rows)
                    continue
                store.write_piece(rows, piece_schema)
                report.count(rows)
                bar.update(len(rows))
        report.seconds = time.perf_counter() - start
    return report
