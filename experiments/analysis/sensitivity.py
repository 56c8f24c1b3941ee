"""Global sensitivity analysis of a finished sweep: Sobol indices or Morris screening (SALib).

Replicates are averaged per design point and strategy first, so the indices describe how the
expected outcome responds to the parameters; the run-to-run noise left in those means shows
up as wider confidence intervals, not as a parameter's effect. Each strategy is analysed on
its own: which assumptions matter can differ between, say, individual and integrated support.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from SALib.analyze import morris, sobol

from experiments.sweeps.designs import Experiment
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

METHODS = ("sobol", "morris")
CONF_LEVEL = 0.95
TOP = 3  # parameters named per outcome in the text
SHOWN = 15  # parameters drawn per Morris panel, by mu*


def design_means(exp: Experiment, rows: pd.DataFrame) -> pd.DataFrame:
    """Outcomes averaged over replicates, indexed by (strategy, point); failed runs skipped."""
    expected = len(exp.runs())
    if len(rows) < expected:
        raise ScenarioError(
            [
                f"sensitivity: the sweep is unfinished ({len(rows)} of {expected} runs); "
                "finish it with reintegrate sweep --resume"
            ]
        )
    return rows.groupby(["strategy", "point"])[list(exp.outcomes)].mean()


def analyse(exp: Experiment, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Indices for every outcome and strategy (one long table), and notes on what was skipped."""
    if exp.method not in METHODS:
        raise ScenarioError(
            [
                f"sensitivity: {exp.name} has a {exp.method!r} design; allowed: "
                f"{', '.join(METHODS)} (make a Sobol or Morris experiment)"
            ]
        )
    means = design_means(exp, rows)
    x = exp.sample()
    tables, notes = [], []
    for strategy in exp.strategies:
        for outcome in exp.outcomes:
            y = means.loc[strategy, outcome].reindex(range(len(x))).to_numpy(float)
            label = f"{outcome} ({strategy})"
            if np.isnan(y).any():
                notes.append(f"{label}: {np.isnan(y).sum()} design points have no value; skipped")
            elif np.ptp(y) == 0:
                notes.append(f"{label}: does not vary over the design; skipped")
            else:
                table = _INDICES[exp.method](exp, x, y)
                tables.append(table.assign(outcome=outcome, strategy=strategy))
    if not tables:
        return pd.DataFrame(), notes
    columns = ["outcome", "strategy", "parameter"]
    table = pd.concat(tables, ignore_index=True)
    return table[columns + [c for c in table.columns if c not in columns]], notes


