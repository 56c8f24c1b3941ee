"""Running a sweep: the design's runs, in batches, over local processes or a Dask cluster.

Every run is one call of :func:`model.run.run` with ``tables=False``; the model does not
know how it is run. Runs go out in batches (several runs per task, so a task's overhead is
small against its work) to warm workers: a local process pool that lives for the whole sweep,
or the workers of a Dask scheduler. Each finished batch is written as one piece of the result
store (:mod:`experiments.store`) by this process alone, so workers need no shared disk.

Failures: a run that raises becomes a row with its error (the sweep goes on). A worker that
dies takes its unfinished batches with it: Dask re-runs lost tasks on other workers; locally
the broken pool is replaced and the batches run again. A batch whose worker dies three times
is recorded as failed rather than retried forever.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import os
import signal
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from experiments.batches import Batch, failed, run_batch
from experiments.designs import Experiment
from experiments.store import Store, schema
from model.inputs import ScenarioError

MAX_ATTEMPTS = 3
MAX_BATCH = 50  # runs per task: about two seconds of work for the default scenario
SHARE = 2  # a batch takes at most 1 / (SHARE x slots) of the runs not yet in a batch
#: The folder DASK_CONFIG points at when a cluster is started for sweeps (docs/researchers.md §3).
DASK_SETTINGS = Path(__file__).resolve().parent / "dask-config"


def make_batches(exp: Experiment, todo: pd.DataFrame, sizes: Iterable[int]) -> list[Batch]:
    """The runs to do, in design order, cut into consecutive batches of the given sizes."""
    specs, batches = iter(todo.to_dict("records")), []
    for size in sizes:
        runs = tuple(itertools.islice(specs, size))
        if not runs:
            return batches
        batches.append(Batch(exp.scenario, exp.months, tuple(exp.names), exp.outcomes, runs))
    return batches


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


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


# --- runners ----------------------------------------------------------------------------------


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the sweep's own process, which stops them cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context():
    """Fork workers from a server that has imported the model once (spawn where unavailable)."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["experiments.batches"])
    return ctx


class LocalRunner:
    """A pool of warm worker processes on this machine; a broken pool is replaced."""

    def __init__(self, workers: int):
        if workers < 1:
            raise ScenarioError([f"--workers: {workers} is not allowed; allowed: 1 or more"])
        self.slots = workers
        self.label = f"{workers} local process{'es' if workers > 1 else ''}"

    def __enter__(self) -> LocalRunner:
        self.pool = self._new_pool()
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.slots, mp_context=_context(), initializer=_ignore_sigint)

    def results(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[dict]]]:
        pending, running, attempts = deque(batches), {}, Counter()
        while pending or running:
            while pending and len(running) < 2 * self.slots:
                batch = pending.popleft()
                running[self.pool.submit(run_batch, batch)] = batch
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            lost = []
            for future in done:
                batch = running.pop(future)
                try:
                    rows = future.result()
                except BrokenProcessPool:
                    lost.append(batch)
                    continue
                yield batch, rows
            if lost:  # a worker died: every batch in flight went down with the pool
                lost += running.values()
                running.clear()
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
                for batch in lost:
                    attempts[batch.first] += 1
                    if attempts[batch.first] < MAX_ATTEMPTS:
                        pending.appendleft(batch)
                    else:
                        yield batch, failed(batch, "worker process died running this batch")


class DaskRunner:
    """The workers of a Dask scheduler (``dask scheduler`` / ``dask worker``, or SLURM)."""

    def __init__(self, address: str, timeout: float = 30):
        self.address, self.timeout = address, timeout
        self.label = f"Dask at {address}"

    def __enter__(self) -> DaskRunner:
        from distributed import Client  # imported here: local sweeps need no Dask

        try:
            self.client = Client(self.address, timeout=self.timeout, set_as_default=False)
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError) as err:
            raise ScenarioError(
                [f"--scheduler {self.address}: no scheduler with workers there ({err})"]
            ) from None
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.label += f" ({self.slots} worker threads)"
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def results(self, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[dict]]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        # in the given order: the big batches first, the small ones last to even out the end
        futures = {
            self.client.submit(run_batch, b, pure=False, priority=-i): b
            for i, b in enumerate(batches)
        }
        try:
            for future in as_completed(futures, loop=self.client.loop):
                batch = futures.pop(future)
                try:
                    rows = future.result()
                except KilledWorker:
                    rows = failed(batch, "workers died running this batch")
                except Exception as err:  # run_batch keeps model errors; this is the setup
                    raise ScenarioError(
                        [
                            f"--scheduler {self.address}: a worker could not run a batch "
                            f"({type(err).__name__}: {err}); install the project on every worker"
                        ]
                    ) from None
                future.release()
                yield batch, rows
        finally:
            self.client.cancel(list(futures))


# --- the sweep --------------------------------------------------------------------------------


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
    seconds: float = 0.0

    def count(self, rows: list[dict]) -> None:
        self.made += len(rows)
        self.errors.update(r["error"] for r in rows if r["error"])

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def text(self) -> str:
        rate = self.made / self.seconds * 3600 if self.seconds > 0 else float("nan")
        lines = [
            f"{self.name}: made {self.made} runs in {self.seconds:.1f} s "
            f"({rate:,.0f} runs/hour) on {self.runner}; {self.failed} failed; "
            f"{self.before + self.made} of {self.total} runs done",
            *(f"  failed {n} x {msg}" for msg, n in self.errors.most_common(3)),
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
    """Make every run of the design not yet in ``out``, writing finished batches as pieces."""
    runs = exp.runs()
    store = Store(out)
    store.check(exp, len(runs), resume=resume)
    done = store.done_ids()
    todo = runs[~runs["run_id"].isin(done)]
    report = SweepReport(exp.name, len(runs), len(done), Path(out))
    runner = DaskRunner(scheduler) if scheduler else LocalRunner(workers or default_workers())
    piece_schema = schema(exp)
    start = time.perf_counter()
    with (
        runner,
        tqdm(
            total=len(runs), initial=len(done), unit="run", desc=exp.name, disable=not progress
        ) as bar,
    ):
        report.runner = runner.label
        store.open(exp, len(runs))  # only now: a cluster that is not there creates nothing
        sizes = itertools.repeat(size) if size else batch_sizes(len(todo), runner.slots)
        batches = make_batches(exp, todo, sizes)
        for _, rows in runner.results(batches):
            store.write_piece(rows, piece_schema)
            report.count(rows)
            bar.update(len(rows))
    report.seconds = time.perf_counter() - start
    return report
