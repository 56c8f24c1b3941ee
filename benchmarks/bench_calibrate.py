"""Calibration throughput: simulations per second of ABC-SMC, local processes against Dask.

One invocation runs, in turns over a few rounds, the same small ABC-SMC (the shipped
targets on the default scenario, the parameters given, N particles, G generations; no
screening) on

1. two local worker processes (the project's pool, fed to pyabc's ConcurrentFutureSampler;
   ``experiments.calibration.calibrate.sampler``, as ``reintegrate calibrate`` does),
2. a Dask cluster of two workers started as real processes on 127.0.0.1 the way
   docs/researchers.md starts one (see bench_sweep.DaskCluster), warmed with a few model
   runs and the calibration module imported on each worker, as a standing cluster would be,

and prints simulations per second of each (simulations pyabc counts, including those a
generation cancels at its end, over the wall time of the generations) and their ratio.
Both use pyabc's dynamic scheduling, so the ratio is the cost of Dask's scheduler and
network against a local pool, at about one simulation a second per worker.

    python benchmarks/bench_calibrate.py                       # 2 rounds, ~6 minutes
    python benchmarks/bench_calibrate.py --population 50 --generations 4 --rounds 3

Nothing is asserted: the numbers are to read (they depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
# the Dask workers unpickle bench_sweep's warm-up runs and the calibration: both importable
os.environ["PYTHONPATH"] = os.pathsep.join([*sys.path[:2], os.environ.get("PYTHONPATH", "")])

from bench_sweep import DaskCluster  # noqa: E402

from experiments.calibration import calibrate as cal  # noqa: E402
from experiments.calibration.setup import Setup  # noqa: E402
from experiments.engine.runners import DaskRunner, LocalRunner  # noqa: E402
from experiments.validation.targets import targets_path  # noqa: E402

#: Four parameters the screening of the shipped targets marks (docs/calibration.md).
PARAMETERS = "visibility_fade,intention_act_rate,hire_rate,community_shock_rate"


def rate(out: Path, runner, names: list[str], budget: cal.Budget) -> float:
    """Simulations per second of one fresh ABC-SMC into ``out``."""
    out.mkdir(parents=True)
    setup = Setup(str(targets_path("targets")), "default")
    observed = cal.observed(setup.targets(), cal.evaluate((setup, 1, {})))
    with runner:
        start = time.perf_counter()
        cal.run_abc(out, setup, names, observed, cal.sampler(runner), budget, lambda row: None)
        seconds = time.perf_counter() - start
    return cal.generations_done(out)["samples"].sum() / seconds


def local_rate(out: Path, names, budget) -> float:
    return rate(out, LocalRunner(cal.evaluate, 2), names, budget)


def dask_rate(out: Path, names, budget) -> float:
    with DaskCluster(2) as cluster:
        runner = DaskRunner(cal.evaluate, cluster.address)
        with runner:  # warm: pyabc and the targets imported on every worker before timing
            runner.client.run(__import__, "experiments.calibration.calibrate")
        return rate(out, runner, names, budget)


CONFIGURATIONS = {"local, 2 processes": local_rate, "Dask, 2 workers": dask_rate}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", type=int, default=30, help="particles (default: 30)")
    ap.add_argument("--generations", type=int, default=3, help="generations (default: 3)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of each (default: 2)")
    ap.add_argument("--parameters", default=PARAMETERS, help="comma-separated parameters")
    args = ap.parse_args()
    names = args.parameters.split(",")
    budget = cal.Budget(args.population, args.generations, 10**9)
    print(
        f"ABC-SMC on the shipped targets: {len(names)} parameters, {args.population} particles, "
        f"{args.generations} generations; cores: {os.cpu_count()}, load average at start: "
        f"{os.getloadavg()[0]:.2f}"
    )
    rates: dict[str, list[float]] = {label: [] for label in CONFIGURATIONS}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):  # in turns, so each sees the same spells of load
            for label, measure in CONFIGURATIONS.items():
                rates[label].append(measure(Path(tmp) / f"{i}-{label}", names, budget))
            line = "; ".join(f"{k} {v[-1]:.2f}/s" for k, v in rates.items())
            print(f"round {i + 1}: {line} (load {os.getloadavg()[0]:.1f})", flush=True)
    (local, dask), best = (statistics.median(v) for v in rates.values()), list(rates.values())
    print(f"\n{'':<20}{'median':>10}{'best':>10}   simulations per second")
    for label, values in rates.items():
        print(f"{label:<20}{statistics.median(values):10.2f}{max(values):10.2f}")
    print(f"{'Dask / local':<20}{dask / local:10.2f}{max(best[1]) / max(best[0]):10.2f}")


if __name__ == "__main__":
    main()