def _sobol(exp: Experiment, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    si = sobol.analyze(
        exp.problem(),
        y,
        calc_second_order=exp.second_order,
        conf_level=CONF_LEVEL,
        seed=exp.seed,
    )
    keys = ["S1", "S1_conf", "ST", "ST_conf"]
    return pd.DataFrame({"parameter": exp.names, **{k: si[k] for k in keys}})


def _morris(exp: Experiment, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    si = morris.analyze(
        exp.problem(), x, y, conf_level=CONF_LEVEL, num_levels=exp.levels, seed=exp.seed
    )
    keys = ["mu", "mu_star", "mu_star_conf", "sigma"]
    return pd.DataFrame({"parameter": exp.names, **{k: np.asarray(si[k]) for k in keys}})


_INDICES = {"sobol": _sobol, "morris": _morris}
#: The index each method ranks parameters by.
RANK_BY = {"sobol": "ST", "morris": "mu_star"}
#: The indices with a confidence interval (half-width in ``INDEX_conf``), per method.
WITH_CONFIDENCE = {"sobol": ("ST", "S1"), "morris": ("mu_star",)}
#: A recommended design makes each leading index's interval at most this share of it.
TARGET_HALF_WIDTH = 0.5
#: Indices below this share of the largest one are too small to matter for the advice.
MATERIAL = 0.05


def drivers(exp: Experiment, table: pd.DataFrame) -> list[str]:
    """One line per outcome and strategy: the parameters that drive it most, which indices
    are distinguishable from zero, and the samples that would settle the leading ones."""
    key = RANK_BY[exp.method]
    lines = []
    for (outcome, strategy), group in table.groupby(["outcome", "strategy"], sort=False):
        top = group.nlargest(TOP, key)
        named = ", ".join(
            f"{r.parameter} ({key} {getattr(r, key):.2g} ± {getattr(r, key + '_conf'):.2g})"
            for r in top.itertuples()
        )
        lines.append(
            f"{outcome} ({strategy}): driven most by {named}{_caveat(exp, group)}; "
            f"{_confidence(exp, group)}; {_advice(exp, top)}"
        )
    return lines


def distinguishable(exp: Experiment, group: pd.DataFrame) -> dict[str, list[str]]:
    """Per index, the parameters whose 95% interval excludes zero."""
    return {
        index: group.loc[group[index] - group[f"{index}_conf"] > 0, "parameter"].tolist()
        for index in WITH_CONFIDENCE[exp.method]
    }


def _confidence(exp: Experiment, group: pd.DataFrame) -> str:
    if too_few_trajectories(exp):
        return (f"with {exp.samples} trajectories no interval is resolved (a bootstrap needs "
                f"at least {fewest_trajectories()}), so none is told from zero")  # fmt: skip
    found = distinguishable(exp, group)
    named = [f"{index} of {', '.join(p)}" for index, p in found.items() if p]
    if not named:
        return "no index is distinguishable from zero (every 95% interval includes 0)"
    return "distinguishable from zero (95% interval excludes 0): " + "; ".join(named)


def fewest_trajectories(level: float = CONF_LEVEL) -> int:
    """Fewest Morris trajectories whose elementary effects a bootstrap can give a ``level``
    interval from. SALib's interval for mu* is a percentile bootstrap over the r effects of
    each parameter; a percentile interval needs a resample beyond each of its ends, so at
    least 2 / (1 - level) distinct resamples (40 at 95%), and r values have C(2r - 1, r)
    (the multisets of r drawn from r). Fewer, and the ends are the extremes themselves: two
    trajectories gave an interval of +-1e-16 around 0.011. At 95% this is 5 trajectories
    (4 give 35 resamples)."""
    r = 2
    while math.comb(2 * r - 1, r) < 2 / (1 - level):
        r += 1
    return r


def too_few_trajectories(exp: Experiment) -> bool:
    """A Morris design too small for its bootstrap intervals (:func:`fewest_trajectories`)."""
    return exp.method == "morris" and (exp.samples or 1) < fewest_trajectories()


def recommended_samples(exp: Experiment, top: pd.DataFrame) -> int:
    """Samples for which each leading index's interval is at most half the index.

    A confidence half-width shrinks as one over the square root of the samples, so the
    samples needed grow with the square of how much it must shrink; Saltelli sampling takes
    a power of 2. Indices at or below zero, or too small to matter (under ``MATERIAL`` of the
    largest), are left out: telling them from zero would take any number of samples. A Sobol
    index is a share of variance, at most 1: an estimate above 1 is taken as 1, so a design
    too small for its estimates to be shares is not called settled.
    """
    ratios = [
        (top[f"{index}_conf"] / (TARGET_HALF_WIDTH * _at_most_one(exp, top[index])))[
            (top[index] > 0) & (top[index] >= MATERIAL * top[index].max())
        ]
        for index in WITH_CONFIDENCE[exp.method]
    ]
    factor = max([1.0, *(float(r.max()) ** 2 for r in ratios if len(r))])
    samples = math.ceil((exp.samples or 1) * factor)
    if exp.method == "sobol":
        return 2 ** math.ceil(math.log2(samples))
    return max(samples, fewest_trajectories())


def _at_most_one(exp: Experiment, index: pd.Series) -> pd.Series:
    """Sobol indices as the shares they estimate (at most 1); Morris effects as they are."""
    return index.clip(upper=1.0) if exp.method == "sobol" else index


def _advice(exp: Experiment, top: pd.DataFrame) -> str:
    needed = recommended_samples(exp, top)
    if needed <= (exp.samples or 1):
        return f"the {exp.samples} samples settle the leading indices"
    return (
        f"recommend samples = {needed} (now {exp.samples}), for intervals at most half of "
        "each leading index; until then the ranking is not settled"
    )


def _caveat(exp: Experiment, group: pd.DataFrame) -> str:
    """Name parameters whose effect is mostly interaction or non-linearity: for Sobol, ST
    above S1 by more than 0.1 and by more than their 95% intervals (overlapping intervals
    cannot tell an interaction from the estimators' noise)."""
    if exp.method == "sobol":
        apart = group["ST"] - group["ST_conf"] > group["S1"] + group["S1_conf"]
        mixed = group[((group["ST"] - group["S1"]) > 0.1) & apart]["parameter"].tolist()
        what = "acts through interactions" if len(mixed) == 1 else "act through interactions"
    else:
        mixed = group[group["sigma"] > group["mu_star"]]["parameter"].tolist()
        mixed = [p for p in mixed if p in group.nlargest(TOP, "mu_star")["parameter"].tolist()]
        what = "non-linear or interacting"
    return f"; {', '.join(mixed)} {what}" if mixed else ""


def plot(exp: Experiment, table: pd.DataFrame, outcome: str) -> Figure:
    """One panel per strategy: Sobol S1 and ST, or Morris mu* and sigma, with intervals."""
    groups = [(s, g) for s, g in table[table["outcome"] == outcome].groupby("strategy", sort=False)]
    height = 1.2 + 0.28 * min(len(exp.factors), SHOWN)
    fig = Figure(figsize=(5.5 * len(groups), height), layout="constrained")
    axes = fig.subplots(1, len(groups), squeeze=False)
    for ax, (strategy, group) in zip(axes[0], groups, strict=True):
        (_sobol_panel if exp.method == "sobol" else _morris_panel)(ax, group)
        ax.set_title(f"{outcome}: {strategy}")
    return fig


def _sobol_panel(ax, group: pd.DataFrame) -> None:
    g = group.sort_values("ST")
    pos = np.arange(len(g))
    ax.barh(pos + 0.2, g["ST"], 0.4, xerr=g["ST_conf"], label="total (ST)", color="#9ecae1")
    ax.barh(pos - 0.2, g["S1"], 0.4, xerr=g["S1_conf"], label="first order (S1)", color="#3182bd")
    ax.set_yticks(pos, g["parameter"])
    ax.set_xlabel("Sobol index (share of variance), 95% interval")
    ax.legend(loc="lower right")


def _morris_panel(ax, group: pd.DataFrame) -> None:
    g = group.nlargest(SHOWN, "mu_star").iloc[::-1]
    pos = np.arange(len(g))
    ax.barh(pos + 0.2, g["sigma"], 0.4, label="sigma (non-linear, interacting)", color="#9ecae1")
    ax.barh(pos - 0.2, g["mu_star"], 0.4, xerr=g["mu_star_conf"], label="mu*", color="#3182bd")
    ax.set_yticks(pos, g["parameter"])
    ax.set_xlabel(f"elementary effect (top {len(g)} of {len(group)} by mu*)")
    ax.legend(loc="lower right")


def write(exp: Experiment, table: pd.DataFrame, notes: list[str], out: Path) -> list[Path]:
    """A CSV and a PNG per outcome, and ``summary.md`` with the drivers and notes."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for outcome, group in table.groupby("outcome", sort=False):
        group.to_csv(out / f"{outcome}.csv", index=False)
        fig = plot(exp, table, outcome)
        fig.savefig(out / f"{outcome}.png", dpi=120)
        paths += [out / f"{outcome}.csv", out / f"{outcome}.png"]
    text = summary_text(exp, table, notes)
    (out / "summary.md").write_text(text + "\n\n" + ranges_text(exp) + "\n")
    return [*paths, out / "summary.md"]


def ranges_text(exp: Experiment) -> str:
    """What was varied, as the parameter table names and measures it: the indices are about
    these ranges (a wider range would give a parameter more of the variance)."""
    rows = [f"| {f.name} | {f.low:g} | {f.high:g} | {PARAMETERS[f.name].unit} |"
            for f in exp.factors]  # fmt: skip
    return "\n".join(["## Parameters varied (model/parameters.py, docs/ODD.md)", "",
                      "| parameter | low | high | unit |", "|---|---|---|---|", *rows])  # fmt: skip


def summary_text(exp: Experiment, table: pd.DataFrame, notes: list[str]) -> str:
    method = {"sobol": "Sobol indices", "morris": "Morris screening"}[exp.method]
    head = (
        f"# {exp.name}: {method} over {len(exp.factors)} parameters, "
        f"{exp.replicates} replicate(s) averaged per design point\n\n"
        "Each index has a 95% interval (±); a parameter counts only where that interval "
        "excludes zero, and a ranking among overlapping intervals is not a ranking."
    )
    body = drivers(exp, table) if len(table) else []
    return "\n".join([head, "", *(f"- {line}" for line in body), *(f"- note: {n}" for n in notes)])
