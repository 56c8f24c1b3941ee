"""The words and tables of a comparison's report, computed from its results.

Each section opens with plain words on what it shows and what this comparison found; the
sentences are computed from the results, never written in advance. Tables are HTML-ready:
names escaped, each mean with its 95% interval below it in small print.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd

from experiments.comparison.compare import BASELINE, SURVEY_MONTHS, paired
from model.parameters import GROUP_OF, PARAMETERS

DIMENSION_LABELS = {"economic": "economic score", "social": "social score",
                    "psychosocial": "psychosocial score",
                    "share_sustainable": "share sustainably reintegrated"}  # fmt: skip
GROUP_TITLES = {"sex": "sex", "vulnerability": "vulnerability (trauma, health, trafficking, "
                "minors)", "return": "return type", "means": "came back with",
                "age": "age at return"}  # fmt: skip


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


def best_strategy(summary: pd.DataFrame, col: str = "share_sustainable") -> pd.Series:
    return summary.loc[summary[col].idxmax()]


def text_summary(summary: pd.DataFrame, runs: pd.DataFrame, months: int) -> str:
    """The headline: who leads, by how much against no programme and against the others."""
    base = summary[summary.strategy == BASELINE].iloc[0]
    best = best_strategy(summary[summary.strategy != BASELINE])
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
