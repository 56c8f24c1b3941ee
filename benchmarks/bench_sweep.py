"""Sweep throughput: runs per hour of the default scenario, local processes against Dask.

One invocation measures, on the same design (the default scenario, integrated strategy,
24 months, N replicates):

1. one local worker process,
2. two local worker processes,
3. a Dask cluster of two workers started as real processes on this machine, the way
   docs/researchers.md starts one (``DASK_CONFIG=experiments/files/dask-config``, ``dask scheduler``
   and two ``dask worker --nthreads 1``, each with ``--preload experiments.sweeps.batches``),
   warmed with a few model runs on each worker before its sweep is timed, as a standing
   cluster would be, and stopped after it, so that its idle processes take nothing from the
   local sweeps,

and prints runs per hour, the scaling ratio (2 workers / 1 worker; target at least 1.8) and
Dask's overhead against two local processes (target under 10%). Each sweep's time includes
starting its local pool and writing every piece of its Parquet dataset.

Two processes on a small or shared machine do not get twice the work of one: two cores may
be hyperthreads of one, or shared with other machines, and what they give moves from second
to second. So every round also measures **the machine's ceiling**: two bare warm processes
make the same model runs, first one alone, then both at once, with no sweep machinery; the
ceiling is their combined pace over the pace of one. A sweep's scaling as a share of that
ceiling is what the software keeps of what the hardware gave in that round. The
configurations take turns in every round, so each sees the same spells of load; the report
gives the median and the best of the rounds.

    python benchmarks/bench_sweep.py                 # 1,440 runs per sweep, 3 rounds (15-20 min)
    python benchmarks/bench_sweep.py --runs 480 --rounds 5

Nothing is asserted: the numbers are to read (they depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.engine.runners import DASK_SETTINGS  # noqa: E402
from experiments.sweeps.experiment_file import load_experiment  # noqa: E402
from experiments.sweeps.sweep import sweep  # noqa: E402
from model.run import run  # noqa: E402
from model.scenario import load_scenario  # noqa: E402

DESIGN = """
name = "bench_sweep"
scenario = "default"
strategies = ["integrated"]
replicates = {runs}
months = 24
seed = 1
outcomes = ["share_sustainable_m24", "composite", "nonmigrant_wellbeing"]
[design]
method = "grid"
"""
CONTROL_RUNS = 100  # model runs per process per ceiling measurement: ~5 s alone


def rate(exp, out: Path, **where) -> float:
    """Runs per hour of one fresh sweep into ``out``."""
    report = sweep(exp, out, progress=False, **where)
    assert report.failed == 0, report.text()
    return report.made / report.seconds * 3600


def dask_rate(exp, out: Path) -> float:
    """Runs per hour on a two-worker cluster started (untimed) for this sweep alone."""
    with DaskCluster(2) as cluster:
        return rate(exp, out, scheduler=cluster.address)


CONFIGURATIONS = {
    "local, 1 worker": lambda exp, out: rate(exp, out, workers=1),
    "local, 2 workers": lambda exp, out: rate(exp, out, workers=2),
    "Dask, 2 workers": dask_rate,
}


class DaskCluster:
    """A scheduler and workers as separate processes on 127.0.0.1, stopped on exit."""

    def __init__(self, workers: int):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.workers = workers

    def __enter__(self) -> DaskCluster:
        from distributed import Client

        dask = [sys.executable, "-m", "dask"]
        # as docs/researchers.md starts a cluster: the project's Dask settings, model preloaded
        env = {**os.environ, "DASK_CONFIG": str(DASK_SETTINGS)}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
        preload = ["--no-dashboard", "--preload", "experiments.sweeps.batches"]
        scheduler = [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(self.port)]
        self.procs = [subprocess.Popen([*scheduler, *preload], **quiet)]
        worker = [*dask, "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1"]
        self.procs += [subprocess.Popen([*worker, *preload], **quiet) for _ in range(self.workers)]
        try:
            with Client(self.address, timeout=90, set_as_default=False) as client:
                client.wait_for_workers(self.workers, timeout=90)
                client.run(_control_runs, 2, False)  # warm, as a standing cluster's workers are
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            proc.kill()
            proc.wait(timeout=30)


# --- the machine's ceiling ---------------------------------------------------------------------

_start_together = None  # a control process's barrier, shared with the other one


def _keep_barrier(barrier) -> None:
    """Control process start-up: keep the barrier that starts a pair's runs at one moment."""
    global _start_together
    _start_together = barrier


