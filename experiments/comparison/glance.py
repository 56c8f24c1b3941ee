"""The decision at a glance: what the first screen of the report holds.

A planner reads one sentence (recommended, or no clear winner and what would decide it), the
trade-offs, and one small table: per strategy, the returnees it brings to sustainable
reintegration, what non-migrants feel, the widest gap between groups of returnees, the cost
per additional returnee and how robust the ranking is; the leader and any strategy another
one beats on every column are marked. Everything is computed from the comparison's tables
(:mod:`experiments.comparison.decision` gives the verdict); the numbers read as the outcome
declarations say (:mod:`model.outcomes`).
"""

from __future__ import annotations

import pandas as pd

from experiments.comparison.compare import BASELINE, HEADLINE, HEADLINE_COST, outcome
from experiments.comparison.decision import Verdict
from experiments.comparison.estimates import difference, estimate
from experiments.comparison.formats import apart, cell, points, small_print, valued
from experiments.comparison.pareto import dominated
from experiments.comparison.robust import Robust, best_in_world
from experiments.comparison.text import CHANGE, people

#: The columns a strategy is judged on, each with the way that is better: a strategy is
#: dominated when another is at least as good on every one and better on one.
CRITERIA = {HEADLINE: 1, "nonmigrant_wellbeing_vs_none": 1, "gap": -1, HEADLINE_COST: -1}


def widest_gap(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per strategy, the gap between the two groups furthest apart with no programme (one
    pair of groups for every row, so the rows compare)."""
    if gaps.empty:
        return gaps
    base = gaps[gaps.strategy == BASELINE]
    dimension = base.loc[base.gap_none.idxmax(), "dimension"]
    return gaps[gaps.dimension == dimension].set_index("strategy")


def _judged(summary: pd.DataFrame, gap: pd.DataFrame) -> pd.DataFrame:
    s = summary.set_index("strategy")
    judged = s[[HEADLINE, "nonmigrant_wellbeing_vs_none", HEADLINE_COST]].copy()
    if len(gap):
        judged["gap"] = gap.gap.reindex(judged.index)
    return judged


def _standing(strategy: str, v: Verdict, beaten: dict[str, str]) -> str:
    if strategy == BASELINE:
        return "the reference"
    if strategy == v.leader:
        return "recommended" if v.recommended else "leads, no clear winner"
    if strategy in beaten:
        return f"dominated by {beaten[strategy]}"
    return ""


def _robustness(robust: Robust | None) -> pd.Series | None:
    """Per strategy: in how many plausible worlds it is best, or tied for best."""
    if robust is None:
        return None
    return best_in_world(robust.worlds, HEADLINE).sum()


def glance_table(
    summary: pd.DataFrame, gaps: pd.DataFrame, v: Verdict, robust: Robust | None
) -> pd.DataFrame:
    """The small table of the first screen: the paid strategies, then no programme."""
    gap = widest_gap(gaps)
    beaten = dominated(_judged(summary, gap), CRITERIA)
    wins = _robustness(robust)
    n = len(robust.worlds.draw.unique()) if robust is not None else 0
    order = [*summary.strategy[summary.strategy != BASELINE], BASELINE]
    rows = []
    for strategy in order:
        r = summary[summary.strategy == strategy].iloc[0]
        standing = _standing(strategy, v, beaten)
        vs_none = difference(r, HEADLINE)
        rows.append({
            "strategy": small_print(strategy, standing) if standing else strategy,
            "returnees sustainably reintegrated": small_print(
                outcome(HEADLINE).fmt(r[HEADLINE]),
                "with no programme" if strategy == BASELINE
                else f"{points(vs_none.mean)} points vs none"),
            "non-migrants vs none (points)": cell(difference(r, "nonmigrant_wellbeing"), points),
            "gap between groups (points)": _gap_cell(gap, strategy),
            "cost per additional returnee (USD)": "-" if strategy == BASELINE
            else valued(r, HEADLINE_COST),
            "how robust": f"best or tied in {int(wins[strategy])} of {n} worlds" if wins is not None
            else "chance only",
        })  # fmt: skip
    return pd.DataFrame(rows)


def _gap_cell(gap: pd.DataFrame, strategy: str) -> str:
    """The gap under a strategy, and below it how much the strategy changes it."""
    if strategy not in gap.index:
        return "n/a"
    g = gap.loc[strategy]
    change = estimate(g, CHANGE)
    if strategy == BASELINE or change.lo == change.hi:
        return f"{100 * g.gap:.1f}"
    shown = apart(change, points)
    return small_print(f"{100 * g.gap:.1f}", f"change {shown(change.mean)} ({shown(change.lo)} "
                       f"to {shown(change.hi)})")  # fmt: skip


def legend(gaps: pd.DataFrame, v: Verdict, replicates: int, months: int) -> str:
    """What the marks and the columns mean, said once, with the month every column is read
    at (the table's headings do not repeat it)."""
    gap = widest_gap(gaps)
    between = (f"{people(gap.low.iloc[0])} and {people(gap.high.iloc[0])}, the groups furthest "
               "apart with no programme" if len(gap) else "the groups furthest apart")  # fmt: skip
    worlds = (f"How robust: in how many of {v.worlds} plausible worlds (other sets of "
              "assumptions the published figures do not rule out) the strategy does best or ties "
              "for best."
              if v.worlds else "How robust: chance only, as no plausible worlds were run (other "
              "sets of assumptions the published figures do not rule out).")  # fmt: skip
    return (
        f"Every column is read at month {months}, the last simulated. "
        f"Means over {replicates} simulated populations, the same for every strategy. "
        f"Non-migrants: their well-being against no programme. Gap: between {between}, with "
        "how much the strategy changes it. Dominated: another strategy does at least as well "
        "on every column and better on one. " + worlds
    )
