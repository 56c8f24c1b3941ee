"""Speed and scale of the reintegration model, paired run by run with Boltzmann anchors.

An agent-step is one agent (returnee, household or community) through one month; a
returnee-step counts returnees only (households and communities are cheap rows beside them,
so agent-steps flatter the model: both are reported). Every measurement runs in a fresh
process, so each reports its own time and peak memory.

Anchors, measured at the same number of agents as the model at each size:

- Mesa's own Boltzmann wealth example (shipped inside mesa), one ``mesa.Agent`` per person;
- mesa-frames' Boltzmann (polars), the DataFrame-based Mesa variant. mesa-frames pins numpy
  1.26 and the model needs numpy 2, so installing it beside the project would downgrade the
  project's numpy: its anchor runs with the interpreter of a virtual environment of its own,
  ``.venv-frames`` (``make bench`` makes it; ``MESA_FRAMES_PYTHON`` names another), and is
  skipped with a note where there is none.

Shared machines are noisy, so nothing keeps "the best run of each side": each round runs
every anchor and the model in turns, at each size (alternating the order round by round),
and the ratio is taken within the round. The table gives the median of those per-round
ratios with their range. The model runs as a sweep's runs do: the DataCollector's monthly
outcomes, no per-returnee record (the child ``model_record`` keeps one in memory, as a
comparison's runs do: ``--child model_record 100000 36``).

``--command`` also times ``reintegrate run`` as a user runs it, a whole process (imports,
build, the months, every table written, the per-returnee one month by month): its wall and
CPU seconds and peak memory at each size, in turns with the rounds above.

    python benchmarks/bench_speed.py                      # 1k, 10k, 100k; 3 rounds
    python benchmarks/bench_speed.py --million            # adds 1,000,000 returnees (1 round)
    python benchmarks/bench_speed.py --sizes 100000,1000000 --rounds 1 --command \
        --plot scaling.png                                # the cost exponent to a million

``--plot`` draws seconds per month against returnees on log-log axes (and the whole command,
with ``--command``); the cost exponent between the two largest sizes (slope of log time on
log size: 1 is linear) is printed. Nothing is asserted: the numbers are to read.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The interpreter mesa-frames' anchor runs with (see the module's docstring).
FRAMES_PYTHON = Path(
    os.environ.get(
        "MESA_FRAMES_PYTHON", Path(__file__).resolve().parents[1] / ".venv-frames/bin/python"
    )
)
RETURNEES_PER_COMMUNITY = 50  # communities grow with the returns, villages keep their size
ANCHOR_AGENT_STEPS = 2_000_000  # anchors step until about this many agent-steps (>= 3 steps)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_model(n: int, months: int, record: bool = False) -> dict:
    """The model as a sweep runs it (no per-returnee record) or, with ``record``, keeping
    every month's per-returnee rows in memory as a comparison's runs do."""
    from model.model import ReintegrationModel
    from model.outcomes import Record

    start = time.perf_counter()
    model = ReintegrationModel(
        rng=1,
        strategy="integrated",
        n_returnees=n,
        n_communities=max(20, n // RETURNEES_PER_COMMUNITY),
        record=Record() if record else None,
    )
    built = time.perf_counter()
    for _ in range(months):
        model.step()
    stepped = time.perf_counter()
    w = model.world
    step_s = stepped - built
    return {
        "agents": w.returnees.n + w.households.n + w.communities.n,
        "returnees": n,
        "steps": months,
        "build_s": built - start,
        "step_s": step_s,
        "returnee_steps_per_s": n * months / step_s,
        "peak_mb": peak_mb(),
    }


def measure_boltzmann(n: int, steps: int) -> dict:
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    side = max(1, int(n**0.5))
    model = BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1))
    return _timed_steps(model, n, steps)


def measure_frames(n: int, steps: int) -> dict:
    """mesa-frames' Boltzmann as its introductory tutorial writes it (polars back end)."""
    import polars as pl
    from mesa_frames import AgentSetPolars, ModelDF

    class MoneyAgents(AgentSetPolars):
        def __init__(self, n: int, model: ModelDF):
            super().__init__(model)
            self += pl.DataFrame(
                {"unique_id": pl.arange(n, eager=True), "wealth": pl.ones(n, eager=True)}
            )

        def step(self) -> None:
            self.select(self.wealth > 0)
            others = self.agents.sample(n=len(self.active_agents), with_replacement=True)
            self["active", "wealth"] -= 1
            received = others.group_by("unique_id").len()
            self[received["unique_id"], "wealth"] += received["len"]

    class MoneyModel(ModelDF):
        def __init__(self, n: int):
            super().__init__()
            self.agents += MoneyAgents(n, self)

        def step(self) -> None:
            self.agents.do("step")

    return _timed_steps(MoneyModel(n), n, steps)


