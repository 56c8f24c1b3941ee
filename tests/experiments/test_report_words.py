"""Sentences of the planners' report a ministry would quote: each says its month, its size and
what was varied, so it cannot be misquoted (fresh eyes, user13)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from experiments.comparison.compare import HEADLINE, Worlds
from experiments.comparison.decision import sentence_horizon
from experiments.comparison.robust_text import text_robust
from experiments.comparison.summary import summary_table
from experiments.comparison.text import CHANGE, text_equity, text_summary, text_trajectories
from experiments.comparison.words import Words
from model.scenario import load_scenario
from tests.experiments.test_decision import runs


def _plain(text) -> str:
    """The sentence as the report's HTML shows it, entities read back."""
    return html.unescape(text.__html__() if isinstance(text, Words) else str(text))


def test_the_month_by_month_sentence_names_the_months_it_compares():
    """A four-month comparison said "leads after six months"; it now names month 4."""
    monthly = pd.DataFrame(
        [{"month": m, "strategy": s, "share_sustainable": v * m}
         for m in range(1, 5) for s, v in (("alpha", 0.1), ("beta", 0.05))]
    )  # fmt: skip
    text = _plain(text_trajectories(monthly))
    assert "six months" not in text
    assert "<b>alpha</b> leads at month 4 and at month 4, the last." in text


def _gaps(gap_none: float, gap: float, change: tuple[float, float, float]) -> pd.DataFrame:
    row = {"dimension": "vulnerability", "low": "vulnerable", "high": "not vulnerable",
           "low_size": 280.0}  # fmt: skip
    return pd.DataFrame([
        {**row, "strategy": "none", "gap_none": gap_none, "gap": gap_none,
         CHANGE: 0.0, CHANGE + "_lo": 0.0, CHANGE + "_hi": 0.0},
        {**row, "strategy": "alpha", "gap_none": gap_none, "gap": gap,
         **dict(zip((CHANGE, CHANGE + "_lo", CHANGE + "_hi"), change, strict=True))},
    ])  # fmt: skip


def test_a_gap_that_turns_is_not_narrowed_to_a_negative():
    """ "narrows the gap from 4.3 to -1.4 points" read as a gap of -1.4; "-0.0" as a mistake."""
    turned = _plain(text_equity(_gaps(0.043, -0.014, (-0.057, -0.09, -0.024))))
    assert "-1.4 points" not in turned.split("(")[0]
    assert (
        "<b>alpha reverses</b> the gap between vulnerable returnees and other returnees: "
        "from 4.3 points to 1.4 points the other way (vulnerable returnees ahead)"
    ) in turned
    closed = _plain(text_equity(_gaps(0.043, -0.0001, (-0.043, -0.057, -0.029))))
    assert "-0.0" not in closed
    assert "<b>alpha closes</b> the gap" in closed and "from 4.3 points to none" in closed
    narrowed = _plain(text_equity(_gaps(0.186, 0.144, (-0.041, -0.068, -0.015))))
    assert (
        "<b>alpha narrows</b> the gap" in narrowed and "from 18.6 points to 14.4 points" in narrowed
    )


def test_harm_to_non_migrants_says_how_much():
    """beta leaves non-migrants 5 points worse off: the sentence says so, with its interval."""
    r = runs({"none": 0.1, "alpha": 0.3, "beta": 0.2}, {"none": 0.15, "alpha": 0.25, "beta": 0.35},
             {"none": 0.60, "alpha": 0.60, "beta": 0.55})  # fmt: skip
    text = _plain(text_summary(summary_table(r), r, 24))
    assert "Non-migrants end up worse off than with no programme, on their 0-100 scale of " \
        "well-being, under beta (-5.0 points" in text  # fmt: skip


def test_the_worlds_section_says_the_context_conditions_vary_too():
    """It said "the context ... is not varied" while the share returning by force varies."""
    regret = pd.DataFrame({"outcome": HEADLINE, "strategy": ["none", "alpha"],
                           "mean_regret": [0.05, 0.0], "share_best": [0.0, 1.0]})  # fmt: skip
    text = _plain(text_robust(Worlds(None, None, 10, 1), load_scenario("default"), regret))
    assert "is the scenario's and is not varied" not in text
    assert "the context's conditions (such as the share returning by force" in text
    assert "What the planner states (the number of returnees" in text


def test_a_24_month_lead_chance_could_explain_is_not_a_choice():
    """urban: "+1.0 points (95% interval -0.0 to +2.1), a lead chance could explain. ... one
    judged at 24 months [would choose] community": the choice rested on a lead not measured."""
    rng = np.random.default_rng(1)
    rows = [
        {"budget": 1.0, "strategy": s, "replicate": k, "share_sustainable_m12": m12 + e,
         "share_sustainable_m24": m24 + rng.normal(0, 0.03), "share_sustainable": m24}
        for k, e in enumerate(rng.normal(0, 0.001, 6))
        for s, m12, m24 in (("none", 0.1, 0.1), ("alpha", 0.3, 0.30), ("beta", 0.2, 0.31))
    ]  # fmt: skip
    r = pd.DataFrame(rows)
    summary = r.groupby("strategy", sort=False, as_index=False).mean(numeric_only=True)
    text = _plain(sentence_horizon(summary, r, 24))
    assert "a lead chance could explain" in text
    assert text.endswith("would choose alpha, one judged at 24 months could not yet tell beta "
                         "from alpha.")  # fmt: skip
