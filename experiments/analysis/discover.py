"""Scenario discovery: the regions of parameter space where an outcome falls short (PRIM).

PRIM (the EMA Workbench's ``ema_workbench.analysis.prim``) peels the sampled space down to
boxes that hold many of the runs of interest (coverage: the share of all such runs inside the
box) and few others (density: the share of the box's runs that are of interest). Along the
peeling trajectory coverage falls as density rises; we keep the densest box that still covers
at least ``min_coverage`` of the cases, then look for further boxes among the runs left.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

with warnings.catch_warnings():  # the workbench warns that optional ipyparallel is missing
    warnings.filterwarnings("ignore", "ipyparallel", UserWarning)
    from ema_workbench.analysis import prim

from experiments.sweeps.designs import Experiment
from model.inputs import ScenarioError

ALPHA = 0.05  # quasi-p-value above which a box's restriction on a parameter is dropped


@dataclass
class Discovery:
    """The boxes found, their statistics, and how many runs were cases of interest."""

    question: str
    strategy: str
    threshold: float
    runs: int
    cases: int
    limits: pd.DataFrame  # box, parameter, low, high, design_low, design_high
    stats: pd.DataFrame  # box, coverage, density, mass, res_dim
    trajectory: pd.DataFrame  # the first box's peeling trajectory (coverage, density)

    def text(self) -> str:
        lines = [f"{self.question}: {self.cases} of {self.runs} runs"]
        for box in self.stats.itertuples():
            lines.append(
                f"box {box.box}: coverage {box.coverage:.0%}, density {box.density:.0%}, "
                f"mass {box.mass:.0%} of runs"
            )
            limits = self.limits[self.limits["box"] == box.box]
            lines += [
                f"  {r.parameter} from {r.low:.4g} to {r.high:.4g} "
                f"(sampled {r.design_low:.4g} to {r.design_high:.4g})"
                for r in limits.itertuples()
            ]
        return "\n".join(lines)


def cases(
    exp: Experiment,
    rows: pd.DataFrame,
    outcome: str,
    threshold: float,
    *,
    below: bool = True,
    strategy: str | None = None,
) -> tuple[pd.DataFrame, np.ndarray, str, str]:
    """The sampled parameters, which runs are cases, the question asked and the strategy."""
    problems = []
    if outcome not in exp.outcomes:
        problems.append(f"--outcome: {outcome!r} was not kept; allowed: {', '.join(exp.outcomes)}")
    if strategy is None and len(exp.strategies) > 1:
        problems.append(f"--strategy: choose one of {', '.join(exp.strategies)}")
    elif strategy is not None and strategy not in exp.strategies:
        problems.append(
            f"--strategy: {strategy!r} was not run; allowed: {', '.join(exp.strategies)}"
        )
    if not exp.factors:
        problems.append(f"discover: {exp.name} varies no parameters")
    if problems:
        raise ScenarioError(problems)
    strategy = strategy or exp.strategies[0]
    chosen = rows[(rows["strategy"] == strategy) & rows[outcome].notna()]
    values = chosen[outcome].to_numpy(float)
    y = values < threshold if below else values > threshold
    relation = "below" if below else "above"
    question = f"{outcome} {relation} {threshold:g} under {strategy}"
    return chosen[exp.names].reset_index(drop=True), y, question, strategy


def discover(
    exp: Experiment,
    rows: pd.DataFrame,
    outcome: str,
    threshold: float,
    *,
    below: bool = True,
    strategy: str | None = None,
    boxes: int = 2,
    min_coverage: float = 0.5,
) -> Discovery:
    """Find up to ``boxes`` PRIM boxes where the outcome is on the wrong side of the threshold."""
    if not 0 <= min_coverage <= 1:
        raise ScenarioError([f"--min-coverage: {min_coverage:g} is not allowed; allowed: 0 to 1"])
    x, y, question, strategy = cases(exp, rows, outcome, threshold, below=below, strategy=strategy)
    if not 0 < y.sum() < len(y):
        share = "none" if y.sum() == 0 else "all"
        raise ScenarioError([f"discover: {share} of the {len(y)} runs have {question}"])
    with warnings.catch_warnings():  # the workbench still uses pandas' deprecated inplace=
        warnings.filterwarnings("ignore", "The inplace keyword")
        finder = prim.Prim(x.astype(float), y)
    found, trajectory = [], None
    for _ in range(boxes):
        box = finder.find_box()
        if box is None:
            break
        if trajectory is None:
            trajectory = box.peeling_trajectory[["coverage", "density"]].copy()
        qp = _select(box, _choose(box.peeling_trajectory, min_coverage))
        if box.coverage == 0 or box.res_dim == 0:  # nothing left to find: the rest of the space
            break
        found.append((box, qp))
    return Discovery(
        question=question,
        strategy=strategy,
        threshold=threshold,
        runs=len(y),
        cases=int(y.sum()),
        limits=_limits(exp, finder, found),
        stats=pd.DataFrame(
            [{"box": i + 1, **b.stats} for i, (b, _) in enumerate(found)],
            columns=["box", "coverage", "density", "mass", "res_dim"],
        ),
        trajectory=trajectory,
    )


def _choose(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The densest step that still covers ``min_coverage`` of the cases (else the first)."""
    eligible = trajectory[trajectory["coverage"] >= min_coverage]
    return int(eligible["density"].idxmax()) if len(eligible) else 0


