"""The optimiser's throughput and how fast it converges, on a shipped scenario.

One invocation runs ``reintegrate optimise`` as a planner would (the shipped scenario, its
calibrated worlds if it has them, the default trials), into a fresh folder, and prints

- **candidate mixes judged per hour** (each judged in every world and replicate, so one
  candidate is ``worlds x replicates`` model runs), over the search alone;
- the search's convergence: the best share (worst tenth of worlds) that does no harm, after
  each quarter of the trials, from the run's ``trials.csv`` (the same curve as its
  ``convergence.png``).

    python benchmarks/bench_optimise.py          # default, 64 trials, ~10 min on 2 cores
    python benchmarks/bench_optimise.py --scenario mass_return --trials 32 --workers 2

Nothing is asserted: the numbers are to read (they depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from experiments.cli import main  # noqa: E402
from experiments.optimise import search  # noqa: E402
from experiments.optimise.report import best_so_far  # noqa: E402


def measure(scenario: str, trials: int, workers: int, out: Path) -> tuple[float, pd.DataFrame]:
    """Seconds the search took (its trials timed through the run's progress) and the trials."""
    started: list[float] = []
    original = search.run_search

    def timed(*args, **kwargs):
        started.append(time.perf_counter())
        finished = original(*args, **kwargs)
        started.append(time.perf_counter())
        return finished

    search.run_search = timed
    try:
        code = main(["optimise", scenario, "--trials", str(trials), "--workers", str(workers),
                     "--quiet", "--out", str(out)])  # fmt: skip
    finally:
        search.run_search = original
    if code != 0:
        raise SystemExit(code)
    return started[1] - started[0], pd.read_csv(out / "trials.csv")


def convergence(trials: pd.DataFrame, parts: int = 4) -> list[tuple[int, float]]:
    best = best_so_far(trials).to_numpy()
    marks = [max(1, round(len(best) * (i + 1) / parts)) for i in range(parts)]
    return [(m, float(best[m - 1])) for m in marks]


def main_() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="default")
    ap.add_argument("--trials", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seconds, trials = measure(args.scenario, args.trials, args.workers, Path(tmp) / "out")
    print(f"{args.scenario}: {len(trials)} candidate mixes judged in {seconds:.0f} s on "
          f"{args.workers} worker(s): {3600 * len(trials) / seconds:,.0f} per hour")  # fmt: skip
    for done, best in convergence(trials):
        shown = "none yet does no harm" if pd.isna(best) else f"{100 * best:.1f}%"
        print(f"  after {done:>4} mixes: best that does no harm {shown}")


if __name__ == "__main__":
    main_()
