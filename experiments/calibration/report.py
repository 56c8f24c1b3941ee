"""What a calibration leaves beside its ensemble: plots and ``summary.md``.

``screening.png`` shows why these parameters were fitted (the Morris scores and the cut);
``marginals.png`` what the targets say about each (the weighted particles over the prior's
range, the table's default marked); ``fit.png`` whether the fit fits: per level target the
published figure and its tolerance beside the model at the table's defaults and over
posterior draws, each with the interval that holds 90% of its runs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pyabc import History

from experiments.calibration.calibrate import FIT_DRAWS, Calibration, db_url, elapsed
from experiments.calibration.checks import LOO, Prediction, leave_one_out, pile_lines, piles
from experiments.calibration.ensemble import write_ensemble
from experiments.calibration.screening import (
    MAX_PARAMETERS,
    SHARE_OF_LARGEST,
    TRAJECTORIES,
)
from experiments.calibration.setup import Setup
from experiments.validation.page import figure_text, model_value, published
from experiments.validation.targets import Target, Verdict, digest, verdict
from model.parameters import PARAMETERS
from model.scenario import load_scenario

SHOWN = 20  # parameters drawn in screening.png
INTERVAL = (5, 95)  # percentiles of the runs drawn as a model's interval


def write(out: Path, cal: Calibration) -> list[Path]:
    """The ensemble, the three plots and the summary, into ``out``."""
    meta = {
        "scenario": load_scenario(cal.setup.scenario).name,
        "targets_digest": digest(Path(cal.setup.targets_path)),
        "simulations": int(cal.generations["samples"].sum()),
        "prior_factor": cal.setup.factor,  # the priors' fallback rule
        "priors": _ranges(cal),  # the ranges drawn from, for the pile-up check later
    }
    paths = [write_ensemble(out, cal.particles, cal.weights, meta)]
    figures = {
        "marginals.png": marginals_plot(cal.setup, cal.particles, cal.weights),
        "fit.png": fit_plot(cal.setup.targets(), cal.at_defaults, cal.at_posterior),
    }
    if cal.screening is not None:
        figures["screening.png"] = screening_plot(cal.screening)
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=110)
        paths.append(out / name)
    stats, weights = final_population(out)
    predictions = leave_one_out(cal.setup.targets(), stats, weights)
    loo_table(predictions).to_csv(out / LOO, index=False)
    (out / "summary.md").write_text(summary(cal, predictions))
    return [*paths, out / LOO, out / "summary.md"]


def final_population(out: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The last generation's summary statistics (one row per particle) and weights."""
    weights, stats = History(db_url(out), _id=1).get_weighted_sum_stats()
    return pd.DataFrame(stats), np.asarray(weights, float)


