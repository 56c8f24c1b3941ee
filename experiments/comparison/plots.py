"""The plots of a comparison's report, drawn with matplotlib's object interface.

``Figure`` rendered by Agg: no display and no global pyplot state, so a report can be drawn
in any process. Every strategy keeps one colour in every plot; no programme is grey.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter, FuncFormatter, MaxNLocator, PercentFormatter

from experiments.comparison.compare import (
    AGE_BANDS,
    BASELINE,
    HEADLINE,
    HEADLINE_COST,
    SURVEY_MONTHS,
    outcome,
)
from experiments.comparison.estimates import HIGH, LOW, high, low, versus_none
from experiments.comparison.pareto import PARETO, dominated, ways
from experiments.comparison.text import GROUP_TITLES

#: Amounts on a shared x axis: "250k", "1M", at most five ticks, so labels never run together.
COMPACT = EngFormatter(sep="")
AMOUNT_TICKS = 5
#: The outcomes of the trajectories' panels and of the do-no-harm plot, titled by their
#: declarations.
TRAJECTORIES = ("economic", "social", "psychosocial", HEADLINE)
DO_NO_HARM = ("nonmigrant_wellbeing", "tension")


@dataclass
class Plot:
    name: str
    alt: str
    png: bytes
    figure: Figure | None = field(default=None, repr=False)  # kept to check its layout


#: The x axis of every plot over months: months run on after the programme ends (a comparison
#: runs 48 months for a 24-month programme), so not "month of the programme".
MONTH_AXIS = "months since the programme began"
#: Characters a panel's title may take on one line in a row of three before it is wrapped: a
#: longer one runs into the next panel's tick labels.
PANEL_TITLE_WIDTH = 36


def _amounts(axis) -> None:
    axis.set_major_locator(MaxNLocator(AMOUNT_TICKS))
    axis.set_major_formatter(COMPACT)


def _units(axis, name: str) -> None:
    """An outcome's axis in the report's units: shares in percent, scores and indices (0-1 in
    the model) on the 0-100 scale, as the tables and the words give them."""
    unit = outcome(name).unit
    if unit == "share":
        axis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    elif unit in ("score", "index"):
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f}"))


def _plot(name: str, alt: str, fig: Figure) -> Plot:
    return Plot(name, alt, _png(fig), fig)


def colours(strategies) -> dict[str, str]:
    """One colour per strategy, the same in every plot; no programme in grey."""
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#bcbd22", "#17becf"]  # fmt: skip
    others = [s for s in strategies if s != BASELINE]
    return {BASELINE: "#7f7f7f"} | {s: palette[i % len(palette)] for i, s in enumerate(others)}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _band(ax, frame: pd.DataFrame, x: str, y: str, colour: str, label: str) -> None:
    """A mean line with its 95% interval as a ribbon."""
    ax.plot(frame[x], frame[y], color=colour, label=label, lw=2)
    ax.fill_between(frame[x], low(frame, y), high(frame, y), color=colour, alpha=0.2, lw=0)


def _errors(frame, y: str) -> list:
    """Error bars' lengths below and above each mean: to its 95% interval's ends."""
    return [frame[y] - low(frame, y), high(frame, y) - frame[y]]


def _legend(fig: Figure, ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if not labels:
        return
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False,
               bbox_to_anchor=(0.5, -0.02))  # fmt: skip


def plot_trajectories(monthly: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 7))
    axes = fig.subplots(2, 2, sharex=True).ravel()
    for ax, col in zip(axes, TRAJECTORIES, strict=True):
        for strategy, g in monthly.groupby("strategy", sort=False):
            _band(ax, g, "month", col, colours[strategy], strategy)
        ax.set_title(outcome(col).label)
        _units(ax.yaxis, col)
        ax.grid(alpha=0.3)
    for ax in axes[2:]:
        ax.set_xlabel(MONTH_AXIS)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.13)
    return _plot("trajectories", "Economic, social and psychosocial scores and the share "
                "sustainably reintegrated per month, per strategy", fig)  # fmt: skip


def plot_do_no_harm(monthly: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    for ax, col in zip(axes, DO_NO_HARM, strict=True):
        for strategy, g in monthly.groupby("strategy", sort=False):
            _band(ax, g, "month", col, colours[strategy], strategy)
        ax.set_title(outcome(col).title())
        _units(ax.yaxis, col)
        ax.set_xlabel(MONTH_AXIS)
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.25)
    return _plot("do_no_harm", "Non-migrants' well-being and community tension per month",
                fig)  # fmt: skip


def plot_cost_effectiveness(summary: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2)
    extra = versus_none("sustainable")
    for _, r in summary.iterrows():
        err = [[e] for e in _errors(r, extra)]
        left.errorbar(r.spent, r[extra], yerr=np.nan_to_num(err), fmt="o",
                      color=colours[r.strategy], capsize=4, ms=8)  # fmt: skip
        left.annotate(r.strategy, (r.spent, r[extra]), xytext=(6, 4),
                      textcoords="offset points")  # fmt: skip
    left.axhline(0, color="#999", lw=1)
    left.set_title("what the money buys", fontsize=10)
    left.set_xlabel("money spent (USD)")
    _amounts(left.xaxis)
    left.set_ylabel("more returnees sustainably reintegrated\nthan with no programme")
    left.grid(alpha=0.3)
    _cost_bars(right, summary[summary.strategy != BASELINE], colours)
    fig.subplots_adjust(wspace=0.5)
    return _plot("cost_effectiveness", "Returnees sustainably reintegrated thanks to each "
                "strategy against money spent, and the cost of each one", fig)  # fmt: skip


def _cost_bars(ax, paid: pd.DataFrame, colours: dict) -> None:
    """USD per additional returnee with its 95% interval; an unbounded one runs off the axis
    with an arrow."""
    col = HEADLINE_COST
    cost = paid[col].where(paid[col] > 0)
    hi = high(paid, col)
    top = np.nanmax(np.where(np.isinf(hi), np.nan, hi).tolist() + cost.tolist() + [1.0]) * 1.15
    ax.barh(paid.strategy, cost.fillna(0), color=[colours[s] for s in paid.strategy])
    ax.errorbar(cost, paid.strategy, xerr=[(cost - low(paid, col)).fillna(0),
                (np.minimum(hi, top) - cost).fillna(0)], fmt="none", ecolor="#222",
                capsize=4)  # fmt: skip
    for y, (c, h) in enumerate(zip(cost, hi, strict=True)):
        if np.isinf(h) and not np.isnan(c):
            ax.annotate("no upper bound", (top, y), xytext=(-4, 6), textcoords="offset points",
                        ha="right", fontsize=8)  # fmt: skip
    ax.set_xlim(0, top)
    ax.invert_yaxis()
    ax.set_xlabel("USD per ADDITIONAL returnee sustainably reintegrated\n(95% interval)")
    _amounts(ax.xaxis)
    ax.grid(alpha=0.3, axis="x")


def plot_left_behind(groups: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(11, 7))
    axes = fig.subplots(2, 3).ravel()
    strategies = list(groups.strategy.unique())
    width = 0.8 / len(strategies)
    for ax, (dimension, title) in zip(axes, GROUP_TITLES.items(), strict=False):
        d = groups[groups.dimension == dimension]
        labels = [g for g in AGE_BANDS[1] if g in set(d.group)] or sorted(set(d.group))
        for i, strategy in enumerate(strategies):
            s = d[d.strategy == strategy].set_index("group").reindex(labels)
            ax.bar(np.arange(len(labels)) + i * width, s[HEADLINE], width,
                   yerr=np.nan_to_num(_errors(s, HEADLINE)), color=colours[strategy],
                   label=strategy, capsize=2)  # fmt: skip
        ax.set_xticks(np.arange(len(labels)) + 0.4 - width / 2, labels, fontsize=8)
        ax.set_title(textwrap.fill(title, PANEL_TITLE_WIDTH), fontsize=10)
        ax.set_ylim(0, 1)
        _units(ax.yaxis, HEADLINE)
        ax.grid(alpha=0.3, axis="y")
    axes[-1].axis("off")
    axes[0].set_ylabel("share sustainably reintegrated")
    axes[3].set_ylabel("share sustainably reintegrated")
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.1, hspace=0.35)
    return _plot("left_behind", "Share sustainably reintegrated at the last month by sex, "
                "vulnerability, return type, means and age, per strategy", fig)  # fmt: skip


def plot_places(places: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4.2))
    axes = fig.subplots(1, 2, sharex=True)
    titles = {"share_sustainable": "share of its returnees sustainably reintegrated",
              "tension": "community tension"}  # fmt: skip
    for ax, (col, title) in zip(axes, titles.items(), strict=True):
        for strategy, g in places.groupby("strategy", sort=False):
            _band(ax, g, "rank", col, colours[strategy], strategy)
        ax.set_title(title)
        ax.set_xlabel("communities ranked by returnees received (1 = most)")
        ax.set_ylim(0, 1)
        _units(ax.yaxis, col)
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.27)
    return _plot("places", "Outcomes per community, communities ranked by the number of "
                "returnees they received", fig)  # fmt: skip


def plot_monitoring(monitoring: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2, sharex=True)
    seen = monitoring.dropna(subset=["share_sustainable"])
    titles = {"share_sustainable": "share sustainably reintegrated",
              "share_necessity": "share intending to re-migrate out of necessity"}  # fmt: skip
    for ax, (col, title) in zip(axes, titles.items(), strict=True):
        for strategy, g in seen.groupby("strategy", sort=False):
            ax.errorbar(g.months_since_return, g[col], yerr=np.nan_to_num(_errors(g, col)),
                        marker="o",
                        color=colours[strategy], label=strategy, capsize=3)  # fmt: skip
        if seen.empty:
            ax.text(0.5, 0.5, "no survey round falls\nwithin the months simulated",
                    ha="center", va="center", transform=ax.transAxes)  # fmt: skip
        ax.set_title(title)
        ax.set_xlabel("months since the person's return")
        ax.set_xticks(SURVEY_MONTHS)
        _units(ax.yaxis, col)
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.25)
    return _plot("monitoring", "Outcomes as a monitoring survey would see them, 3 to 24 "
                "months after each person's return", fig)  # fmt: skip


def plot_budget(summary: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2, sharex=True)
    for strategy, g in summary.groupby("strategy", sort=False):
        _band(left, g, "budget", "share_sustainable", colours[strategy], strategy)
        if strategy != BASELINE:
            _band(right, _bounded(g), "budget", HEADLINE_COST, colours[strategy], strategy)
    left.set_title("share sustainably reintegrated at the last month")
    _units(left.yaxis, HEADLINE)
    right.set_title("USD per additional returnee sustainably\nreintegrated (unbounded ends cut)")
    for ax in (left, right):
        ax.set_xlabel("budget (USD)")
        _amounts(ax.xaxis)
        ax.grid(alpha=0.3)
    _amounts(right.yaxis)
    _legend(fig, left)
    fig.subplots_adjust(bottom=0.25, wspace=0.3)
    return _plot("budget", "Share sustainably reintegrated and cost per additional sustainably "
                 "reintegrated returnee against the budget, per strategy", fig)  # fmt: skip


def _bounded(g: pd.DataFrame) -> pd.DataFrame:
    """Unbounded upper ends drawn at twice the largest finite value seen, not at infinity."""
    hi = high(g, HEADLINE_COST)
    finite = pd.concat([g[HEADLINE_COST], hi[~np.isinf(hi)]]).max()
    return g.assign(**{HEADLINE_COST + HIGH: hi.where(~np.isinf(hi), 2 * finite)})


def plot_shares(shares: pd.DataFrame) -> Plot:
    """Per headline outcome, a heat map: row strategy beats column strategy in this share of
    the plausible worlds (the diagonal left blank)."""
    outcomes = list(dict.fromkeys(shares.outcome))
    fig = Figure(figsize=(4.2 * len(outcomes), 4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(outcomes)))
    images = []
    for ax, name in zip(axes, outcomes, strict=True):
        s = shares[shares.outcome == name]
        order = list(dict.fromkeys(s.strategy))
        matrix = s.pivot(index="strategy", columns="other", values="share_of_worlds")
        matrix = matrix.reindex(index=order, columns=order)
        images.append(ax.imshow(matrix.to_numpy(float), vmin=0, vmax=1, cmap="RdBu"))
        for (i, j), v in np.ndenumerate(matrix.to_numpy(float)):
            if not np.isnan(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if abs(v - 0.5) > 0.3 else "black")  # fmt: skip
        ax.set_xticks(range(len(order)), order, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(order)), order, fontsize=8)
        ax.set_title(outcome(name).label, fontsize=10)
        ax.set_xlabel("... beats this strategy")
    axes[0].set_ylabel("this strategy ...")
    fig.colorbar(images[-1], ax=list(axes), shrink=0.8, label="share of plausible worlds")
    return _plot("robust_shares", "Share of plausible worlds in which the strategy of the row "
                 "beats the strategy of the column, per headline outcome", fig)  # fmt: skip


def plot_regret(regret: pd.DataFrame, colours: dict) -> Plot:
    """Mean regret per strategy, with a whisker to its 95th percentile over worlds."""
    fig = Figure(figsize=(8, 1.2 + 0.35 * len(regret)), layout="constrained")
    ax = fig.subplots()
    points_ = 100 * regret[["mean_regret", "p95_regret"]]
    ax.barh(regret.strategy, points_.mean_regret, color=[colours[s] for s in regret.strategy])
    # most worlds' regret is 0 for a leader, so its mean can lie above its 95th percentile
    above = np.clip(points_.p95_regret - points_.mean_regret, 0, None)
    ax.errorbar(points_.mean_regret, regret.strategy, xerr=[np.zeros(len(regret)), above],
                fmt="none", ecolor="#222", capsize=4)  # fmt: skip
    ax.invert_yaxis()
    ax.set_title("how far each strategy falls short of the best, world by world", fontsize=10)
    ax.set_xlabel(
        "regret: percentage points of returnees sustainably reintegrated short of\n"
        "the best strategy in the same world (bar: mean; whisker: 95th percentile)"
    )
    ax.grid(alpha=0.3, axis="x")
    return _plot("robust_regret", "Regret of each strategy over the plausible worlds: how far "
                 "it falls short of the best strategy in the same world", fig)  # fmt: skip


def plot_pareto(summary: pd.DataFrame, colours: dict) -> Plot:
    """Every strategy on the outcomes judged together (:data:`~experiments.comparison.pareto.
    PARETO`), each scaled from the worst strategy (0) to the best (1) the way it is better; a
    dominated strategy's line dashed. Lines that cross are trade-offs."""
    s = summary.set_index("strategy")
    beaten = dominated(s, ways())
    signed = pd.DataFrame({o: s[o] * way for o, way in ways().items()})
    spread = (signed.max() - signed.min()).replace(0, 1)
    scaled = (signed - signed.min()) / spread
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    for name, row in scaled.iterrows():
        ax.plot(range(len(PARETO)), row.to_numpy(), marker="o", color=colours[str(name)],
                ls="--" if name in beaten else "-", label=f"{name}"
                + (f" (dominated by {beaten[str(name)]})" if name in beaten else ""))  # fmt: skip
    ax.set_xticks(range(len(PARETO)),
                  [textwrap.fill(outcome(o).title(), 22) for o in PARETO], fontsize=8)  # fmt: skip
    ax.set_yticks([0, 1], ["worst", "best"])
    ax.set_title("each strategy on five outcomes at once", fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1, 0.5))
    return _plot("pareto", "Each strategy on five outcomes at once, from the worst strategy to "
                 "the best on each; crossing lines are trade-offs, dashed lines dominated "
                 "strategies", fig)  # fmt: skip