def _timed_steps(model, n: int, steps: int) -> dict:
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - start
    return {"agents": n, "steps": steps, "step_s": elapsed, "peak_mb": peak_mb()}


def measure_model_record(n: int, months: int) -> dict:
    return measure_model(n, months, record=True)


MEASURES = {
    "model": measure_model,
    "model_record": measure_model_record,
    "boltzmann": measure_boltzmann,
    "frames": measure_frames,
}


def in_child(kind: str, n: int, steps: int) -> dict:
    """Run one measurement in a fresh process (its own peak memory, no warm caches)."""
    python = str(FRAMES_PYTHON) if kind == "frames" else sys.executable
    out = subprocess.run(
        [python, __file__, "--child", kind, str(n), str(steps)],
        check=True,
        capture_output=True,
        text=True,
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["agent_steps_per_s"] = row["agents"] * row["steps"] / row["step_s"]
    return row


def time_command(n: int, months: int) -> dict:
    """``reintegrate run`` at ``n`` returnees, its tables written to a scratch folder: the
    whole process's wall and CPU seconds and peak memory (the kernel's account of it)."""
    reintegrate = Path(sys.executable).parent / "reintegrate"
    communities = max(20, n // RETURNEES_PER_COMMUNITY)
    with tempfile.TemporaryDirectory() as scratch:
        argv = [str(reintegrate), "run", "--months", str(months), "--set", f"n_returnees={n}",
                "--set", f"n_communities={communities}", "--out", f"{scratch}/run"]  # fmt: skip
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"reintegrate run failed at {n:,} returnees: exit {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"returnees": n, "months": months, "wall_s": wall, "cpu_s": cpu,
            "peak_mb": usage.ru_maxrss / 1024}  # fmt: skip


def one_round(n: int, months: int, anchors: list[str], flip: bool) -> dict:
    """The model and each anchor at the same number of agents, in turns, in one round."""
    order = ["model", *anchors]
    agents = agents_for(n)
    return {
        kind: in_child(kind, n, months)
        if kind == "model"
        else in_child(kind, agents, max(3, ANCHOR_AGENT_STEPS // agents))
        for kind in (order[::-1] if flip else order)
    }


def agents_for(n: int) -> int:
    """Returnees, households and communities of the model at ``n`` returnees."""
    from model.scenario import load_scenario

    communities = max(20, n // RETURNEES_PER_COMMUNITY)
    return n + communities * (load_scenario("default").households_per_community + 1)


def available_anchors() -> tuple[list[str], str]:
    """Mesa's Boltzmann always; mesa-frames' where its own environment imports it."""
    probe = [str(FRAMES_PYTHON), "-c", "import mesa_frames, polars"]
    if not FRAMES_PYTHON.exists() or subprocess.run(probe, capture_output=True).returncode:
        return ["boltzmann"], (f"mesa-frames not found at {FRAMES_PYTHON} (make bench makes "
                               "that environment): one anchor")  # fmt: skip
    return ["boltzmann", "frames"], ""


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def summarise(n: int, rounds: list[dict], anchors: list[str]) -> dict:
    models = [r["model"] for r in rounds]
    out = {
        "returnees": n,
        "agents": models[0]["agents"],
        "build_s": statistics.median(m["build_s"] for m in models),
        "step_s": statistics.median(m["step_s"] for m in models),
        "agent_steps_per_s": statistics.median(m["agent_steps_per_s"] for m in models),
        "returnee_steps_per_s": statistics.median(m["returnee_steps_per_s"] for m in models),
        "peak_mb": max(m["peak_mb"] for m in models),
        "rounds": rounds,
    }
    for kind in anchors:
        ratios = [r["model"]["agent_steps_per_s"] / r[kind]["agent_steps_per_s"] for r in rounds]
        returnee = [
            r["model"]["returnee_steps_per_s"] / r[kind]["agent_steps_per_s"] for r in rounds
        ]
        out[f"x_{kind}"] = ratios
        out[f"x_{kind}_returnee_steps"] = returnee
    return out


def exponent(rows: list[dict], seconds: tuple[str, ...]) -> float | None:
    """Slope of log(the sum of ``seconds``) on log(returnees), the two largest sizes."""
    if len(rows) < 2:
        return None
    a, b = rows[-2], rows[-1]
    cost = sum(b[k] for k in seconds) / sum(a[k] for k in seconds)
    return math.log(cost) / math.log(b["returnees"] / a["returnees"])


def print_commands(rows: list[dict]) -> None:
    """``reintegrate run`` as a whole process, medians over the rounds."""
    print("reintegrate run, whole process, tables written (medians over the rounds):")
    print(f"{'returnees':>10} {'months':>7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    for r in rows:
        print(f"{r['returnees']:>10,} {r['months']:>7} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f}"
              f" {r['peak_mb']:>8,.0f}")  # fmt: skip
    for k in ("wall_s", "cpu_s"):
        slope = exponent(rows, (k,))
        if slope is not None:
            a, b = rows[-2]["returnees"], rows[-1]["returnees"]
            print(f"{k[:-2]} exponent from {a:,} to {b:,} returnees: {slope:.2f} (1.00 is linear)")


def median_command(measured: list[dict]) -> dict:
    row = dict(measured[0])
    for k in ("wall_s", "cpu_s", "peak_mb"):
        row[k] = statistics.median(m[k] for m in measured)
    return row


def print_table(rows: list[dict], anchors: list[str], note: str) -> None:
    names = {"boltzmann": "x Mesa Boltzmann", "frames": "x mesa-frames"}
    print("agent-steps per second; ratios are medians of per-round pairs [range]")
    if note:
        print(note)
    header = f"{'returnees':>10} {'agents':>10} {'build s':>8} {'step s':>8} {'agent-st/s':>11}"
    header += f" {'ret-st/s':>10} {'peak MB':>8}"
    print(header + "".join(f"  {names[k]:>22}" for k in anchors))
    for r in rows:
        line = (
            f"{r['returnees']:>10,} {r['agents']:>10,} {r['build_s']:>8.2f} {r['step_s']:>8.2f}"
            f" {r['agent_steps_per_s']:>11,.0f} {r['returnee_steps_per_s']:>10,.0f}"
            f" {r['peak_mb']:>8,.0f}"
        )
        print(line + "".join(f"  {spread(r[f'x_{k}']):>22}" for k in anchors))
    print("returnee-steps only (ratio of returnee-steps/s to the anchor's agent-steps/s):")
    for r in rows:
        cells = ", ".join(f"{names[k]} {spread(r[f'x_{k}_returnee_steps'])}" for k in anchors)
        print(f"  {r['returnees']:>10,}: {cells}")
    slope = exponent(rows, ("build_s", "step_s"))
    if slope is not None:
        a, b = rows[-2]["returnees"], rows[-1]["returnees"]
        print(f"cost exponent from {a:,} to {b:,} returnees: {slope:.2f} (1.00 is linear)")


def plot_scaling(rows: list[dict], commands: list[dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["returnees"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(n, [r["build_s"] for r in rows], "o-", label="build")
    ax.loglog(
        n, [r["step_s"] / r["rounds"][0]["model"]["steps"] for r in rows], "s-", label="one month"
    )
    ax.loglog(
        n,
        [n_ * rows[0]["step_s"] / rows[0]["rounds"][0]["model"]["steps"] / n[0] for n_ in n],
        "k:",
        label="linear from the smallest",
    )
    if commands:
        ax.loglog([c["returnees"] for c in commands], [c["wall_s"] for c in commands], "^-",
                  label=f"reintegrate run, {commands[0]['months']} months (wall)")  # fmt: skip
    ax.set_xlabel("returnees")
    ax.set_ylabel("seconds")
    ax.set_title("Cost against size")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--million", action="store_true", help="also run 1,000,000 returnees")
    ap.add_argument("--sizes", help="comma-separated returnee counts (default 1000,10000,100000)")
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--rounds", type=int, default=3, help="paired rounds per size")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--plot", help="write the cost-against-size plot to this PNG")
    ap.add_argument("--command", action="store_true", help="also time reintegrate run")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, n, steps = args.child[0], int(args.child[1]), int(args.child[2])
        print(json.dumps(MEASURES[kind](n, steps)))
        return

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [1_000, 10_000, 100_000]
    sizes += [1_000_000] if args.million else []
    anchors, note = available_anchors()
    rows, commands = [], []
    for n in sizes:
        rounds = 1 if n >= 1_000_000 else args.rounds  # the million takes minutes a round
        measured, timed = [], []
        for i in range(rounds):
            measured.append(one_round(n, args.months, anchors, flip=i % 2 == 1))
            timed += [time_command(n, args.months)] if args.command else []
        rows.append(summarise(n, measured, anchors))
        commands += [median_command(timed)] if timed else []
    print_table(rows, anchors, note)
    if commands:
        print_commands(commands)
    if args.plot:
        plot_scaling(rows, commands, args.plot)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"anchors": anchors, "model": rows, "command": commands}, fh, indent=2)


if __name__ == "__main__":
    main()