def loo_table(predictions: list[Prediction]) -> pd.DataFrame:
    """One row per target component: the full fit's value and the value predicted without
    the target (what ``reintegrate targets`` puts on the validation page)."""
    rows = [
        {"target": p.target.id, "statistic": column, "full_fit": p.full[column],
         "left_out": value, "effective_size": p.effective_size, "passed": p.passed}
        for p in predictions
        for column, value in p.left_out.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def screening_plot(table: pd.DataFrame) -> Figure:
    top = table.head(SHOWN).iloc[::-1]
    fig = Figure(figsize=(7, 0.3 * len(top) + 1.2), layout="constrained")
    ax = fig.subplots()
    colours = ["tab:blue" if s else "tab:gray" for s in top["selected"]]
    ax.barh(top.index, top["score"], color=colours)
    ax.axvline(SHARE_OF_LARGEST * table["score"].max(), color="k", ls=":", lw=1)
    ax.set_xlabel("mu* on the calibration distance")
    ax.set_title(
        f"Morris screening: blue are calibrated (at most {MAX_PARAMETERS}, with each "
        "target's strongest lever)",
        fontsize=10,
    )
    return fig


def marginals_plot(setup: Setup, particles: pd.DataFrame, weights: np.ndarray) -> Figure:
    names = list(particles.columns)
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig = Figure(figsize=(3.6 * cols, 2.4 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax, name in zip(axes, names, strict=False):
        p = PARAMETERS[name]
        span = setup.prior_range(p)
        ax.hist(particles[name], bins=20, range=span, weights=weights, color="tab:blue")
        ax.axvline(p.default, color="k", ls="--", lw=1, label="table default")
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.suptitle("Posterior marginals over each prior's range (uniform)", fontsize=10)
    return fig


def fit_plot(targets: list[Target], at_defaults: list[dict], at_posterior: list[dict]) -> Figure:
    levels = [t for t in targets if t.kind == "level"]
    fig = Figure(figsize=(7, 0.9 * len(levels) + 1.2), layout="constrained")
    ax = fig.subplots()
    for row, t in enumerate(levels):
        assert t.figure is not None and t.tolerance is not None
        y = len(levels) - 1 - row
        ax.barh(y, 2 * t.tolerance, left=t.figure - t.tolerance, height=0.6, color="0.88")
        ax.plot([t.figure], [y], "k|", ms=14, label="published ± tolerance" if row == 0 else None)
        for shift, runs, colour, label in (
            (0.15, at_defaults, "tab:gray", "model at table defaults"),
            (-0.15, at_posterior, "tab:blue", f"model over {FIT_DRAWS} posterior draws"),
        ):
            values = np.array([r[t.id]["value"] for r in runs], float)
            low, high = np.nanpercentile(values, INTERVAL)
            ax.plot([low, high], [y + shift] * 2, color=colour, lw=2)
            ax.plot([np.nanmean(values)], [y + shift], "o", color=colour,
                    label=label if row == 0 else None)  # fmt: skip
    ax.set_yticks(range(len(levels)), [t.id for t in reversed(levels)], fontsize=8)
    ax.set_xlabel("value (each target in its own unit); lines: 90% of runs")
    ax.legend(fontsize=7, loc="best")
    return fig


def verdicts(targets: list[Target], runs: list[dict]) -> list[Verdict]:
    return [verdict(t, [r[t.id] for r in runs]) for t in targets]


def summary(cal: Calibration, predictions: list[Prediction]) -> str:
    """The run in numbers, bounds that bind, each target's fit before and after, and each
    predicted without it, for a reader of DIR."""
    g = cal.generations
    targets = cal.setup.targets()
    before, after = verdicts(targets, cal.at_defaults), verdicts(targets, cal.at_posterior)
    lines = [
        "# Calibration summary",
        "",
        f"- targets: `{cal.setup.targets_path}` (fingerprint "
        f"`{digest(Path(cal.setup.targets_path))}`), scenario `{cal.setup.scenario}`",
        f"- priors: uniform over {_priors(cal.setup, cal.particles.columns)}",
        _screening_line(cal.screening),
        f"- ABC-SMC: {len(g)} generations, {int(g['samples'].sum())} simulations, "
        f"{elapsed(g['wall_time'].sum())} of sampling",
        f"- this start took {elapsed(cal.seconds)}",
        f"- parameters: {', '.join(cal.particles.columns)}",
        f"- effective sample size of the ensemble: {_ess(cal.weights):.1f} of "
        f"{len(cal.weights)} particles (below ~20 it is a few worlds: use a larger "
        "--population)",
        "",
        "| generation | epsilon | simulations | accepted | acceptance |",
        "|---|---|---|---|---|",
        *(
            f"| {int(r.t)} | {r.epsilon:.4g} | {int(r.samples)} | {int(r.particles)} | "
            f"{r.particles / r.samples:.0%} |"
            for r in g.itertuples()
        ),
        "",
        f"Fit: model over {FIT_DRAWS} replicates at the table's defaults, and over "
        f"{FIT_DRAWS} posterior draws (one replicate each); mean [95% interval of the mean].",
        "",
        "| target | published | defaults | | posterior | |",
        "|---|---|---|---|---|---|",
        *(
            f"| {b.target.id} | {published(b)} | {model_value(b)} | {_mark(b)} | "
            f"{model_value(a)} | {_mark(a)} |"
            for b, a in zip(before, after, strict=True)
        ),
        "",
        f"{sum(a.passed for a in after)} of {len(after)} targets within tolerance after "
        f"calibration ({sum(b.passed for b in before)} at the defaults).",
        "",
        "## Prior bounds",
        "",
        *pile_lines(piles(cal.particles, cal.weights, _ranges(cal))),
        "",
        "## Each target predicted by the fit without it (leave one target out)",
        "",
        "The last generation reweighted without the target's distance term "
        "(experiments/calibration/checks.py: an importance-sampling approximation, not a refit); "
        "weighted mean over the particles, one replicate each.",
        "",
        "| target | published | full fit | without it | | effective size |",
        "|---|---|---|---|---|---|",
        *(
            f"| {p.target.id} | {figure_text(p.target)} | {_values(p.full)} | "
            f"{_values(p.left_out)} | {'within' if p.passed else '**outside**'} | "
            f"{p.effective_size:.0f} |"
            for p in predictions
        ),
        "",
    ]
    return "\n".join(lines)


def _ranges(cal: Calibration) -> dict[str, tuple[float, float]]:
    return {n: cal.setup.prior_range(PARAMETERS[n]) for n in cal.particles.columns}


def _values(means: dict[str, float]) -> str:
    return "; ".join(f"{k.split('.', 1)[-1] if '.' in k else ''} {v:.3g}".strip()
                     for k, v in means.items())  # fmt: skip


def _ess(weights: np.ndarray) -> float:
    """Kish's effective sample size: how many equally weighted worlds the ensemble is worth."""
    w = weights / weights.sum()
    return float(1 / np.sum(w**2))


def _priors(setup: Setup, names) -> str:
    plausible = [n for n in names if PARAMETERS[n].plausible is not None]
    rule = (
        "each parameter's table range"
        if setup.factor is None
        else f"each parameter's table range within a factor {setup.factor:g} of its default"
    )
    if not plausible:
        return f"{rule} (no calibrated parameter has a plausible range in the table)"
    return f"the table's plausible range for {', '.join(plausible)}; for the others {rule}"


def _screening_line(table: pd.DataFrame | None) -> str:
    if table is None:
        return "- screening: none (the parameters were given)"
    runs = TRAJECTORIES * (len(table) + 1)
    return f"- screening: {runs} runs of the targets (Morris) over {len(table)} parameters"


def _mark(v: Verdict) -> str:
    return "within" if v.passed else "**outside**"