def _select(box, step: int, alpha: float = ALPHA) -> dict[str, float]:
    """Select a step, then drop restrictions that could be chance; the kept ones' quasi-p.

    A restriction whose quasi-p-value (the workbench's binomial test of whether the box's
    density could come from a box without it) is above ``alpha`` on every restricted side
    adds no real information, only a narrower-looking box.
    """
    box.select(step)
    quasi_p = {
        name: min((q for q in sides if q >= 0), default=1.0)
        for name, sides in box.p_values[step].items()
    }
    for name, q in quasi_p.items():
        if q > alpha:
            box.drop_restriction(name)
    return {name: q for name, q in quasi_p.items() if q <= alpha}


def _limits(exp: Experiment, finder, found) -> pd.DataFrame:
    """The restricted parameters of each box, next to the range that was sampled."""
    rows = []
    for i, (box, quasi_p) in enumerate(found):
        lims = box.box_lim
        for f in exp.factors:
            if f.name in quasi_p:
                low, high = float(lims.loc[0, f.name]), float(lims.loc[1, f.name])
                rows.append([i + 1, f.name, low, high, f.low, f.high, quasi_p[f.name]])
    columns = ["box", "parameter", "low", "high", "design_low", "design_high", "quasi_p"]
    return pd.DataFrame(rows, columns=columns)


def plot(d: Discovery) -> Figure:
    """Left: coverage against density along the first box's trajectory. Right: the boxes."""
    fig = Figure(figsize=(11, 1.8 + 0.45 * max(len(d.limits), 3)), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
    left.plot(d.trajectory["coverage"], d.trajectory["density"], ".-", color="#6baed6")
    pick = d.stats.iloc[0]
    left.plot(pick["coverage"], pick["density"], "o", color="#d62728", label="box 1 kept")
    left.set(xlabel="coverage", ylabel="density", xlim=(0, 1.05), ylim=(0, 1.05))
    left.set_title("peeling trajectory (box 1)")
    left.legend(loc="lower left")
    labels = []
    for k, r in enumerate(d.limits.itertuples()):
        span = r.design_high - r.design_low
        start, width = (r.low - r.design_low) / span, (r.high - r.low) / span
        right.barh(k, width, left=start, color=f"C{r.box - 1}", alpha=0.7)
        labels.append(f"box {r.box}: {r.parameter}\n{r.low:.3g} to {r.high:.3g}")
    right.set_yticks(range(len(labels)), labels)
    right.set_xlim(0, 1)
    right.invert_yaxis()
    right.set(xlabel="share of the sampled range", title=d.question)
    return fig


def write(d: Discovery, out: Path) -> list[Path]:
    """``boxes.csv`` (limits with each box's coverage and density) and ``boxes.png``."""
    out.mkdir(parents=True, exist_ok=True)
    table = d.limits.merge(d.stats, on="box", how="right")
    paths = [out / "boxes.csv", out / "boxes.png", out / "summary.md"]
    table.to_csv(paths[0], index=False)
    plot(d).savefig(paths[1], dpi=120)
    paths[2].write_text(d.text() + "\n")
    return paths
