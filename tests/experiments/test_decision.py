"""The decision in brief: every sentence follows the numbers, never a strategy's name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from experiments.comparison.compare import OUTCOMES
from experiments.comparison.decision import Context, decision_summary, recommend
from experiments.comparison.robust import Robust, robust_tables
from experiments.comparison.summary import summary_table
from experiments.comparison.text import text_summary
from experiments.comparison.words import Words
from model.parameters import PARAMETERS

#: The plain label the sentences name hire_rate by.
HIRE = PARAMETERS["hire_rate"].label
CONTEXT = Context(months=24, budget=100_000, n_returnees=100, replicates=6, assumed=10,
                  parameters=20)  # fmt: skip


def runs(m12: dict[str, float], m24: dict[str, float], wellbeing: dict[str, float]):
    """Six replicates per strategy around the given means (small, paired noise)."""
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.004, 6)
    rows = []
    for strategy in m12:
        for k in range(6):
            row = {o: 0.5 for o in OUTCOMES}
            row.update(budget=100_000.0, strategy=strategy, replicate=k,
                       share_sustainable_m12=m12[strategy] + noise[k],
                       share_sustainable_m24=m24[strategy] + noise[k],
                       share_sustainable=m24[strategy] + noise[k],
                       sustainable=100 * (m24[strategy] + noise[k]),
                       nonmigrant_wellbeing=wellbeing[strategy] + noise[k] / 10,
                       tension=0.3 + rng.normal(0, 0.01),
                       spent=0.0 if strategy == "none" else 90_000.0)  # fmt: skip
            rows.append(row)
    return pd.DataFrame(rows)


def brief(names=("alpha", "beta"), months=24, robust=None, **ctx):
    """The summary and the sentences as the report's HTML shows them."""
    summary, words = brief_words(names, months, robust, **ctx)
    return summary, as_html(words)


def as_html(sentences: dict) -> dict[str, str]:
    """Words with their markup as the report shows it; plain sentences as they are."""
    return {k: v.__html__() if isinstance(v, Words) else v for k, v in sentences.items()}


def brief_words(names=("alpha", "beta"), months=24, robust=None, **ctx):
    early, late = names
    r = runs({"none": 0.10, early: 0.30, late: 0.20}, {"none": 0.15, early: 0.25, late: 0.35},
             {"none": 0.60, early: 0.60, late: 0.55})  # fmt: skip
    context = Context(**{**vars(CONTEXT), "months": months, **ctx})
    summary = summary_table(r)
    return summary, decision_summary(summary, r, pd.DataFrame(), context, robust)


@pytest.mark.parametrize("names", [("alpha", "beta"), ("beta", "alpha")])
def test_the_summary_says_when_the_12_month_leader_is_not_the_24_month_leader(names):
    early, late = names
    _, sentences = brief(names)
    horizon = sentences["horizon"]
    assert "leader changes with the horizon" in horizon
    assert f"<b>{early}</b> leads at 12 months" in horizon
    assert f"<b>{late}</b> at 24 months" in horizon
    assert "a measurable lead" in horizon
    assert sentences["recommendation"].startswith(f"<b>{late}</b>")


def test_one_leader_at_both_horizons_is_said_once():
    r = runs({"none": 0.1, "alpha": 0.3, "beta": 0.2}, {"none": 0.1, "alpha": 0.4, "beta": 0.3},
             {"none": 0.6, "alpha": 0.6, "beta": 0.6})  # fmt: skip
    sentences = as_html(decision_summary(summary_table(r), r, pd.DataFrame(), CONTEXT))
    expected = "<b>alpha</b> leads both at 12 and at 24 months of the programme."
    assert sentences["horizon"] == expected


def test_a_short_comparison_does_not_claim_a_24_month_leader():
    _, sentences = brief(months=12)
    assert "who leads at 24 months is not known" in sentences["horizon"]


def test_without_plausible_worlds_the_ranking_is_chance_only():
    _, sentences = brief()
    assert sentences["robustness"].startswith("Chance only.")
    assert "chance (replicate noise) only" in sentences["robustness"]
    assert "the intervals cover chance only" in sentences["caveats"]


def test_harm_to_non_migrants_is_reported_from_the_difference():
    _, sentences = brief()
    assert (
        "non-migrants' well-being is worse than with no programme: -5.0"
        in (sentences["do_no_harm"])
    )


def test_cost_is_per_returnee_and_per_additional_returnee():
    summary, sentences = brief()
    beta = summary.set_index("strategy").loc["beta"]
    assert "1,000 USD per returnee" in sentences["cost"]
    assert f"{beta.cost_per_additional_sustainable:,.0f} USD (95% interval" in sentences["cost"]


