"""Where runs go: this process, a pool of local processes, or the workers of a Dask scheduler.

A runner takes one picklable function (the work: a comparison's run, a sweep's batch of runs)
and a list of jobs for it, and yields ``(index, result)`` as jobs finish, in whatever order
they finish; :func:`in_order` puts them back in job order where that order matters. The
model does not know how it is run, and the runners do not know what a run is.

Where runs go is decided in one place, :func:`choose_runner`, from a :class:`Where` (what the
command line's ``--workers`` and ``--scheduler`` say); :func:`run_all` runs a list of jobs
there and hands back their results in job order, as ``mesa.batch_run`` does with its runs.

Failures: the work keeps what counts as data (a sweep's failed run is a row); a job that
still raises stops everything, locally with its own error, on Dask as a setup problem (a
worker that cannot import the project). A worker that dies takes its unfinished jobs with
it: Dask re-runs lost tasks on other workers; locally the broken pool is replaced and the
jobs run again. A job whose worker dies ``MAX_ATTEMPTS`` times (on Dask, Dask's
``allowed-failures``) is handed to the caller's ``lost(job, why)``, which returns a result
standing for it or raises. Local workers exit by themselves when the process that started
them is gone (even by kill -9), so none is left behind holding memory.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from multiprocessing import forkserver
from typing import Any
from urllib.parse import urlsplit

import psutil
from tqdm import tqdm

from experiments import FILES
from model.inputs import ScenarioError
from model.run import BATCH, Together

MAX_ATTEMPTS = 3
#: Seconds to reach a Dask scheduler (a wrong address fails this fast), and to wait for its
#: first worker.
CONNECT_TIMEOUT, WORKERS_TIMEOUT = 5, 30
#: Seconds between a local worker's checks that the process that started it is still there.
ORPHAN_CHECK = 0.5
#: The folder DASK_CONFIG points at when a cluster is started (docs/researchers.md §3).
DASK_SETTINGS = FILES / "dask-config"

Lost = Callable[[Any, str], Any]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Where:
    """Where runs go, as the command line says it: the workers of a Dask scheduler, or this
    many local processes (None: one per CPU); and how many jobs a worker takes at once, their
    runs stepped together (:class:`model.run.Together`; 1: one job at a time)."""

    workers: int | None = None
    scheduler: str | None = None
    batch: int = BATCH


def choose_runner(
    work: Callable, where: Where, jobs: int | None = None, *, isolate: bool = False
) -> InProcessRunner | LocalRunner | DaskRunner:
    """The one place that decides where runs go.

    The workers of a Dask scheduler if one is given; else this process when one worker (or
    one job) is all there is to use, unless ``isolate`` asks for worker processes anyway (a
    sweep or calibration: a run that kills its process must not kill the command, and
    pyabc's sampler needs a pool); else a pool of local processes, no more than the jobs.
    """
    if where.scheduler:
        return DaskRunner(work, where.scheduler, where.batch)
    workers = where.workers or default_workers()
    if jobs is not None:
        workers = max(1, min(workers, jobs))
    if workers == 1 and not isolate:
        return InProcessRunner(work, where.batch)
    return LocalRunner(work, workers, where.batch)


def run_all(work: Callable, jobs: Sequence, where: Where, lost: Lost, *, desc: str = "") -> list:
    """Every job's result, in job order, made where ``where`` says (with a progress bar when
    ``desc`` names the work)."""
    with choose_runner(work, where, len(jobs)) as runner:
        return list(progress(in_order(runner.results(jobs, lost)), len(jobs), desc))


def progress(results: Iterable, total: int, desc: str = "") -> Iterable:
    """Results as they come, counted on a progress bar when ``desc`` names the work."""
    return tqdm(results, total=total, desc=desc, unit="run") if desc else results


def in_order(results: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """Results in job order: each one held back until those before it have come."""
    waiting, turn = {}, 0
    for index, result in results:
        waiting[index] = result
        while turn in waiting:
            yield waiting.pop(turn)
            turn += 1


def together(work: Callable, jobs: Sequence) -> list:
    """The task a worker executes: several jobs at once, their runs stepped together."""
    return Together(len(jobs)).work(work, jobs)


class Batched:
    """Jobs handed to workers a few at a time (``batch`` at most, fewer when there are too
    few to keep every worker busy), each few one task (:func:`together`); results come back
    one per job, and a lost task's jobs are each handed to ``lost``."""

    slots: int

    def __init__(self, work: Callable, batch: int = BATCH):
        if batch < 1:
            raise ScenarioError([f"batch: {batch} is not allowed; allowed: 1 or more"])
        self.work, self.batch = work, batch

    def results(self, jobs: Iterable, lost: Lost) -> Iterator[tuple[int, Any]]:
        jobs = list(jobs)
        size = max(1, min(self.batch, -(-len(jobs) // self.slots)))
        tasks = [jobs[i : i + size] for i in range(0, len(jobs), size)]

        def lost_task(task: list, why: str) -> list:
            return [lost(job, why) for job in task]

        for index, results in self._results(partial(together, self.work), tasks, lost_task):
            for offset, result in enumerate(results):
                yield index * size + offset, result

    def _results(self, task: Callable, tasks: list, lost: Lost) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError


class InProcessRunner(Batched):
    """The jobs one after another in this process: no start-up cost, for small work."""

    slots, label = 1, "this process"

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def _results(self, task: Callable, tasks: list, lost: Lost) -> Iterator[tuple[int, Any]]:
        for index, job in enumerate(tasks):
            yield index, task(job)


def _start_worker(main_pid: int) -> None:
    """Workers leave Ctrl-C to the main process, which stops them cleanly, and exit when the
    main process is gone.

    Nothing else would stop them after a kill -9 of the main process: each holds both ends
    of its task queue, and the fork server they come from lives as long as they do.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    main = psutil.Process(main_pid)  # its start time too: a reused pid is not it

    def alive() -> bool:
        try:
            return main.is_running() and main.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    def watch() -> None:
        while alive():
            time.sleep(ORPHAN_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-check", daemon=True).start()


def _context(preload: str):
    """Fork workers from a server that has imported the work once (spawn where unavailable).

    Either way no worker is a fork of this (threaded) process.
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([preload])
    return ctx


def _start_fork_server(context) -> None:
    """Start the fork server, if this context uses one, with Ctrl-C ignored.

    It is a new program (exec), which keeps an ignored Ctrl-C, and so do the workers it
    forks: a Ctrl-C while it imports the work (seconds, for the calibration) then prints no
    traceback of theirs, and the main process ends them cleanly with its one line.
    """
    if context.get_start_method() != "forkserver":
        return
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()  # only the main thread may change a signal's handling
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


class LocalRunner(Batched):
    """A pool of warm worker processes on this machine; a broken pool is replaced."""

    def __init__(self, work: Callable, workers: int, batch: int = BATCH):
        if workers < 1:
            raise ScenarioError([f"--workers: {workers} is not allowed; allowed: 1 or more"])
        super().__init__(work, batch)
        self.slots = workers
        self.label = f"{workers} local process{'es' if workers > 1 else ''}"

    def __enter__(self) -> LocalRunner:
        self.pool = self._new_pool()
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:
            self._end_workers()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _end_workers(self) -> None:
        """Left on Ctrl-C or an error: the jobs in flight are not wanted (a sweep makes an
        unfinished batch again on --resume), so their workers are ended now. Waiting for them
        made Ctrl-C take as long as the longest batch in flight, and a second Ctrl-C during
        that wait left the workers running and the command waiting for them for good."""
        workers = list((self.pool._processes or {}).values())  # no public handle in 3.12
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = _context(self.work.__module__)
        _start_fork_server(context)
        return ProcessPoolExecutor(
            self.slots, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        )

    def _results(self, task: Callable, tasks: list, lost: Lost) -> Iterator[tuple[int, Any]]:
        pending = deque(enumerate(tasks))
        running: dict[Future, tuple[int, Any]] = {}
        attempts: Counter[int] = Counter()
        while pending or running:
            broken = []
            try:
                while pending and len(running) < 2 * self.slots:
                    future = self.pool.submit(task, pending[0][1])
                    running[future] = pending.popleft()
            except BrokenProcessPool:  # a worker died between two looks
                pass
            else:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    index, job = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken.append((index, job))
                        continue
                    yield index, result
                if not broken:
                    continue
            # a worker died: every job in flight went down with the pool
            broken += running.values()
            running.clear()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
            for index, job in sorted(broken, reverse=True):
                attempts[index] += 1
                if attempts[index] < MAX_ATTEMPTS:
                    pending.appendleft((index, job))
                else:
                    yield index, lost(job, "worker process died")


def _answers(address: str) -> bool:
    """Whether something listens at a scheduler's address (a killed scheduler's port refuses
    at once; the client may not have noticed yet when a task's connection breaks)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_TIMEOUT):
            return True
    except OSError:
        return False


def check_address(address: str) -> None:
    """A scheduler address as Dask takes it, checked before any connection is tried."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in {"tcp", "tls"} or not parts.hostname or not port or parts.path:
        raise ScenarioError(
            [f"--scheduler: {address!r} is not a scheduler address; allowed: "
             "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786"]
        )  # fmt: skip


@contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's own log lines (reconnection attempts, their tracebacks) held back while a
    client whose scheduler is gone is closed: the command says what happened in one line."""
    names = ["distributed", *logging.root.manager.loggerDict]  # its own levels per module
    loggers = [logging.getLogger(n) for n in names if n.split(".")[0] == "distributed"]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, before, strict=True):
            logger.disabled = disabled


class DaskRunner(Batched):
    """The workers of a Dask scheduler (``dask scheduler`` / ``dask worker``, or SLURM)."""

    slots = 1  # until connected

    def __init__(self, work: Callable, address: str, batch: int = BATCH):
        check_address(address)
        super().__init__(work, batch)
        self.address = address
        self.label = f"Dask at {address}"

    def __enter__(self) -> DaskRunner:
        from distributed import Client  # imported here: local runs need no Dask

        try:
            self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise ScenarioError(
                [f"--scheduler {self.address}: no scheduler answers there within "
                 f"{CONNECT_TIMEOUT} s ({type(err).__name__}); allowed: the address a running "
                 "dask scheduler prints"]
            ) from None  # fmt: skip
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            self.client.close()
            raise ScenarioError(
                [f"--scheduler {self.address}: the scheduler has no workers after "
                 f"{WORKERS_TIMEOUT} s; start some with dask worker {self.address}"]
            ) from None  # fmt: skip
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.label += f" ({self.slots} worker threads)"
        return self

    def __exit__(self, *exc) -> None:
        # a scheduler already gone has nothing more to say, nor a connection to close
        with _quiet_dask(), suppress(OSError, TimeoutError):
            self.client.close(timeout=CONNECT_TIMEOUT)

    def _gone(self, wait: float = 0.0) -> bool:
        """Whether the scheduler stopped answering (killed, its machine gone): the client
        says so, or, while it is still trying to reconnect, its port takes no connection.
        Asked ``wait`` seconds at most, every fifth of a second: a dying scheduler resets its
        connections a moment before its port stops listening."""
        deadline = time.monotonic() + wait
        while self.client.status == "running" and _answers(self.address):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)
        return True

    def _failed(self, err: Exception) -> ScenarioError:
        """One line for a task that did not come back: the scheduler lost, or the work
        unable to start on a worker (the project not installed there). A broken connection
        (an ``OSError``, Dask's ``CommClosedError`` among them) is given a few seconds to
        show whether the scheduler is gone."""
        if self._gone(wait=CONNECT_TIMEOUT if isinstance(err, OSError) else 0.0):
            return ScenarioError(
                [f"--scheduler {self.address}: the scheduler stopped answering during the "
                 "runs; start it (and its workers) again and run the same command again "
                 "(a sweep or a calibration with --resume goes on where it stopped)"]
            )  # fmt: skip
        return ScenarioError(
            [f"--scheduler {self.address}: a worker could not run a task "
             f"({type(err).__name__}: {err}); install the project on every worker"]
        )  # fmt: skip

    def _results(self, task: Callable, tasks: list, lost: Lost) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        # in the given order: a sweep's big batches first, the small ones last to even out
        futures = {
            self.client.submit(task, job, pure=False, priority=-i): (i, job)
            for i, job in enumerate(tasks)
        }
        with _quiet_dask():
            try:
                for future in as_completed(futures, loop=self.client.loop):
                    index, job = futures.pop(future)
                    yield index, self._result(future, job, lost)
            except (OSError, TimeoutError) as err:  # the connection itself lost mid-run
                raise self._failed(err) from None
            finally:
                if not self._gone():
                    self.client.cancel(list(futures))

    def _result(self, future, job, lost: Lost):
        from distributed.scheduler import KilledWorker

        try:
            result = future.result()
        except KilledWorker:
            result = lost(job, "workers died")
        except Exception as err:  # the work keeps model errors; this is the setup
            raise self._failed(err) from None
        future.release()
        return result
