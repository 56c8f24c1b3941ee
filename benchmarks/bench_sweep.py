"""Sweep throughput: runs per hour of the default scenario, local processes against Dask.

One invocation measures, on the same design (the default scenario, integrated strategy,
24 months, N replicates):

1. one local worker process,
2. two local worker processes,
3. a Dask cluster of two workers started as real processes on this machine
   (``dask scheduler`` and two ``dask worker --nthreads 1``, as on a real cluster),

and prints runs per hour, the scaling ratio (2 workers / 1 worker; target at least 1.8) and
Dask's overhead against two local processes (target under 10%). Each sweep's time includes
starting its local pool (or, on Dask, the workers' first import of the model) and writing
every piece of its Parquet dataset. The configurations take turns, ``--repeats`` times; the
best of each is kept, since other work on a shared machine can only slow a sweep down.

    python benchmarks/bench_sweep.py                 # 1,440 runs per sweep, best of 2
    python benchmarks/bench_sweep.py --runs 480 --repeats 3

Runs per hour is a sweep's steady pace: with a few hundred runs, starting the pool (about a
second per process to import Mesa) still weighs on the figure and the scaling looks worse
than it is in a real sweep of thousands; the default is long enough to amortise it.

Nothing is asserted: the numbers are to read (they depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.designs import load_experiment  # noqa: E402
from experiments.sweep import sweep  # noqa: E402

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


def rate(exp, out: Path, label: str, **where) -> float:
    """Runs per hour of one fresh sweep into ``out``."""
    report = sweep(exp, out, progress=False, **where)
    assert report.failed == 0, report.text()
    per_hour = report.made / report.seconds * 3600
    load = os.getloadavg()[0]
    print(f"  {label:<17} {report.seconds:6.1f} s {per_hour:10,.0f} runs/hour  (load {load:.1f})")
    return per_hour


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
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        scheduler = [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(self.port)]
        self.procs = [subprocess.Popen([*scheduler, "--no-dashboard"], **quiet)]
        worker = [*dask, "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1"]
        self.procs += [
            subprocess.Popen([*worker, "--no-dashboard"], **quiet) for _ in range(self.workers)
        ]
        with Client(self.address, timeout=90, set_as_default=False) as client:
            client.wait_for_workers(self.workers, timeout=90)
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.procs:
            proc.kill()
            proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1440, help="runs per sweep (default: 1440)")
    ap.add_argument("--repeats", type=int, default=2, help="sweeps per configuration")
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
        with DaskCluster(2) as cluster:  # started before timing, like a standing cluster
            configs = {
                "local, 1 worker": {"workers": 1},
                "local, 2 workers": {"workers": 2},
                "Dask, 2 workers": {"scheduler": cluster.address},
            }
            rates = {label: [] for label in configs}
            for i in range(args.repeats):  # interleaved, so each sees the same spells of load
                for label, where in configs.items():
                    rates[label].append(rate(exp, tmp / f"{i}-{label}", label, **where))
        one, two, dask = (max(r) for r in rates.values())

    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    print(f"{'local, 1 worker':<18}{one:12,.0f} runs/hour")
    print(f"{'local, 2 workers':<18}{two:12,.0f} runs/hour")
    print(f"{'Dask, 2 workers':<18}{dask:12,.0f} runs/hour")
    print(f"scaling, 2 workers / 1 worker:   {two / one:.2f}  (target >= 1.8)")
    print(f"Dask overhead vs local 2:        {100 * (two / dask - 1):+.1f}%  (target < 10%)")


if __name__ == "__main__":
    main()