def worlds(best_share: float) -> pd.DataFrame:
    """Four worlds; beta is best in the first ``4 * best_share`` of them, alpha in the rest."""
    rows = []
    for d in range(4):
        beta_best = d < 4 * best_share
        for s, v in {"none": 0.1, "alpha": 0.3, "beta": 0.4 if beta_best else 0.2}.items():
            early = 0.45 if s == "alpha" and d == 0 else v  # alpha leads at 12 months in world 0
            rows.append({"draw": d, "strategy": s, "share_sustainable": v, "composite": v,
                         "share_sustainable_m24": v, "share_sustainable_m12": early,
                         "nonmigrant_wellbeing": 0.6, "hire_rate": 0.1 * d})  # fmt: skip
    return pd.DataFrame(rows)


def test_with_plausible_worlds_the_share_where_it_leads_is_quoted():
    robust = robust_tables(worlds(0.75))
    summary, sentences = brief(robust=robust, worlds=4, ensemble="test")
    assert recommend(summary, robust) == "beta"  # least regret: 0.025 against 0.075
    assert "beta is the best strategy in 75% of them" in sentences["robustness"]
    assert "It beats none in 100%; alpha in 75%" in sentences["robustness"]
    assert "chance only" not in sentences["caveats"]
    assert "not the leader at 24 months in 25% of them" in sentences["horizon"]


@pytest.mark.parametrize(("runner_up_worlds", "few"), [(8, False), (2, True)])
def test_the_flip_sentence_names_the_parameter_only_when_enough_worlds_hold_it(
    runner_up_worlds, few
):
    """alpha is best where hire_rate is low (the first worlds), beta elsewhere."""
    rows = []
    for d in range(20):
        alpha_best = d < runner_up_worlds
        for s, v in {"none": 0.1, "alpha": 0.4 if alpha_best else 0.2, "beta": 0.3}.items():
            rows.append({"draw": d, "strategy": s, "share_sustainable": v, "composite": v,
                         "share_sustainable_m12": v, "share_sustainable_m24": v,
                         "nonmigrant_wellbeing": 0.6, "hire_rate": 0.05 * d,
                         "wage_usd": 100.0 + (d * 7) % 20})  # fmt: skip
    robust = robust_tables(pd.DataFrame(rows))
    _, sentences = brief(robust=robust, worlds=20, ensemble="test")
    text = sentences["robustness"]
    stated = f"beta leads unless {HIRE} is below" in text and "there alpha does better" in text
    assert stated != few
    unclear = "No parameter clearly flips the ranking: alpha does better than beta in 2 of 20"
    unexplained = unclear in text or "No range of the varied parameters singles out" in text
    assert unexplained == few


def test_a_name_is_escaped_in_the_report_and_plain_in_the_terminal():
    _, words = brief_words(("a<b", "c&d"))
    assert "<b>c&amp;d</b>" in str(escape(words["recommendation"]))
    assert str(words["recommendation"]).startswith("c&d: it leaves")


def robust_from(values: dict[str, list[float]], composite=None, **parameters) -> Robust:
    """The robust tables of hand-made worlds: ``values`` the headline per strategy and world
    (also used at 12 and 24 months), ``composite`` the composite score if it differs."""
    composite = composite or values
    rows = [
        {"draw": d, "strategy": s, "share_sustainable": v, "share_sustainable_m12": v,
         "share_sustainable_m24": v, "composite": composite[s][d], "nonmigrant_wellbeing": 0.6,
         **{name: p[d] for name, p in parameters.items()}}
        for s, outcome in values.items()
        for d, v in enumerate(outcome)
    ]  # fmt: skip
    return robust_tables(pd.DataFrame(rows))


def tied_runs() -> pd.DataFrame:
    """alpha (listed first) and beta tie on the scenario's own values at every horizon."""
    same = {"none": 0.2, "alpha": 0.3, "beta": 0.3}
    return runs(same, same, {"none": 0.6, "alpha": 0.6, "beta": 0.6})


def test_when_nothing_differs_in_any_world_the_brief_says_they_cannot_be_told_apart():
    robust = robust_from({"none": [0.3] * 8, "alpha": [0.3] * 8, "beta": [0.3] * 8},
                         hire_rate=[0.1 * d for d in range(8)])  # fmt: skip
    r = tied_runs()
    sentences = as_html(decision_summary(summary_table(r), r, pd.DataFrame(), CONTEXT, robust))
    assert "these cannot be told apart" in sentences["recommendation"]
    assert "best strategy in 33% of them (best or tied for best in 100%" in sentences["robustness"]


def test_one_leader_throughout_when_ties_favour_whoever_is_listed_first():
    """beta does better in one world and ties in seven: it is recommended, the horizon names it
    though alpha is listed first, no strategy beats no programme and it is a close call."""
    flat = [0.3] * 8
    robust = robust_from({"none": flat, "alpha": flat, "beta": [0.35, *flat[1:]]},
                         hire_rate=[0.1 * d for d in range(8)])  # fmt: skip
    r = tied_runs()
    summary = summary_table(r)
    sentences = as_html(decision_summary(summary, r, pd.DataFrame(), CONTEXT, robust))
    assert recommend(summary, robust) == "beta"
    assert sentences["recommendation"].startswith("<b>beta</b>")
    assert sentences["horizon"].startswith("<b>beta</b> leads both at 12 and at 24 months")
    assert "tied with alpha at both" in sentences["horizon"]
    assert "No strategy beats no programme in most plausible worlds" in sentences["recommendation"]
    assert "close call between beta and alpha" in sentences["recommendation"]
    assert str(escape(text_summary(summary, r, 24, "beta"))).startswith(
        "After 24 months, <b>beta</b> leaves the largest share of returnees sustainably "
        "reintegrated (tied with alpha):"
    )