def plot_glance(summary: pd.DataFrame, colours: dict, months: int) -> Plot:
    """The first screen's plot: what each strategy buys (returnees sustainably reintegrated)
    against what non-migrants feel of it, each with its 95% interval; no programme at 0. Both
    are read at the last month, which the labels name: the leader changes with the horizon."""
    fig = Figure(figsize=(5.6, 3.3), layout="constrained")
    ax = fig.subplots()
    well = versus_none("nonmigrant_wellbeing")
    below = set(summary.sort_values(HEADLINE).strategy.iloc[1::2])  # neighbours' names apart
    for _, r in summary.iterrows():
        x, y = 100 * r[well], 100 * r[HEADLINE]
        xerr = [[100 * (r[well] - r[well + LOW])], [100 * (r[well + HIGH] - r[well])]]
        yerr = [
            [100 * (r[HEADLINE] - r[HEADLINE + LOW])],
            [100 * (r[HEADLINE + HIGH] - r[HEADLINE])],
        ]
        ax.errorbar(x, y, xerr=np.nan_to_num(xerr), yerr=np.nan_to_num(yerr), fmt="o", ms=7,
                    capsize=3, color=colours[r.strategy])  # fmt: skip
        ax.annotate(r.strategy, (x, y), xytext=(6, -12 if r.strategy in below else 5),
                    textcoords="offset points", fontsize=9)  # fmt: skip
    ax.axvline(0, color="#999", lw=1)
    # its own title: the picture is the one a planner copies into a slide, away from the page
    ax.set_title(f"What each strategy buys, after {months} months", fontsize=10)
    ax.set_xlabel(f"non-migrants' well-being against no programme at month {months} (points)",
                  fontsize=9)  # fmt: skip
    ax.set_ylabel(f"returnees sustainably\nreintegrated at month {months} (%)", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.margins(x=0.25, y=0.15)
    ax.grid(alpha=0.3)
    return _plot("glance", "What each strategy buys for returnees, and what non-migrants feel "
                 f"of it, after {months} months (means with 95% intervals)", fig)  # fmt: skip
