"""Many worlds stepped together: runs per core-hour batched against alone (issue 26, item 1).

In one process (one core), on the default scenario (1,000 returnees, 24 months, the
integrated strategy, summaries only as sweeps and calibration keep them), each round makes
the same runs alone (``perform``, one after another) and as batches (``perform_batch``) of
each size, taking turns so each sees the same spells of load, and prints per size: the
median over rounds of the per-round ratio batched / alone in runs per core-hour, and the
amortised milliseconds per run in a batch (target for the default run: 15 ms or less).
Times are this process's CPU seconds (one core), not wall time: on a shared machine the
wall clock counts other sessions' work too.

    python benchmarks/bench_batch.py                     # sizes 1 4 16 64, 3 rounds
    python benchmarks/bench_batch.py --sizes 1 16 --rounds 5

Nothing is asserted: the numbers are to read (they depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import statistics
import time

from model.run import RunSpec, perform, perform_batch


def specs(n: int, first_seed: int) -> list[RunSpec]:
    return [RunSpec(seed=first_seed + i, record="summary") for i in range(n)]


def timed(make) -> float:
    start = time.process_time()
    make()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    perform_batch(specs(2, 10_000))  # warm: imports, first-call costs
    ratios: dict[int, list[float]] = {n: [] for n in args.sizes}
    each_ms: dict[int, list[float]] = {n: [] for n in args.sizes}
    alone_ms: list[float] = []
    for r in range(args.rounds):
        for n in args.sizes:
            runs = specs(n, 1_000 * r + n)
            alone = timed(lambda runs=runs: [perform(s) for s in runs])
            batched = timed(lambda runs=runs: perform_batch(runs))
            ratios[n].append(alone / batched)
            each_ms[n].append(1_000 * batched / n)
            alone_ms.append(1_000 * alone / n)
    print(f"default run alone: {statistics.median(alone_ms):.1f} ms (median of every size/round)")
    print("batch size | runs per core-hour, batched / alone | amortised ms per run | runs/core-h")
    for n in args.sizes:
        ms, ratio = statistics.median(each_ms[n]), statistics.median(ratios[n])
        print(f"{n:>10} | {ratio:>36.2f} | {ms:>20.1f} | {3.6e6 / ms:>10.0f}")


if __name__ == "__main__":
    main()
