"""Speed and scale of the reintegration model, against Mesa's own Boltzmann wealth example.

An agent-step is one agent (returnee, household or community) through one month. Every size
runs in its own process, so each reports its own time and peak memory; all sizes and the
Boltzmann reference run in one invocation, so their ratio is measured on one machine at one
time. Shared machines are noisy: each measurement is repeated (``--repeat``, alternating the
reference and the model) and the fastest run of each is kept. Monthly data collection
stays on (the model's DataCollector and per-returnee record).

    python benchmarks/bench_speed.py                  # 1k, 10k, 100k returnees and Boltzmann
    python benchmarks/bench_speed.py --million        # adds 1,000,000 returnees over 36 months
    python benchmarks/bench_speed.py --json out.json  # also write the figures

Targets (issue 2): at 10,000 returnees at least 30x the Boltzmann example's agent-steps per
second on one core; 100,000 returnees over 36 months under 30 s and 4 GB; 1,000,000 completes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

RETURNEES_PER_COMMUNITY = 50  # communities grow with the returns, villages keep their size


def measure_model(n: int, months: int) -> dict:
    from model.model import ReintegrationModel

    start = time.perf_counter()
    model = ReintegrationModel(
        rng=1,
        strategy="integrated",
        n_returnees=n,
        n_communities=max(20, n // RETURNEES_PER_COMMUNITY),
    )
    built = time.perf_counter()
    for _ in range(months):
        model.step()
    stepped = time.perf_counter()
    w = model.world
    agents = w.returnees.n + w.households.n + w.communities.n
    return {
        "model": "reintegration",
        "returnees": n,
        "agents": agents,
        "months": months,
        "build_s": built - start,
        "step_s": stepped - built,
        "total_s": stepped - start,
        "agent_steps_per_s": agents * months / (stepped - built),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_boltzmann(n: int, steps: int) -> dict:
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    side = int(n**0.5)
    model = BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1))
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - start
    return {
        "model": "boltzmann",
        "agents": n,
        "months": steps,
        "step_s": elapsed,
        "agent_steps_per_s": n * steps / elapsed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_child(kind: str, n: int, steps: int) -> dict:
    """Run one measurement in a fresh process (its own peak memory, no warm caches)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), str(steps)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--million", action="store_true", help="also run 1,000,000 returnees")
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, n, steps = args.child[0], int(args.child[1]), int(args.child[2])
        measure = measure_model if kind == "model" else measure_boltzmann
        print(json.dumps(measure(n, steps)))
        return

    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.million else [])
    runs: dict = {"boltzmann": [], **{n: [] for n in sizes}}
    for _ in range(args.repeat):
        runs["boltzmann"].append(in_child("boltzmann", 10_000, 50))
        for n in sizes:
            if n < 1_000_000 or not runs[n]:  # the million runs once: it takes minutes
                runs[n].append(in_child("model", n, args.months))
    fastest = {k: max(v, key=lambda r: r["agent_steps_per_s"]) for k, v in runs.items()}
    boltzmann, rows = fastest["boltzmann"], [fastest[n] for n in sizes]
    ref = boltzmann["agent_steps_per_s"]
    print(f"Mesa Boltzmann wealth example, 10,000 agents: {ref:,.0f} agent-steps/s")
    print(
        f"{'returnees':>10} {'agents':>10} {'build s':>8} {'step s':>8} {'agent-steps/s':>14} "
        f"{'x Boltzmann':>12} {'peak MB':>8}"
    )
    for r in rows:
        r["ratio_to_boltzmann"] = r["agent_steps_per_s"] / ref
        print(
            f"{r['returnees']:>10,} {r['agents']:>10,} {r['build_s']:>8.2f} {r['step_s']:>8.2f} "
            f"{r['agent_steps_per_s']:>14,.0f} {r['ratio_to_boltzmann']:>12.1f} "
            f"{r['peak_mb']:>8,.0f}"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"boltzmann": boltzmann, "model": rows}, fh, indent=2)


if __name__ == "__main__":
    main()