def test_a_near_tie_is_a_close_call_and_the_composite_leader_is_named():
    """alpha beats beta in 7 of 12 worlds by a little and loses 5 by less: least regret, but
    not a clear lead; beta is best on the composite score everywhere."""
    alpha = [0.32] * 7 + [0.29] * 5
    values = {"none": [0.1] * 12, "alpha": alpha, "beta": [0.3] * 12}
    composite = {"none": [0.1] * 12, "alpha": [0.4] * 12, "beta": [0.5] * 12}
    robust = robust_from(values, composite, hire_rate=[0.1 * d for d in range(12)])
    _, sentences = brief(robust=robust, worlds=12, ensemble="test")
    text = sentences["recommendation"]
    assert "close call between alpha and beta: alpha does better in 7 of 12 worlds" in text
    assert "On the composite score, beta leads instead (best in 100% of the worlds)" in text


def test_a_clear_lead_is_no_close_call():
    values = {"none": [0.1] * 12, "alpha": [0.4] * 11 + [0.29], "beta": [0.3] * 12}
    robust = robust_from(values, hire_rate=[0.1 * d for d in range(12)])
    _, sentences = brief(robust=robust, worlds=12, ensemble="test")
    assert "close call" not in sentences["recommendation"]
    assert "composite score" not in sentences["recommendation"]


def test_worlds_from_one_particle_are_counted_as_one_parameter_set():
    robust = robust_from({"none": [0.1] * 8, "alpha": [0.3] * 8, "beta": [0.2] * 8},
                         hire_rate=[0.5] * 8)  # fmt: skip
    _, sentences = brief(robust=robust, worlds=8, ensemble="test")
    text = sentences["robustness"]
    assert "Across 8 plausible worlds drawn from test (1 distinct parameter " \
           "set; with so few" in text  # fmt: skip


def test_one_world_is_singular():
    robust = robust_from({"none": [0.1], "alpha": [0.3], "beta": [0.2]}, hire_rate=[0.5])
    _, sentences = brief(robust=robust, worlds=1, ensemble="test")
    assert "Across 1 plausible world drawn" in sentences["robustness"]


def test_the_brief_says_how_much_disagreement_is_replicate_noise():
    """Worlds 0-3 are one particle drawn four times: beta wins one of them by chance."""
    robust = robust_from({"none": [0.1] * 6, "alpha": [0.4, 0.4, 0.4, 0.2, 0.4, 0.4],
                          "beta": [0.3] * 6}, hire_rate=[0.5, 0.5, 0.5, 0.5, 0.1, 0.2])  # fmt: skip
    _, sentences = brief(robust=robust, worlds=6, ensemble="test")
    text = sentences["robustness"]
    assert "Of the 6 pairs of worlds drawn from the same parameter set, 3 disagree on whether " \
           "alpha beats beta" in text  # fmt: skip
    assert "The ranking flips" not in text  # one world won by beta is no rule


def test_with_one_strategy_replicate_noise_is_measured_against_no_programme():
    robust = robust_from({"none": [0.1, 0.3, 0.1], "alpha": [0.2] * 3}, hire_rate=[0.5] * 3)
    r = runs({"none": 0.1, "alpha": 0.2}, {"none": 0.1, "alpha": 0.2}, {"none": 0.6, "alpha": 0.6})
    sentences = as_html(decision_summary(summary_table(r), r, pd.DataFrame(), CONTEXT, robust))
    assert "Of the 3 pairs of worlds drawn from the same parameter set, 2 disagree on whether " \
           "alpha beats none" in sentences["robustness"]  # fmt: skip


def test_without_a_flip_the_brief_names_what_the_leaders_margin_moves_with():
    """alpha beats beta in every world, by more where hiring is quicker; the wage is idle."""
    hire = [0.01 * d for d in range(40)]
    wage = [100.0 + (d * 37) % 40 for d in range(40)]
    values = {"none": [0.1] * 40, "alpha": [0.31 + h for h in hire], "beta": [0.3] * 40}
    robust = robust_from(values, hire_rate=hire, wage_usd=wage)
    _, sentences = brief(robust=robust, worlds=40, ensemble="test")
    text = sentences["robustness"]
    assert "No range of the varied parameters singles out" in text
    assert f"alpha's margin over beta grows as {HIRE} rises (rank correlation +1.00)" in text
    assert PARAMETERS["wage_usd"].label not in text
