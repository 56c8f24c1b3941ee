"""The words of a comparison's report, computed from its results.

Each section opens with plain words on what it shows and what this comparison found; the
sentences are computed from the results, never written in advance. The HTML tables beside
them are :mod:`experiments.comparison.tables`; both format numbers with
:mod:`experiments.comparison.formats`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.comparison import estimates
from experiments.comparison.compare import BASELINE, HEADLINE_COST, SURVEY_MONTHS
from experiments.comparison.estimates import difference, estimate, interval_columns
from experiments.comparison.formats import number, pct, phrase, points, usd
from experiments.comparison.statistics import interval, paired, tied_best
from experiments.comparison.words import Text, Words, em, strong

GROUP_TITLES = {"sex": "sex", "vulnerability": "vulnerability (trauma, health, trafficking, "
                "minors)", "return": "return type", "means": "came back with",
                "age": "age at return"}  # fmt: skip
#: A group of returnees (compare.GROUPINGS' labels) as the people a sentence names.
PEOPLE = {"vulnerable": "vulnerable returnees", "not vulnerable": "other returnees",
          "forced": "forced returnees", "voluntary": "voluntary returnees",
          "empty-handed": "empty-handed returnees", "with savings": "returnees with savings",
          "under 18": "returnees under 18",
          "35 and over": "returnees aged 35 and over"}  # fmt: skip


def people(group: str) -> str:
    """``forced returnees``, ``women``, ``returnees aged 25-34``."""
    if group in PEOPLE:
        return PEOPLE[group]
    return f"returnees aged {group}" if group[:1].isdigit() else group


def best_strategy(
    summary: pd.DataFrame, col: str = "share_sustainable", prefer: str | None = None
) -> pd.Series:
    """The row of the best strategy on ``col``; among those tied for best, ``prefer`` (the
    recommended one), so the report names one leader throughout."""
    return summary.set_index("strategy", drop=False).loc[tied_best(
        summary.set_index("strategy")[col], prefer)[0]]  # fmt: skip


def text_summary(
    summary: pd.DataFrame, runs: pd.DataFrame, months: int, prefer: str | None = None
) -> Text:
    """The headline: who leads, by how much against no programme and against the others."""
    base = summary[summary.strategy == BASELINE].iloc[0]
    paid = summary[summary.strategy != BASELINE]
    best = best_strategy(paid, prefer=prefer)
    tied = tied_best(paid.set_index("strategy").share_sustainable, best.strategy)[1:]
    lead = paired(runs, best.strategy, BASELINE, "share_sustainable")
    lines: list[Text] = [
        f"After {months} months, "
        + strong(best.strategy)
        + " leaves the largest share of returnees "
        f"sustainably reintegrated{f' (tied with {", ".join(tied)})' if tied else ''}: "
        f"{pct(best.share_sustainable)}, against "
        f"{pct(base.share_sustainable)} with no programme, a difference of "
        f"{phrase(lead, points, ' points')}."
    ]
    gaps = {o: paired(runs, best.strategy, o, "share_sustainable") for o in summary.strategy
            if o not in (best.strategy, BASELINE)}  # fmt: skip
    ahead = [f"{o} by {phrase(g, points, ' points')}" for o, g in gaps.items() if g[1] > 0]
    tied = [f"{o} ({phrase(g, points, ' points')})" for o, g in gaps.items() if not g[1] > 0]
    if ahead:
        lines.append("Replicate by replicate, it leads " + ", ".join(ahead) + ".")
    if tied:
        lines.append("With these replicates it cannot be told apart from " + ", ".join(tied) + ".")
    harm = [f"{r.strategy} ({phrase(d, points, ' points')})" for _, r in summary.iterrows()
            if (d := difference(r, "nonmigrant_wellbeing")).hi < 0]  # fmt: skip
    lines.append(
        "No strategy leaves non-migrants measurably worse off than no programme."
        if not harm
        else "Non-migrants end up worse off than with no programme, on their 0-100 scale of "
        "well-being, under " + ", ".join(harm) + "."
    )
    return Words.join(" ", lines)


def text_trajectories(monthly: pd.DataFrame) -> Text:
    early_month, last_month = min(6, monthly.month.max()), monthly.month.max()
    first = monthly[monthly.month == early_month].set_index("strategy")
    last = monthly[monthly.month == last_month].set_index("strategy")
    early, late = first.share_sustainable.idxmax(), last.share_sustainable.idxmax()
    story = (
        strong(early) + f" leads at month {early_month} and at month {last_month}, the last."
        if early == late
        else strong(early)
        + f" leads at month {early_month}, "
        + strong(late)
        + f" at month {last_month}, the last."
    )
    return (
        "Each line is the mean over replicates, the ribbon its 95% interval. A returnee "
        "counts as sustainably reintegrated when the composite score reaches the threshold "
        "and no dimension falls below the floor (see the parameters below). Scores are for "
        "returnees who have arrived so far. " + story
    )


def text_do_no_harm(summary: pd.DataFrame, households: float, household_size: float) -> str:
    """Non-migrants better or worse off, in points of well-being for so many households."""

    def verdict(r) -> str:
        diff = difference(r, "nonmigrant_wellbeing")
        word = ("better off" if diff.lo > 0 else "worse off" if diff.hi < 0
                else "not measurably different")  # fmt: skip
        return f"{word}, {phrase(diff, points, ' points')}"

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


#: The column of :func:`gap_changes`' paired change in a gap (with its interval's columns).
CHANGE = "change"


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
                         "gap": gap[strategy].mean(),
                         **dict(zip(interval_columns(CHANGE), change, strict=True))})  # fmt: skip
    return pd.DataFrame(rows)


def _moves(gap: float, widens: bool) -> str:
    """What a measurable change does to a gap: a gap that turns the other way is not
    "narrowed to -1.4 points"."""
    shown = round(100 * gap, 1)
    if widens:
        return "widens"
    if shown < 0:
        return "reverses"
    return "closes" if shown == 0 else "narrows"


def _gap(gap: float, low: str) -> str:
    """A gap as a planner reads it: never a negative or a "-0.0"."""
    shown = round(100 * gap, 1)
    if shown == 0:
        return "none"
    return (
        f"{shown:.1f} points"
        if shown > 0
        else f"{-shown:.1f} points the other way ({people(low)} ahead)"
    )


def text_equity(gaps: pd.DataFrame) -> Text:
    """Gaps in plain words: people behind, and the strategies that widen or narrow them."""
    if gaps.empty:
        return ""
    base = gaps[gaps.strategy == BASELINE]
    behind = [
        f"{100 * r.gap_none:.1f} points fewer of the {people(r.low)} than of the "
        f"{people(r.high)} are sustainably reintegrated: had they done as well, about "
        f"{r.gap_none * r.low_size:,.0f} more of the {r.low_size:,.0f} would be"
        for r in base.itertuples()
        if r.gap_none > 0
    ]
    paid = gaps[gaps.strategy != BASELINE]
    flags = [
        strong(f"{r.strategy} {_moves(r.gap, change.lo > 0)}")
        + f" the gap between {people(r.low)} and {people(r.high)}: from {100 * r.gap_none:.1f} "
        f"points to {_gap(r.gap, r.low)} ({phrase(change, points, ' points')})"
        for _, r in paid.iterrows()
        if (change := estimate(r, CHANGE)).lo > 0 or change.hi < 0
    ]
    flagged = (
        "Replicate by replicate, " + Words.join("; ", flags) + "."
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
    mean, lo, hi = estimate(row, col)
    if pd.isna(lo):
        return usd(mean)
    upper = "with no upper bound" if np.isinf(hi) else f"to {usd(hi)}"
    return f"{usd(mean)} (95% interval {usd(lo)} {upper})"


def text_cost(summary: pd.DataFrame) -> Text:
    paid = summary[(summary.strategy != BASELINE) & (summary[HEADLINE_COST] > 0)]
    if paid.empty:
        return "No strategy brings more returnees to sustainable reintegration than no programme."
    cheapest = paid.loc[paid[HEADLINE_COST].idxmin()]
    unbounded = paid[np.isinf(estimates.high(paid, HEADLINE_COST))].strategy.tolist()
    caveat = (
        f" For {', '.join(unbounded)} the additional returnees cannot be told apart from none, "
        "so the cost has no upper bound."
        if unbounded
        else ""
    )
    return (
        "The headline cost is per "
        + strong("additional")
        + " returnee sustainably reintegrated: money "
        "spent divided by the returnees who are sustainably reintegrated and would not be "
        "without the programme (the paired difference to no programme on the same "
        "populations). Dividing by everyone sustainably reintegrated would credit the "
        "programme with those who make it on their own. Left: additional returnees against "
        "money spent. Right: the cost of each, with its 95% interval (Fieller's, for a ratio "
        "of two means). The cheapest per additional returnee is "
        + strong(cheapest.strategy)
        + f", at {usd_range(cheapest, HEADLINE_COST)}.{caveat}"
    )


def _businesses_running(paid: pd.DataFrame) -> str:
    """What a monitoring visit would find of the businesses a strategy funded: the share still
    running at the last month, per strategy that gave tools and stock (none if no strategy
    did)."""
    funded = paid.dropna(subset=["share_funded_running"])
    if funded.empty:
        return ""
    running = "; ".join(f"{r.strategy} {pct(r.share_funded_running)}" for r in funded.itertuples())
    return (
        " Of the returnees a strategy gave tools and stock, those whose business still runs at "
        f"the last month (assets enough to work on their own account): {running}. A business "
        "closes when it fails, when it is sold off, or when creditors take its assets for a debt."
    )


def text_money(summary: pd.DataFrame, budget: float, replicates: int) -> Text:
    """Equal budget is not equal spending: who spent what, and where the reasons are."""
    paid = summary[summary.strategy != BASELINE]
    spent = "; ".join(f"{r.strategy} {number(r.spent)}" for r in paid.itertuples())
    means = (f"Every amount below is a mean over {replicates} replicates (which returnees "
             "come, and so what a package can serve, differs from one to the next), so it need "
             "not be a whole number of units; each strategy's packages add up to its total "
             "after rounding. ")  # fmt: skip
    equal = (paid.left.max() - paid.left.min()) < 0.005 * budget
    verdict = (
        "They spent about the same, so they are compared at equal spending too."
        if equal
        else "They did not spend the same, so this is a comparison at equal "
        + em("budget")
        + ", not at equal "
        + em("spending")
        + "; the cost per additional returnee divides by what was actually spent."
    )
    return (
        means + f"Every strategy had {number(budget)} USD. Spent by the last month (USD): "
        f"{spent}. "
        + verdict
        + _businesses_running(paid)
        + " The table shows, per strategy and package, the money the strategy "
        "planned for it, what the plan could commit, what was spent within the months "
        "simulated, and why any is left: no eligible returnee left to serve, returnees due "
        "only after the programme ends, indivisible units (one more would cost more than is "
        "left), communities that already have the most units they may take, money committed "
        "but due after the months simulated, or a budget share the strategy did not allocate. "
        "It also says who received it: the returnees an individual package served, or the "
        "units of a community package bought, and the communities they live in or went to "
        "(means over replicates; a comparison keeps no list of them: one run of "
        "reintegrate run writes received.parquet, the units of each package by returnee and "
        "by community). Under needs-based targeting the first package to reach a returnee "
        "also pays for their needs assessment (its cost, once per returnee, is among the "
        "parameters below), so "
        "an individual package can cost more than its units at their unit cost. "
        "Money left is not moved to another package: that would compare other "
        "strategies than the ones named. Only a case worker's review moves money: a "
        "returnee's support not yet delivered, redirected to a need the review found "
        "(the money moved into or out of each package is shown)."
    )


def text_left_behind(groups: pd.DataFrame, strategy: str) -> Text:
    d = groups[groups.strategy == strategy]
    gaps = []
    for dimension, title in GROUP_TITLES.items():
        g = d[d.dimension == dimension].dropna(subset=["share_sustainable"])
        if len(g) < 2:
            continue
        low, high = g.loc[g.share_sustainable.idxmin()], g.loc[g.share_sustainable.idxmax()]
        gaps.append(
            f"by {title}: {low.group} {pct(low.share_sustainable)}, "
            f"{high.group} {pct(high.share_sustainable)}"
        )
    return (
        "Who reaches sustainable reintegration, and who does not, at the last month (bars: "
        "mean share with its 95% interval; groups with few people have wide intervals). "
        "Under "
        + strong(strategy)
        + ", the lowest and the highest group are "
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


def text_budget(marginal: pd.DataFrame) -> Text:
    lines = []
    for (low, high), g in marginal.groupby(["from_budget", "to_budget"], sort=False):
        top = g.loc[g.extra_sustainable_per_100k.idxmax()]
        lines.append(
            f"from {low:,.0f} to {high:,.0f} USD, each extra 100,000 buys most under "
            + strong(top.strategy)
            + f": about {top.extra_sustainable_per_100k:.1f} more returnees "
            "sustainably reintegrated"
        )
    return (
        "The same populations run at each budget, so the gain from more money is measured "
        "replicate by replicate. What does the next 100,000 buy, and where? "
        + Words.join("; ", lines)
        + "."
    )
