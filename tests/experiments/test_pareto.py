"""Several outcomes at once: dominated strategies, the trade-offs among the rest, and a
strategy that spends far less than its budget."""

from __future__ import annotations

import pandas as pd

from experiments.comparison.compare import outcome
from experiments.comparison.pareto import PARETO, pareto_table, sentence_outcomes


def summary(**rows: tuple) -> pd.DataFrame:
    """One row per strategy: the five outcomes of PARETO in order, then spent (of 1,000)."""
    return pd.DataFrame([{"strategy": s, **dict(zip(PARETO, v[:5], strict=True)),
                          "spent": v[5], "budget": 1000.0} for s, v in rows.items()])  # fmt: skip


#: a leads on returnees; b on non-migrants and tension; c is worse than a on everything.
HAND_MADE = summary(
    none=(0.30, 0.50, 0.60, 0.30, 0.20, 0.0),
    a=(0.40, 0.60, 0.59, 0.35, 0.15, 1000.0),
    b=(0.35, 0.55, 0.63, 0.25, 0.18, 1000.0),
    c=(0.38, 0.58, 0.58, 0.36, 0.16, 500.0),
)


def test_a_strategy_worse_on_every_outcome_is_named_dominated_and_the_rest_trade_off():
    text = sentence_outcomes(HAND_MADE)
    assert "dominated" in text and "c by a" in text
    assert "Among the strategies no other dominates (a, b)" in text
    assert "a on sustainably reintegrated" in text and "b on non-migrants' well-being" in text


def test_lower_tension_and_a_narrower_gap_count_as_better():
    """a is calmer than c here: were tension read as higher-is-better, c (tenser) would not
    be dominated by a."""
    flipped = HAND_MADE.assign(tension=[0.30, 0.25, 0.35, 0.36])  # a now calmer than b
    table = pareto_table(flipped).set_index("strategy")
    assert table.loc["c", "standing"] == "dominated by a"
    assert table.loc["b", "standing"] == "not dominated"
    assert table.loc["none", "standing"] == "the reference"


def test_a_strategy_spending_far_less_than_its_budget_is_said_to():
    text = sentence_outcomes(HAND_MADE)
    assert "c spent only 50% of its budget (500 of 1,000 USD)" in text
    assert "a spent only" not in text and "none spent" not in text
    assert list(pareto_table(HAND_MADE)["spent (share of budget)"]) == ["0%", "100%", "100%", "50%"]


def test_no_strategy_dominated_is_said():
    text = sentence_outcomes(HAND_MADE[HAND_MADE.strategy != "c"])
    assert "no strategy is dominated" in text


def test_an_outcome_no_strategy_defines_is_said_and_names_no_best():
    """Where no returnee is forced (a YOP-like population), the forced-voluntary gap is
    undefined for every strategy: no strategy is best on it, and the sentence says so."""
    gap = PARETO[4]
    label = outcome(gap).label
    text = sentence_outcomes(HAND_MADE.assign(**{gap: float("nan")}))
    assert "a on sustainably reintegrated" in text
    assert f"({label}: not defined here)" in text
    assert f" on {label}" not in text and f"and {label}" not in text.split("each outcome:")[1]
