"""The report at 12, 24 and 48 months, and structural work counted where it reaches (issue 21
item 5): read off the monthly model table, paired against no programme, leaders computed."""

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from experiments.comparison.decision import Context, sentence_long_run, sentence_reach
from experiments.comparison.horizons import horizon_table, reached, table_horizons, text_horizons

#: Per strategy: share sustainable at month m, non-migrant well-being, structural strength.
PATHS = {
    "none": (lambda m: 0.30, 0.60, 0.0),
    "fast": (lambda m: 0.40 - 0.002 * m, 0.59, 0.0),  # leads early, fades
    "slow": (lambda m: 0.30 + 0.002 * m, 0.63, 0.1),  # starts slowly, lasts
}


def model_table(months=48, replicates=4):
    rows = []
    for strategy, (share, wellbeing, strength) in PATHS.items():
        for k in range(replicates):
            noise = 0.001 * k  # the same in every strategy: paired differences are exact
            for m in range(1, months + 1):
                rows.append({
                    "budget": 1e6, "strategy": strategy, "replicate": k, "month": m,
                    "share_sustainable": share(m) + noise,
                    "nonmigrant_wellbeing": wellbeing + noise,
                    "structural_strength": strength,
                    "structural_reach": 64_000.0 * (strength > 0),
                    "structural_dividend": strength / 5,
                    "structural_gain_beyond": 48_000 * strength / 5,
                })  # fmt: skip
    return pd.DataFrame(rows)


def test_horizons_are_read_at_12_24_48_months_and_paired_against_none():
    table = horizon_table(model_table())
    assert sorted(table.month.unique()) == [12, 24, 48]
    slow = table[(table.strategy == "slow")].set_index("month")
    assert slow.share_sustainable_vs_none[48] == pytest.approx(0.002 * 48)
    assert slow.share_sustainable_vs_none_lo[48] == pytest.approx(0.002 * 48)  # paired: no spread
    assert slow.nonmigrant_wellbeing_vs_none[24] == pytest.approx(0.03)
    assert len(table_horizons(table)) == 9


def test_the_text_names_each_horizons_leader_and_who_reaches_beyond_the_villages():
    text = text_horizons(horizon_table(model_table()))
    assert "At 12 months fast leads" in text
    assert "At 48 months slow leads" in text
    assert "64,000 people under slow" in text
    assert "under fast" not in text


def test_a_short_comparison_says_which_horizons_it_cannot_show():
    text = text_horizons(horizon_table(model_table(months=30)))
    assert "stopped before 48 months" in text
    assert "At 24 months" in text
    empty = horizon_table(model_table(months=6))
    assert empty.empty and "fewer than 12 months" in text_horizons(empty)


def summary(reach_slow: float, beyond: float = 48_000.0) -> pd.DataFrame:
    return pd.DataFrame({
        "strategy": ["none", "fast", "slow"],
        "nonmigrant_wellbeing_vs_none": [np.nan, -0.01, 0.03],
        "structural_reach": [0.0, 0.0, reach_slow],
        "structural_dividend": [0.0, 0.0, 0.02],
        "structural_gain_beyond": [0.0, 0.0, 0.02 * beyond],
    })  # fmt: skip


CONTEXT = Context(months=48, budget=1e6, n_returnees=1000, replicates=4, assumed=1, parameters=2)


def test_the_brief_counts_structural_work_where_it_reaches():
    text = sentence_reach(summary(64_000.0), "fast", CONTEXT)
    assert "fare best under slow (+3.0 points" in text
    assert "64,000 people under slow, each resident beyond the villages +2.0 points" in text
    villages_only = sentence_reach(summary(16_000.0, beyond=0.0), "fast", CONTEXT)
    assert "16,000 people under slow, all of them in the villages modelled" in villages_only
    alone = sentence_reach(summary(0.0), "fast", CONTEXT)
    assert "No strategy compared does structural work" in alone


def test_the_brief_names_the_leader_at_48_months_only_when_the_runs_reached_it():
    summary = pd.DataFrame({"strategy": ["none", "fast", "slow"],
                            "share_sustainable_m48": [0.30, 0.31, 0.35]})  # fmt: skip
    assert str(escape(sentence_long_run(summary, 48))) == " <b>slow</b> leads at 48 months (35.0%)."
    assert sentence_long_run(summary, 24) == ""


def test_a_small_gain_beyond_the_villages_does_not_read_as_nothing():
    """urban's mix gained each resident beyond its villages 0.01 points: "+0.0 points better
    off" read as nothing gained."""
    row = pd.Series({"structural_reach": 69_750, "structural_gain_beyond": 7.0,
                     "structural_dividend": 0.000102})  # fmt: skip
    assert reached("integrated", row) == (
        "69,750 people under integrated, each resident beyond the villages +0.01 points better off"
    )
    assert "+2.3 points" in reached("structural", row.replace(0.000102, 0.023))
