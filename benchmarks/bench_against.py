"""A default run's CPU time against another checkout of the code, paired (issue 26).

Each round runs this checkout and the other one in fresh processes, in turns (which goes
first alternates), and each process times its own CPU seconds (imports and a warm-up run
left out): the build of a default world, a default run alone (1,000 returnees, 24 months,
``integrated``, summaries only, as sweeps and calibration keep them) and the same runs
amortised in batches of 4 (``perform_batch``), and one calibration simulation (every fitted
target of the shipped file on the default scenario, one replicate at a new seed: what
``reintegrate calibrate`` runs per particle; simulations per hour on 2 cores are
7,200,000 / its milliseconds, if both cores do nothing else). It prints each side's median
and the median and range of the per-round ratios this / other, so a spell of load slows both
sides of a pair. Nothing is asserted: the numbers are to read.

    git archive START | tar -x -C /tmp/start          # the code to compare against
    python benchmarks/bench_against.py /tmp/start --rounds 12
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
MEASURES = ("build_ms", "alone_ms", "batch4_ms", "simulation_ms")


def measure() -> dict[str, float]:
    """This process's CPU milliseconds per build, per run alone, per run in a batch of 4 and
    per calibration simulation."""
    from experiments.calibration.calibrate import evaluate
    from experiments.calibration.setup import Setup
    from experiments.validation.targets import targets_path
    from model.run import RunSpec, perform, perform_batch, start

    setup = Setup(str(targets_path("targets")), "default")

    def spec(seed: int) -> RunSpec:
        return RunSpec(seed=seed, record="summary")

    def cpu_ms(make, n: int) -> float:
        begin = time.process_time()
        make()
        return 1_000 * (time.process_time() - begin) / n

    perform_batch([spec(900), spec(901)])  # warm: first-call costs
    return {
        "build_ms": cpu_ms(lambda: [start(spec(i)) for i in range(8)], 8),
        "alone_ms": cpu_ms(lambda: [perform(spec(i)) for i in range(8)], 8),
        "batch4_ms": cpu_ms(
            lambda: [perform_batch([spec(4 * j + i) for i in range(4)]) for j in range(2)], 8
        ),
        "simulation_ms": cpu_ms(lambda: [evaluate((setup, seed, {})) for seed in (1, 2)], 2),
    }


def child(checkout: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", nargs="?", type=Path, help="the other checkout's root")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure()))
        return
    if args.other is None or not (args.other / "model").is_dir():
        parser.error("other: a checkout of the project (a folder holding model/)")
    pairs = []
    for r in range(args.rounds):
        sides = [("this", HERE), ("other", args.other.resolve())]
        pair = {name: child(root) for name, root in (sides if r % 2 else sides[::-1])}
        pairs.append(pair)
        print(f"round {r + 1}: " + json.dumps(pair), flush=True)
    print("measure       | this (median) | other (median) | this / other: median [range]")
    for key in MEASURES:
        ratios = [p["this"][key] / p["other"][key] for p in pairs]
        this, other = (statistics.median(p[side][key] for p in pairs) for side in ("this", "other"))
        print(
            f"{key:<13} | {this:>13.1f} | {other:>14.1f} | "
            f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]"
        )


if __name__ == "__main__":
    main()
