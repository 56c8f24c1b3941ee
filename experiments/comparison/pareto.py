"""Several outcomes at once: which strategies another beats on every one, what the others
trade off, and which spend far less than their budget.

One outcome never decides alone: a strategy that brings the most returnees to sustainable
reintegration may leave non-migrants worse off or widen the gap between forced and voluntary
returnees. A strategy is **dominated** when another does at least as well on every outcome of
:data:`PARETO` and better on one (within :data:`~experiments.comparison.statistics.TIE`, a
tie); the rest are the Pareto set, among which choosing means weighing one outcome against
another. The direction of each outcome is its declaration's (:mod:`model.outcomes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.comparison.compare import BASELINE, HEADLINE, outcome
from experiments.comparison.statistics import TIE

#: The outcomes judged together: returnees (share sustainable, composite score), non-migrants,
#: the villages (tension) and the gap between groups (forced against voluntary returnees).
PARETO = (HEADLINE, "composite", "nonmigrant_wellbeing", "tension", "gap_forced_voluntary")
#: A strategy spending less than this share of its budget is said to: its outcomes are what
#: the money spent bought, not what the whole budget could buy.
UNDERSPENT = 0.8


def dominated(judged: pd.DataFrame, ways: dict[str, int]) -> dict[str, str]:
    """Strategy -> a strategy at least as good on every criterion and better on one (a
    missing value is the worst); ``ways`` is +1 where higher is better, -1 where lower. No
    programme is the reference, never judged and never dominating."""
    signed = pd.DataFrame({c: judged[c].fillna(-np.inf if way > 0 else np.inf) * way
                           for c, way in ways.items() if c in judged})  # fmt: skip
    signed = signed[signed.index != BASELINE]
    out = {}
    for a in signed.index:
        for b in signed.index:
            diff = signed.loc[b] - signed.loc[a]
            if b != a and (diff >= -TIE).all() and (diff > TIE).any():
                out[a] = b
                break
    return out


def ways() -> dict[str, int]:
    """+1 for an outcome of :data:`PARETO` where higher is better, -1 where lower is."""
    return {o: 1 if outcome(o).higher_is_better else -1 for o in PARETO}


def pareto_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: the outcomes judged together, the share of its budget it spent, and
    whether another strategy dominates it."""
    s = summary.set_index("strategy")
    beaten = dominated(s, ways())
    columns = {"strategy": s.index.to_numpy()}
    for o in PARETO:
        columns[outcome(o).heading()] = s[o].map(outcome(o).fmt).to_numpy()
    columns["spent (share of budget)"] = [_spent_share(r) for _, r in s.iterrows()]
    columns["standing"] = [
        "the reference" if n == BASELINE else f"dominated by {beaten[n]}" if n in beaten
        else "not dominated"
        for n in s.index
    ]  # fmt: skip
    return pd.DataFrame(columns)


def _spent_share(row: pd.Series) -> str:
    return "-" if not row.budget > 0 else f"{100 * row.spent / row.budget:.0f}%"


def sentence_outcomes(summary: pd.DataFrame) -> str:
    """The dominated strategies, the trade-offs among the rest, and any strategy spending far
    less than its budget, in a few sentences."""
    s = summary.set_index("strategy")
    paid = s[s.index != BASELINE]
    beaten = dominated(s, ways())
    parts = [_dominated_words(beaten), _tradeoff_words(paid.drop(index=list(beaten)))]
    underspent = paid[paid.spent < UNDERSPENT * paid.budget]
    parts += [
        f"{n} spent only {100 * r.spent / r.budget:.0f}% of its budget ({r.spent:,.0f} of "
        f"{r.budget:,.0f} USD): its outcomes are what that bought, not what the whole budget "
        "could."
        for n, r in underspent.iterrows()
    ]
    return " ".join(p for p in parts if p)


def _dominated_words(beaten: dict[str, str]) -> str:
    labels = ", ".join(outcome(o).label for o in PARETO)
    if not beaten:
        return f"Judged on {labels} together, no strategy is dominated."
    each = "; ".join(f"{a} by {b}" for a, b in beaten.items())
    some = "a strategy is" if len(beaten) == 1 else "some are"
    return (f"Judged on {labels} together, {some} dominated (another does at least as well on "
            f"all five and better on one): {each}.")  # fmt: skip


def _tradeoff_words(frontier: pd.DataFrame) -> str:
    """Which of the undominated strategies is best on which outcome."""
    if len(frontier) < 2:
        return (f"{frontier.index[0]} is the only strategy no other dominates."
                if len(frontier) else "")  # fmt: skip
    best: dict[str, list[str]] = {}
    undefined = []
    for o, way in ways().items():
        values = frontier[o] * way
        if values.isna().all():  # no one to compare here (no forced returnees, say)
            undefined.append(outcome(o).label)
            continue
        best.setdefault(str(values.idxmax()), []).append(outcome(o).label)
    said = "; ".join(f"{n} on {' and '.join(labels)}" for n, labels in best.items())
    nowhere = [str(n) for n in frontier.index if n not in best]
    tail = f"; {' and '.join(nowhere)} on none of them" if nowhere else ""
    unsaid = f" ({' and '.join(undefined)}: not defined here)" if undefined else ""
    return (f"Among the strategies no other dominates ({', '.join(frontier.index)}), the best on "
            f"each outcome: {said}{tail}{unsaid}; choosing among them weighs one outcome "
            "against another.")  # fmt: skip
