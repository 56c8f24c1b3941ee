"""The words and tables of a comparison's report, computed from its results.

Each section opens with plain words on what it shows and what this comparison found; the
sentences are computed from the results, never written in advance. Tables are HTML-ready:
names escaped, each mean with its 95% interval below it in small print.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from experiments.comparison.compare import AGE_BANDS, BASELINE, SURVEY_MONTHS, interval, paired
from model.parameters import GROUP_OF, PARAMETERS

DIMENSION_LABELS = {"economic": "economic score", "social": "social score",
                    "psychosocial": "psychosocial score",
                    "share_sustainable": "share sustainably reintegrated"}  # fmt: skip
GROUP_TITLES = {"sex": "sex", "vulnerability": "vulnerability (trauma, health, trafficking, "
                "minors)", "return": "return type", "means": "came back with",
                "age": "age at return"}  # fmt: skip


IOM_2017 = (
    "IOM (2017), <i>Towards an integrated approach to reintegration in the context of return</i>"
)
#: Source tags of the parameter table (see :mod:`model.parameters`) -> full references.
SOURCES = [
    (r"\b003 s\.([\d.]+)", IOM_2017 + r", section \1"),
    (r"\b003\b", IOM_2017),
    (r"\bDOMAIN\b", "the evidence list of the project's domain notes (IOM Knowledge Bites, "
     "Blattman et al., Haushofer et al., Centola and Macy, MAFE)"),
    (r"\bissue\b", "the project's founding issue, which set out the return context to model"),
    (r"\bassumed( \w+)?", r"assumed\1 for this model, as no source gives the number; a "
     "first candidate for sensitivity analysis"),
]  # fmt: skip
#: A reason's source: the parenthesis that ends it.
SOURCE_PART = re.compile(r"\(([^()]*)\)\s*$")
NO_REASON = "changed for this run; no reason recorded (a scenario file gives one under [reasons])"


def decode_sources(reason: str) -> str:
    """A reason, HTML-escaped, with the source tags of its closing parenthesis written out."""
    text = html.escape(reason)
    match = SOURCE_PART.search(text)
    if not match:
        return text
    source = match.group(1)
    for tag, reference in SOURCES:
        source = re.sub(tag, reference, source)
    return f"{text[: match.start()]}({source})"


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


def text_do_no_harm(summary: pd.DataFrame, households: float, household_size: float) -> str:
    """Non-migrants better or worse off, in points of well-being for so many households."""

    def verdict(r) -> str:
        lo, hi = r.nonmigrant_wellbeing_vs_none_lo, r.nonmigrant_wellbeing_vs_none_hi
        word = "better off" if lo > 0 else "worse off" if hi < 0 else "not measurably different"
        diff = _diff(r, "nonmigrant_wellbeing")
        return f"{word}, {_phrase(tuple(diff), _points, ' points')}"

    paid = summary[summary.strategy != BASELINE]
    parts = [f"{r.strategy}: {verdict(r)}" for _, r in paid.iterrows()]
    return (
        "Support must not leave the families who never left worse off than no programme "
        "would. Resentment of visible aid to returnees, and crowding of jobs and services "
        "when many return, lower non-migrants' well-being and raise tension; community "
        "components can defuse both. Against no programme, on the same populations, "
        "non-migrants are at the last month " + "; ".join(parts) + ". Points are on a "
        "0-100 scale of well-being, and each difference holds on average for the "
        f"{households:,.0f} households without a returnee (about "
        f"{households * household_size:,.0f} people)."
    )


def gap_changes(groups: pd.DataFrame) -> pd.DataFrame:
    """Per strategy and dimension: the gap in the share sustainably reintegrated between the
    group best and worst off under no programme, and how each strategy changes it.

    Replicate by replicate (same populations), so the change has a paired 95% interval.
    """
    rows = []
    for dimension, d in groups[groups.dimension.isin(list(GROUP_TITLES))].groupby(
        "dimension", sort=False
    ):
        base = d[d.strategy == BASELINE].groupby("group").share_sustainable.mean().dropna()
        if len(base) < 2:
            continue
        low, high = base.idxmin(), base.idxmax()
        wide = d[d.group.isin([low, high])].pivot_table(
            index=["strategy", "replicate"], columns="group", values="share_sustainable"
        )
        gap = (wide[high] - wide[low]).unstack("strategy")
        size = d[(d.group == low)].n.mean()
        for strategy in gap.columns:
            change = interval(gap[strategy] - gap[BASELINE])
            rows.append({"dimension": dimension, "strategy": strategy, "low": low,
                         "high": high, "low_size": size, "gap_none": gap[BASELINE].mean(),
                         "gap": gap[strategy].mean(), "change": change[0],
                         "change_lo": change[1], "change_hi": change[2]})  # fmt: skip
    return pd.DataFrame(rows)


def text_equity(gaps: pd.DataFrame) -> str:
    """Gaps in plain words: people behind, and the strategies that widen or narrow them."""
    if gaps.empty:
        return ""
    base = gaps[gaps.strategy == BASELINE]
    behind = [
        f"{r.low} trail {r.high} by {100 * r.gap_none:.1f} points: had they done as well, "
        f"about {r.gap_none * r.low_size:,.0f} more of the {r.low_size:,.0f} {r.low} would be "
        "sustainably reintegrated"
        for r in base.itertuples()
        if r.gap_none > 0
    ]
    paid = gaps[gaps.strategy != BASELINE]
    flags = [
        f"<b>{r.strategy} {'widens' if r.change_lo > 0 else 'narrows'}</b> the gap between "
        f"{r.low} and {r.high} from {100 * r.gap_none:.1f} to {100 * r.gap:.1f} points "
        f"({_phrase((r.change, r.change_lo, r.change_hi), _points, ' points')})"
        for r in paid.itertuples()
        if r.change_lo > 0 or r.change_hi < 0
    ]
    flagged = (
        "Replicate by replicate, " + "; ".join(flags) + "."
        if flags
        else "No strategy measurably widens or narrows any of these gaps."
    )
    return (
        "In plain numbers, per replicate and with no programme: "
        + "; ".join(behind)
        + ". "
        + flagged
    )


def usd_range(row, col: str) -> str:
    """A cost with its 95% interval in words; an interval without an upper end says so."""
    mean, lo, hi = row[col], row[f"{col}_lo"], row[f"{col}_hi"]
    if pd.isna(lo):
        return _usd(mean)
    upper = "with no upper bound" if np.isinf(hi) else f"to {_usd(hi)}"
    return f"{_usd(mean)} (95% interval {_usd(lo)} {upper})"


def text_cost(summary: pd.DataFrame) -> str:
    paid = summary[(summary.strategy != BASELINE) & (summary.cost_per_additional_sustainable > 0)]
    if paid.empty:
        return "No strategy brings more returnees to sustainable reintegration than no programme."
    cheapest = paid.loc[paid.cost_per_additional_sustainable.idxmin()]
    unbounded = paid[np.isinf(paid.cost_per_additional_sustainable_hi)].strategy.tolist()
    caveat = (
        f" For {', '.join(unbounded)} the additional returnees cannot be told apart from none, "
        "so the cost has no upper bound."
        if unbounded
        else ""
    )
    return (
        "The headline cost is per <b>additional</b> returnee sustainably reintegrated: money "
        "spent divided by the returnees who are sustainably reintegrated and would not be "
        "without the programme (the paired difference to no programme on the same "
        "populations). Dividing by everyone sustainably reintegrated would credit the "
        "programme with those who make it on their own. Left: additional returnees against "
        "money spent. Right: the cost of each, with its 95% interval (Fieller's, for a ratio "
        f"of two means). The cheapest per additional returnee is <b>{cheapest.strategy}</b>, at "
        f"{usd_range(cheapest, 'cost_per_additional_sustainable')}.{caveat}"
    )


def text_money(summary: pd.DataFrame, budget: float) -> str:
    """Equal budget is not equal spending: who spent what, and where the reasons are."""
    paid = summary[summary.strategy != BASELINE]
    spent = "; ".join(f"{r.strategy} {_number(r.spent)}" for r in paid.itertuples())
    equal = (paid.left.max() - paid.left.min()) < 0.005 * budget
    verdict = (
        "They spent about the same, so they are compared at equal spending too."
        if equal
        else "They did not spend the same, so this is a comparison at equal <i>budget</i>, "
        "not at equal <i>spending</i>; the cost per additional returnee divides by what was "
        "actually spent."
    )
    return (
        f"Every strategy had {_number(budget)} USD. Spent by the last month (USD): {spent}. "
        f"{verdict} The table shows, per strategy and package, the money the strategy "
        "planned for it, what the plan could commit, what was spent within the months "
        "simulated, and why any is left: no eligible returnee left to serve, returnees due "
        "only after the programme ends, indivisible units (one more would cost more than is "
        "left), communities that already have the most units they may take, money committed "
        "but due after the months simulated, or a budget share the strategy did not allocate. "
        "Money left is not moved to another package: that would compare other strategies "
        "than the ones named."
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
            "economic / social / psycho&shy;social": " / ".join(
                f"{r[c]:.3f}" for c in ("economic", "social", "psychosocial")),
            "re-migration out of necessity": _cell(r, "share_necessity", _pct),
            "tension": _cell(r, "tension", "{:.3f}".format),
            "non-migrants' well-being": _cell(r, "nonmigrant_wellbeing", "{:.3f}".format),
            "spent / left (USD)": f"{_number(r.spent)}<br><span class='ci'>left "
                                  f"{_number(r.left)}</span>",
            "USD per additional sustainable returnee": _cost_cell(r),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _cost_cell(row) -> str:
    col = "cost_per_additional_sustainable"
    if pd.isna(row[f"{col}_hi"]):
        return _number(row[col])
    upper = "no bound" if np.isinf(row[f"{col}_hi"]) else _number(row[f"{col}_hi"])
    return (f"<b>{_number(row[col])}</b><br><span class='ci'>{_number(row[f'{col}_lo'])} to "
            f"{upper}</span>")  # fmt: skip


def table_money(money: pd.DataFrame) -> pd.DataFrame:
    """Per strategy and package: planned, committed, spent, left and why (no programme left
    out: it plans nothing)."""
    m = money[money.strategy != BASELINE]
    return pd.DataFrame({
        "strategy": m.strategy.map(html.escape),
        "package": m.package.map(html.escape),
        **{f"{c} (USD)": m[c].map(_number) for c in ("planned", "committed", "spent", "left")},
        "why any is left": m.reason.map(html.escape),
    })  # fmt: skip


def table_left_behind(groups: pd.DataFrame, strategies) -> pd.DataFrame:
    d = groups[groups.dimension.isin(list(GROUP_TITLES))]
    wide = d.pivot_table(index=["dimension", "group"], columns="strategy",
                         values="share_sustainable", sort=False)  # fmt: skip
    counts = d.groupby(["dimension", "group"], sort=False).returnees.mean().round(0)
    wide = wide[list(strategies)].map(_pct)
    wide.insert(0, "returnees (per replicate)", counts.astype(int))
    wide.columns = [html.escape(c) for c in wide.columns]
    return wide.reindex(_group_order(wide.index)).reset_index()


def _group_order(index: pd.MultiIndex) -> list[tuple[str, str]]:
    """Dimensions as in GROUP_TITLES; age bands youngest first, as in the plot."""
    rank = {band: i for i, band in enumerate(AGE_BANDS[1])}
    dims = list(GROUP_TITLES)
    return sorted(index, key=lambda k: (dims.index(k[0]), rank.get(k[1], -1)))


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


def table_parameters(scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The values this scenario changes, each with the scenario's own reason; then the rest,
    at their defaults, with the parameter table's reason. Source tags written out."""
    changed, rest = [], []
    for name, p in PARAMETERS.items():
        value = getattr(scenario, name)
        row = {"group": GROUP_OF[name], "parameter": name, "value": f"{value:g}"}
        unit = {"unit": html.escape(p.unit)}
        if value != p.default:
            own = scenario.reasons.get(name)
            why = decode_sources(own) if own else NO_REASON
            changed.append({**row, "default": f"{p.default:g}", **unit, "why this value": why})
        else:
            rest.append({**row, **unit, "why": decode_sources(p.reason)})
    return pd.DataFrame(changed), pd.DataFrame(rest)


def table_strategies(strategies: dict) -> pd.DataFrame:
    return pd.DataFrame([
        {"strategy": html.escape(s.name), "description": html.escape(s.description),
         "targeting": s.targeting,
         "budget shares": ", ".join(f"{k} {v:.0%}" for k, v in s.shares.items()) or "nothing"}
        for s in strategies.values()
    ])  # fmt: skip