def _control_runs(n: int, together: bool) -> float:
    """Seconds for ``n`` default runs in this warm process, after the other's if ``together``."""
    scenario = load_scenario("default")
    if together:
        _start_together.wait()
    start = time.perf_counter()
    for seed in range(n):
        run(scenario, "integrated", seed, 24, tables=False)
    return time.perf_counter() - start


class Ceiling:
    """Two bare warm processes: how much more work two give than one, on this machine, now."""

    def __enter__(self) -> Ceiling:
        ctx = mp.get_context("spawn")  # its own processes: the sweeps' forkserver is untouched
        self.pool = ProcessPoolExecutor(
            2, mp_context=ctx, initializer=_keep_barrier, initargs=(ctx.Barrier(2),)
        )
        list(self.pool.map(_control_runs, [1, 1], [True, True]))  # both started and warm
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown()

    def measure(self) -> float:
        """Combined pace of two processes at once over the pace of one alone (ideal: 2)."""
        alone = self.pool.submit(_control_runs, CONTROL_RUNS, False).result()
        pair = self.pool.map(_control_runs, [CONTROL_RUNS] * 2, [True, True])
        return sum(alone / seconds for seconds in pair)


# --- the report --------------------------------------------------------------------------------


def report(rates: dict[str, list[float]], ceilings: list[float]) -> None:
    """Medians and bests over the rounds; ratios are taken within a round, then summarised."""
    one, two, dask = rates.values()
    scaling = [b / a for a, b in zip(one, two, strict=True)]
    overhead = [100 * (b / d - 1) for b, d in zip(two, dask, strict=True)]
    share = [100 * s / c for s, c in zip(scaling, ceilings, strict=True)]
    med, best = statistics.median, max
    print(f"\n{'':<18}{'median':>12}{'best':>12}   over {len(ceilings)} rounds")
    for label, values in rates.items():
        print(f"{label:<18}{med(values):12,.0f}{best(values):12,.0f}   runs/hour")
    rows = [
        ("scaling 2/1", f"{med(scaling):.2f}", f"{best(two) / best(one):.2f}", "target >= 1.8"),
        ("machine ceiling", f"{med(ceilings):.2f}", f"{best(ceilings):.2f}", "two bare processes"),
        ("share of ceiling", f"{med(share):.0f}%", f"{best(share):.0f}%", "scaling / ceiling"),
        (
            "Dask overhead",
            f"{med(overhead):+.1f}%",
            f"{100 * (best(two) / best(dask) - 1):+.1f}%",
            "vs local 2; target < 10%",
        ),
    ]
    for label, median, top, note in rows:
        print(f"{label:<18}{median:>12}{top:>12}   {note}")
    print("(best: scaling and overhead from the best runs/hour; ceiling and share: best round)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1440, help="runs per sweep (default: 1440)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of every configuration")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        design = tmp / "bench_sweep.toml"
        design.write_text(DESIGN.format(runs=args.runs))
        exp = load_experiment(design)
        print(
            f"{args.runs} runs of the default scenario per sweep; cores: {os.cpu_count()}, "
            f"load average at start: {os.getloadavg()[0]:.2f}"
        )
        with Ceiling() as ceiling:
            rates = {label: [] for label in CONFIGURATIONS}
            ceilings = []
            for i in range(args.rounds):  # interleaved, so each sees the same spells of load
                ceilings.append(ceiling.measure())
                line = [f"round {i + 1}: ceiling {ceilings[-1]:.2f}"]
                for label, runs_per_hour in CONFIGURATIONS.items():
                    rates[label].append(runs_per_hour(exp, tmp / f"{i}-{label}"))
                    line.append(f"{label} {rates[label][-1]:,.0f}/h")
                print("; ".join(line), f"(load {os.getloadavg()[0]:.1f})", flush=True)

    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    report(rates, ceilings)


if __name__ == "__main__":
    main()
