"""The planner's report of a comparison: one self-contained HTML file, plots beside it.

Every plot is drawn with matplotlib's object interface (``Figure``, rendered by Agg, so no
display and no global pyplot state), written as a PNG next to the report and embedded in it
as base64, so ``report.html`` can be e-mailed on its own. Each section opens with plain
words on what it shows and what this comparison found; the sentences are computed from the
results, never written in advance.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from experiments.compare import (
    AGE_BANDS,
    BASELINE,
    SURVEY_MONTHS,
    Comparison,
    mean_intervals,
    paired,
)
from model.parameters import GROUP_OF, PARAMETERS

#: Section id -> heading, in the order they appear.
SECTIONS = {
    "summary": "At a glance",
    "trajectories": "How reintegration unfolds, month by month",
    "do-no-harm": "Do no harm: the communities and non-migrants",
    "cost-effectiveness": "Cost-effectiveness",
    "left-behind": "Who is left behind",
    "monitoring": "What a monitoring survey would see",
    "budget": "What more money buys",
    "parameters": "The scenario's parameters and the strategies",
}
#: Plot file name -> section it belongs to.
PLOTS = {
    "trajectories": "trajectories",
    "do_no_harm": "do-no-harm",
    "cost_effectiveness": "cost-effectiveness",
    "left_behind": "left-behind",
    "places": "left-behind",
    "monitoring": "monitoring",
    "budget": "budget",
}
DIMENSION_LABELS = {"economic": "economic score", "social": "social score",
                    "psychosocial": "psychosocial score",
                    "share_sustainable": "share sustainably reintegrated"}  # fmt: skip
GROUP_TITLES = {"sex": "sex", "vulnerability": "vulnerability (trauma, health, trafficking, "
                "minors)", "return": "return type", "means": "came back with",
                "age": "age at return"}  # fmt: skip
CSS = """
body { font-family: Georgia, serif; max-width: 76em; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
h2 { border-bottom: 2px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .85em;
        font-family: Helvetica, Arial, sans-serif; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; }
th { background: #f2f2f2; }
img { max-width: 100%; }
.note { color: #555; font-size: .9em; }
.ci { color: #666; font-size: .85em; white-space: nowrap; }
.wide { overflow-x: auto; }
"""


THOUSANDS = StrMethodFormatter("{x:,.0f}")


@dataclass
class Plot:
    name: str
    alt: str
    png: bytes


# ------------------------------------------------------------------------------ helpers


def _colours(strategies) -> dict[str, str]:
    """One colour per strategy, the same in every plot; no programme in grey."""
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#bcbd22", "#17becf"]  # fmt: skip
    others = [s for s in strategies if s != BASELINE]
    return {BASELINE: "#7f7f7f"} | {s: palette[i % len(palette)] for i, s in enumerate(others)}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{100 * x:.1f}%"


def _usd(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f} USD"


def _cell(row, col: str, fmt: Callable[[float], str]) -> str:
    """A table cell: the mean, and its 95% interval below it in small print."""
    lo, hi = row.get(f"{col}_lo"), row.get(f"{col}_hi")
    if pd.isna(lo) or pd.isna(hi):
        return fmt(row[col])
    return f"{fmt(row[col])}<br><span class='ci'>{fmt(lo)} to {fmt(hi)}</span>"


def _phrase(values: tuple, fmt: Callable[[float], str], unit: str = "") -> str:
    """A mean with its 95% interval, in a sentence."""
    mean, lo, hi = values
    if pd.isna(lo):
        return fmt(mean) + unit
    return f"{fmt(mean)}{unit} (95% interval {fmt(lo)} to {fmt(hi)})"


def _points(x: float) -> str:
    """A difference of shares in percentage points."""
    return "n/a" if pd.isna(x) else f"{100 * x:+.1f}"


def _number(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f}"


def _at(frame: pd.DataFrame, budget: float) -> pd.DataFrame:
    return frame[frame.budget == budget] if "budget" in frame else frame


def _band(ax, frame: pd.DataFrame, x: str, y: str, colour: str, label: str) -> None:
    """A mean line with its 95% interval as a ribbon."""
    ax.plot(frame[x], frame[y], color=colour, label=label, lw=2)
    ax.fill_between(frame[x], frame[f"{y}_lo"], frame[f"{y}_hi"], color=colour, alpha=0.2, lw=0)


def _legend(fig: Figure, ax) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if not labels:
        return
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False,
               bbox_to_anchor=(0.5, -0.02))  # fmt: skip


# ------------------------------------------------------------------------------ plots


def plot_trajectories(monthly: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 7))
    axes = fig.subplots(2, 2, sharex=True).ravel()
    for ax, col in zip(axes, DIMENSION_LABELS, strict=True):
        for strategy, g in monthly.groupby("strategy", sort=False):
            _band(ax, g, "month", col, colours[strategy], strategy)
        ax.set_title(DIMENSION_LABELS[col])
        ax.grid(alpha=0.3)
    for ax in axes[2:]:
        ax.set_xlabel("month of the programme")
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.13)
    return Plot("trajectories", "Economic, social and psychosocial scores and the share "
                "sustainably reintegrated per month, per strategy", _png(fig))  # fmt: skip


def plot_do_no_harm(monthly: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    titles = {"nonmigrant_wellbeing": "non-migrants' well-being (higher is better)",
              "tension": "community tension (lower is better)"}  # fmt: skip
    for ax, (col, title) in zip(axes, titles.items(), strict=True):
        for strategy, g in monthly.groupby("strategy", sort=False):
            _band(ax, g, "month", col, colours[strategy], strategy)
        ax.set_title(title)
        ax.set_xlabel("month of the programme")
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.25)
    return Plot("do_no_harm", "Non-migrants' well-being and community tension per month",
                _png(fig))  # fmt: skip


def plot_cost_effectiveness(summary: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2)
    for _, r in summary.iterrows():
        c = colours[r.strategy]
        err = [[r.sustainable_vs_none - r.sustainable_vs_none_lo],
               [r.sustainable_vs_none_hi - r.sustainable_vs_none]]  # fmt: skip
        left.errorbar(r.spent, r.sustainable_vs_none, yerr=np.nan_to_num(err), fmt="o",
                      color=c, capsize=4, ms=8)  # fmt: skip
        left.annotate(r.strategy, (r.spent, r.sustainable_vs_none), xytext=(6, 4),
                      textcoords="offset points")  # fmt: skip
    left.axhline(0, color="#999", lw=1)
    left.set_xlabel("money spent (USD)")
    left.xaxis.set_major_formatter(THOUSANDS)
    left.set_ylabel("more returnees sustainably reintegrated\nthan with no programme")
    left.grid(alpha=0.3)
    paid = summary[summary.strategy != BASELINE]
    cost = paid.cost_per_additional_sustainable.where(paid.cost_per_additional_sustainable > 0)
    right.barh(paid.strategy, cost.fillna(0), color=[colours[s] for s in paid.strategy])
    right.invert_yaxis()
    right.set_xlabel("USD per additional returnee sustainably reintegrated")
    right.xaxis.set_major_formatter(THOUSANDS)
    right.grid(alpha=0.3, axis="x")
    fig.subplots_adjust(wspace=0.5)
    return Plot("cost_effectiveness", "Returnees sustainably reintegrated thanks to each "
                "strategy against money spent, and the cost of each one", _png(fig))  # fmt: skip


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
            err = [s.share_sustainable - s.share_sustainable_lo,
                   s.share_sustainable_hi - s.share_sustainable]  # fmt: skip
            ax.bar(np.arange(len(labels)) + i * width, s.share_sustainable, width,
                   yerr=np.nan_to_num(err), color=colours[strategy], label=strategy,
                   capsize=2)  # fmt: skip
        ax.set_xticks(np.arange(len(labels)) + 0.4 - width / 2, labels, fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3, axis="y")
    axes[-1].axis("off")
    axes[0].set_ylabel("share sustainably reintegrated")
    axes[3].set_ylabel("share sustainably reintegrated")
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.1, hspace=0.35)
    return Plot("left_behind", "Share sustainably reintegrated at the last month by sex, "
                "vulnerability, return type, means and age, per strategy", _png(fig))  # fmt: skip


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
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.27)
    return Plot("places", "Outcomes per community, communities ranked by the number of "
                "returnees they received", _png(fig))  # fmt: skip


def plot_monitoring(monitoring: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2, sharex=True)
    seen = monitoring.dropna(subset=["share_sustainable"])
    titles = {"share_sustainable": "share sustainably reintegrated",
              "share_necessity": "share intending to re-migrate out of necessity"}  # fmt: skip
    for ax, (col, title) in zip(axes, titles.items(), strict=True):
        for strategy, g in seen.groupby("strategy", sort=False):
            err = [g[col] - g[f"{col}_lo"], g[f"{col}_hi"] - g[col]]
            ax.errorbar(g.months_since_return, g[col], yerr=np.nan_to_num(err), marker="o",
                        color=colours[strategy], label=strategy, capsize=3)  # fmt: skip
        if seen.empty:
            ax.text(0.5, 0.5, "no survey round falls\nwithin the months simulated",
                    ha="center", va="center", transform=ax.transAxes)  # fmt: skip
        ax.set_title(title)
        ax.set_xlabel("months since the person's return")
        ax.set_xticks(SURVEY_MONTHS)
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.25)
    return Plot("monitoring", "Outcomes as a monitoring survey would see them, 3 to 24 "
                "months after each person's return", _png(fig))  # fmt: skip


def plot_budget(summary: pd.DataFrame, colours: dict) -> Plot:
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2, sharex=True)
    for strategy, g in summary.groupby("strategy", sort=False):
        _band(left, g, "budget", "share_sustainable", colours[strategy], strategy)
        if strategy != BASELINE:
            _band(right, g, "budget", "cost_per_sustainable", colours[strategy], strategy)
    left.set_title("share sustainably reintegrated at the last month")
    right.set_title("USD per sustainably reintegrated returnee")
    for ax in (left, right):
        ax.set_xlabel("budget (USD)")
        ax.xaxis.set_major_formatter(THOUSANDS)
        ax.grid(alpha=0.3)
    right.yaxis.set_major_formatter(THOUSANDS)
    _legend(fig, left)
    fig.subplots_adjust(bottom=0.25, wspace=0.3)
    return Plot("budget", "Share sustainably reintegrated and cost per sustainably "
                "reintegrated returnee against the budget, per strategy", _png(fig))  # fmt: skip


# ------------------------------------------------------------------------------ text


def _best(summary: pd.DataFrame, col: str = "share_sustainable") -> pd.Series:
    return summary.loc[summary[col].idxmax()]


def text_summary(summary: pd.DataFrame, runs: pd.DataFrame, months: int) -> str:
    """The headline: who leads, by how much against no programme and against the others."""
    base = summary[summary.strategy == BASELINE].iloc[0]
    best = _best(summary[summary.strategy != BASELINE])
    lead = paired(runs, best.strategy, BASELINE, "share_sustainable")
    lines = [
        f"After {months} months, <b>{best.strategy}</b> leaves the largest share of returnees "
        f"sustainably reintegrated: {_pct(best.share_sustainable)}, against "
        f"{_pct(base.share_sustainable)} with no programme, a difference of "
        f"{_phrase(lead, _points, ' points')}."
    ]
    gaps = {o: paired(runs, best.strategy, o, "share_sustainable") for o in summary.strategy
            if o not in (best.strategy, BASELINE)}  # fmt: skip
    ahead = [f"{o} by {_phrase(g, _points, ' points')}" for o, g in gaps.items() if g[1] > 0]
    tied = [f"{o} ({_phrase(g, _points, ' points')})" for o, g in gaps.items() if not g[1] > 0]
    if ahead:
        lines.append("Replicate by replicate, it leads " + ", ".join(ahead) + ".")
    if tied:
        lines.append("With these replicates it cannot be told apart from " + ", ".join(tied) + ".")
    harm = summary[summary.nonmigrant_wellbeing_vs_none_hi < 0].strategy.tolist()
    lines.append(
        "No strategy leaves non-migrants measurably worse off than no programme."
        if not harm
        else "Non-migrants end up worse off than with no programme under " + ", ".join(harm) + "."
    )
    return " ".join(lines)


def _diff(row: pd.Series, col: str) -> pd.Series:
    """A summary row's paired difference to no programme, as ``d``, ``d_lo``, ``d_hi``."""
    return pd.Series({"d": row[f"{col}_vs_none"], "d_lo": row[f"{col}_vs_none_lo"],
                      "d_hi": row[f"{col}_vs_none_hi"]})  # fmt: skip


def text_trajectories(monthly: pd.DataFrame) -> str:
    first = monthly[monthly.month == min(6, monthly.month.max())].set_index("strategy")
    last = monthly[monthly.month == monthly.month.max()].set_index("strategy")
    early, late = first.share_sustainable.idxmax(), last.share_sustainable.idxmax()
    story = (
        f"<b>{early}</b> leads after six months and stays ahead at the end."
        if early == late
        else f"<b>{early}</b> leads after six months, <b>{late}</b> by the last month."
    )
    return (
        "Each line is the mean over replicates, the ribbon its 95% interval. A returnee "
        "counts as sustainably reintegrated when the composite score reaches the threshold "
        "and no dimension falls below the floor (see the parameters below). Scores are for "
        f"returnees who have arrived so far. {story}"
    )


def text_do_no_harm(summary: pd.DataFrame) -> str:
    def verdict(r) -> str:
        lo, hi = r.nonmigrant_wellbeing_vs_none_lo, r.nonmigrant_wellbeing_vs_none_hi
        return "better off" if lo > 0 else "worse off" if hi < 0 else "not measurably different"

    paid = summary[summary.strategy != BASELINE]
    parts = [f"{r.strategy}: {verdict(r)}" for _, r in paid.iterrows()]
    return (
        "Support must not leave the families who never left worse off than no programme "
        "would. Resentment of visible aid to returnees, and crowding of jobs and services "
        "when many return, lower non-migrants' well-being and raise tension; community "
        "components can defuse both. Against no programme, on the same populations, "
        "non-migrants are at the last month " + "; ".join(parts) + "."
    )


def text_cost(summary: pd.DataFrame) -> str:
    paid = summary[(summary.strategy != BASELINE) & (summary.cost_per_additional_sustainable > 0)]
    if paid.empty:
        return "No strategy brings more returnees to sustainable reintegration than no programme."
    cheapest = paid.loc[paid.cost_per_additional_sustainable.idxmin()]
    return (
        "Left: how many more returnees are sustainably reintegrated than with no programme "
        "(paired, with its 95% interval) against what the strategy spent. Right: the cost of "
        "each additional sustainably reintegrated returnee, counting only those who would not "
        "have made it without the programme (mean spent divided by mean additional "
        f"returnees). The cheapest per additional returnee is <b>{cheapest.strategy}</b>, at "
        f"{_usd(cheapest.cost_per_additional_sustainable)}."
    )


def text_left_behind(groups: pd.DataFrame, strategy: str) -> str:
    d = groups[groups.strategy == strategy]
    gaps = []
    for dimension, title in GROUP_TITLES.items():
        g = d[d.dimension == dimension].dropna(subset=["share_sustainable"])
        if len(g) < 2:
            continue
        low, high = g.loc[g.share_sustainable.idxmin()], g.loc[g.share_sustainable.idxmax()]
        gaps.append(
            f"by {title}: {low.group} {_pct(low.share_sustainable)}, "
            f"{high.group} {_pct(high.share_sustainable)}"
        )
    return (
        "Who reaches sustainable reintegration, and who does not, at the last month (bars: "
        "mean share with its 95% interval; groups with few people have wide intervals). "
        f"Under <b>{strategy}</b>, the lowest and the highest group are "
        + "; ".join(gaps)
        + ". The second figure ranks communities by the number of returnees they received: "
        "where returns concentrate, jobs and services are stretched and tension rises."
    )


def text_monitoring(monitoring: pd.DataFrame, months: int) -> str:
    unseen = sorted(set(SURVEY_MONTHS) - set(monitoring[monitoring.interviewed > 0]
                                              .months_since_return))  # fmt: skip
    text = (
        "A monitoring survey interviews each returnee a fixed time after their own return, not "
        "at a calendar month of the programme: those who came back late have had less time. "
        "The table shows the mean number of returnees a survey at each point would reach in "
        "one replicate, and their outcomes."
    )
    if unseen:
        text += (
            f" Within {months} months nobody has been back {', '.join(map(str, unseen))} "
            "months yet (the month of return counts as month 0); run with more --months to "
            "see those rounds."
        )
    return text


def text_budget(marginal: pd.DataFrame) -> str:
    lines = []
    for (low, high), g in marginal.groupby(["from_budget", "to_budget"], sort=False):
        top = g.loc[g.extra_sustainable_per_100k.idxmax()]
        lines.append(
            f"from {low:,.0f} to {high:,.0f} USD, each extra 100,000 buys most under "
            f"<b>{top.strategy}</b>: about {top.extra_sustainable_per_100k:.1f} more returnees "
            "sustainably reintegrated"
        )
    return (
        "The same populations run at each budget, so the gain from more money is measured "
        "replicate by replicate. What does the next 100,000 buy, and where? "
        + "; ".join(lines)
        + "."
    )


# ------------------------------------------------------------------------------ tables


def table_summary(summary: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, r in summary.iterrows():
        rows.append({
            "strategy": html.escape(r.strategy),
            "sustainable at 6 / 12 / 24 months": " / ".join(
                _pct(r[f"share_sustainable_m{m}"]) for m in (6, 12, 24)),
            "sustainable at the last month": _cell(r, "share_sustainable", _pct),
            "vs none (points)": _cell(_diff(r, "share_sustainable"), "d", _points),
            "composite": _cell(r, "composite", "{:.3f}".format),
            "economic / social / psychosocial": " / ".join(
                f"{r[c]:.3f}" for c in ("economic", "social", "psychosocial")),
            "re-migration out of necessity": _cell(r, "share_necessity", _pct),
            "tension": _cell(r, "tension", "{:.3f}".format),
            "non-migrants' well-being": _cell(r, "nonmigrant_wellbeing", "{:.3f}".format),
            "spent (USD)": _number(r.spent),
            "USD per sustainable returnee": _number(r.cost_per_sustainable or np.nan),
            "USD per additional sustainable returnee": _number(
                r.cost_per_additional_sustainable),
        })  # fmt: skip
    return pd.DataFrame(rows)


def table_left_behind(groups: pd.DataFrame, strategies) -> pd.DataFrame:
    d = groups[groups.dimension.isin(list(GROUP_TITLES))]
    wide = d.pivot_table(index=["dimension", "group"], columns="strategy",
                         values="share_sustainable", sort=False)  # fmt: skip
    counts = d.groupby(["dimension", "group"], sort=False).returnees.mean().round(0)
    wide = wide[list(strategies)].map(_pct)
    wide.insert(0, "returnees (per replicate)", counts.astype(int))
    wide.columns = [html.escape(c) for c in wide.columns]
    return wide.reset_index()


def table_monitoring(monitoring: pd.DataFrame, strategies) -> pd.DataFrame:
    """Rows: survey rounds; columns: each strategy's share sustainably reintegrated."""
    m = monitoring.assign(cell=[_cell(r, "share_sustainable", _pct) for _, r in
                                monitoring.iterrows()])  # fmt: skip
    wide = m.pivot(index="months_since_return", columns="strategy", values="cell")
    wide = wide[list(strategies)]
    wide.columns = [html.escape(c) for c in wide.columns]
    reached = m.groupby("months_since_return").interviewed.mean().round(0).astype(int)
    wide.insert(0, "returnees reached (per replicate)", reached)
    return wide.rename_axis("months after return").reset_index()


def table_marginal(marginal: pd.DataFrame) -> pd.DataFrame:
    m = marginal.copy()
    m["strategy"] = m.strategy.map(html.escape)
    m["budget step (USD)"] = [
        f"{a:,.0f} to {b:,.0f}" for a, b in zip(m.from_budget, m.to_budget, strict=True)
    ]
    m["more sustainable returnees per extra 100,000"] = [
        _cell(r, "extra_sustainable_per_100k", "{:.1f}".format) for _, r in m.iterrows()
    ]
    m["percentage points per extra 100,000"] = m.points_per_100k.map("{:+.2f}".format)
    return m[["strategy", "budget step (USD)", "more sustainable returnees per extra 100,000",
              "percentage points per extra 100,000"]]  # fmt: skip


def table_parameters(scenario) -> pd.DataFrame:
    rows = []
    for name, p in PARAMETERS.items():
        value = getattr(scenario, name)
        rows.append({"group": GROUP_OF[name], "parameter": name, "value": f"{value:g}",
                     "default": f"{p.default:g}", "unit": html.escape(p.unit),
                     "changed": "yes" if value != p.default else "",
                     "why": html.escape(p.reason)})  # fmt: skip
    table = pd.DataFrame(rows)
    return table.sort_values("changed", ascending=False, kind="stable")


def table_strategies(strategies: dict) -> pd.DataFrame:
    return pd.DataFrame([
        {"strategy": html.escape(s.name), "description": html.escape(s.description),
         "targeting": s.targeting,
         "budget shares": ", ".join(f"{k} {v:.0%}" for k, v in s.shares.items()) or "nothing"}
        for s in strategies.values()
    ])  # fmt: skip


# ------------------------------------------------------------------------------ assembly


def monthly_intervals(model: pd.DataFrame) -> pd.DataFrame:
    cols = [*DIMENSION_LABELS, "nonmigrant_wellbeing", "tension"]
    return mean_intervals(model, ["strategy", "month"], cols)


def write_report(comparison: Comparison, out: Path) -> Path:
    """Draw the plots, write them as PNG files and the self-contained ``report.html``."""
    c, settings, budget = comparison, comparison.settings, comparison.reference_budget
    colours = _colours(settings.strategies)
    summary = _at(c.tables["summary"], budget)
    monthly = monthly_intervals(_at(c.model, budget))
    groups, places = _at(c.tables["left_behind"], budget), _at(c.tables["places"], budget)
    monitoring = _at(c.tables["monitoring"], budget)
    best = _best(summary[summary.strategy != BASELINE]).strategy
    plots = {
        "trajectories": plot_trajectories(monthly, colours),
        "do_no_harm": plot_do_no_harm(monthly, colours),
        "cost_effectiveness": plot_cost_effectiveness(summary, colours),
        "left_behind": plot_left_behind(groups, colours),
        "places": plot_places(places, colours),
        "monitoring": plot_monitoring(monitoring, colours),
    }
    if "marginal" in c.tables:
        plots["budget"] = plot_budget(c.tables["summary"], colours)
    for plot in plots.values():
        (out / f"{plot.name}.png").write_bytes(plot.png)
    body = {
        "summary": [text_summary(summary, _at(c.runs, budget), settings.months),
                    table_summary(summary)],
        "trajectories": [text_trajectories(monthly), plots["trajectories"]],
        "do-no-harm": [text_do_no_harm(summary), plots["do_no_harm"]],
        "cost-effectiveness": [text_cost(summary), plots["cost_effectiveness"]],
        "left-behind": [text_left_behind(groups, best), plots["left_behind"],
                        table_left_behind(groups, settings.strategies), plots["places"]],
        "monitoring": [text_monitoring(monitoring, settings.months), plots["monitoring"],
                       table_monitoring(monitoring, settings.strategies)],
        "budget": _budget_section(c, plots),
        "parameters": [_parameters_text(settings), table_strategies(settings.strategies),
                       table_parameters(settings.scenario)],
    }  # fmt: skip
    path = out / "report.html"
    path.write_text(_page(comparison, body, budget), encoding="utf-8")
    return path


def _budget_section(c: Comparison, plots: dict) -> list:
    if "marginal" not in c.tables:
        return [
            "This comparison ran at one budget. To see how each strategy's outcome grows "
            "with money, run it with several, e.g. <code>--budget 250000,500000,1000000</code> "
            "or <code>--budget 250000:1000000:250000</code>."
        ]
    return [
        text_budget(c.tables["marginal"]),
        plots["budget"],
        table_marginal(c.tables["marginal"]),
    ]


def _parameters_text(settings) -> str:
    s = settings.scenario
    return (
        f"Scenario <b>{html.escape(s.name)}</b>: {html.escape(s.description)}. Parameters that "
        "differ from the model's defaults come first. Every run of this comparison used these "
        "values (with the budget shown in each section). The strategies below share the "
        "budget over the support packages in <code>scenarios/packages.toml</code>."
    )


def _page(c: Comparison, body: dict, budget: float) -> str:
    s = c.settings
    n = int(c.runs.n_returnees.iloc[0])
    budgets = ", ".join(f"{b:,.0f}" for b in s.budgets)
    intro = (
        f"<p>Scenario <b>{html.escape(s.scenario.name)}</b> ({html.escape(s.scenario.description)})"
        f": {n:,} returnees in {s.scenario.n_communities} communities, followed for {s.months} "
        f"months. Every strategy ran on the same {s.replicates} simulated populations (seeds "
        f"{s.seed} to {s.seed + s.replicates - 1}), so differences between strategies come "
        f"from the support, not from who happened to return. Budget: {budgets} USD"
        + (
            f"; the sections other than the budget one show {budget:,.0f} USD"
            if len(s.budgets) > 1
            else ""
        )
        + ".</p>"
        "<p class='note'>Numbers in brackets are 95% intervals: the range that would hold the "
        "mean over many more replicates 95 times in 100. 'vs none' is the difference to no "
        "programme measured on the same populations. These are results of a model whose "
        "numbers are partly assumed (see the parameters): read them as a comparison of "
        "strategies under stated assumptions, not as a forecast.</p>"
    )
    sections = "\n".join(
        f"<section id='{sid}'><h2>{SECTIONS[sid]}</h2>\n"
        + "\n".join(_render(part) for part in parts)
        + "</section>"
        for sid, parts in body.items()
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Reintegration strategies: {html.escape(s.scenario.name)}</title>"
        f"<style>{CSS}</style></head><body>\n<h1>Comparing reintegration strategies: "
        f"{html.escape(s.scenario.name)}</h1>\n{intro}\n{sections}\n</body></html>\n"
    )


def _render(part) -> str:
    if isinstance(part, Plot):
        data = base64.b64encode(part.png).decode("ascii")
        return (f"<figure><img id='plot-{part.name}' alt='{html.escape(part.alt)}' "
                f"src='data:image/png;base64,{data}'><figcaption class='note'>"
                f"{html.escape(part.alt)} ({part.name}.png)</figcaption></figure>")  # fmt: skip
    if isinstance(part, pd.DataFrame):
        table = part.to_html(index=False, border=0, na_rep="n/a", escape=False)
        return f"<div class='wide'>{table}</div>"
    return f"<p>{part}</p>"
