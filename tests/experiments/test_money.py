"""Money: what a plan planned, committed and left per package, and why; the cost per
additional returnee with its interval; the money left and its reason in summary.csv and the
report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.comparison.compare import HEADLINE_COST
from experiments.comparison.statistics import interval, ratio_interval
from model.model import ReintegrationModel
from model.plan import ALL_FULL, ALL_SERVED, INDIVISIBLE, NOT_ALLOCATED
from model.scenario import load_scenario
from model.support import Strategy
from tests.experiments.conftest import SMALL, TINY
from tests.experiments.test_report import Page

#: small_infrastructure costs 60,000 a unit: 5% of 1,000,000 buys none.
UNABSORBABLE = """
[unabsorbable]
description = "Too little for one unit of infrastructure, and a little cash"
targeting = "needs"
shares = { small_infrastructure = 0.05, cash_grant = 0.05 }
"""


def plan_of(shares: dict, **overrides):
    """The plan made before month 1 with perfect foresight (in rounds, nothing is committed
    before the run): the planning rules and their reasons, without a run."""
    strategy = Strategy(name="test", targeting="needs", shares=shares)
    model = ReintegrationModel(
        load_scenario("default", {**TINY, "planning_round_months": 0, **overrides}),
        strategy=strategy, rng=3,
        create_agents=False,
    )  # fmt: skip
    return model.plan, {a.package: a for a in model.plan.allocations}


@pytest.mark.parametrize("budget", [50_000.0, 250_000.0, 1_000_000.0, 5_000_000.0])
def test_allocations_add_up_to_the_budget_and_the_plan_never_exceeds_it(budget):
    plan, allocations = plan_of(
        {"cash_grant": 0.2, "joint_income_activity": 0.3, "service_strengthening": 0.3},
        budget=budget,
    )
    assert sum(a.planned for a in allocations.values()) == pytest.approx(budget)
    assert sum(a.committed for a in allocations.values()) == pytest.approx(plan.committed)
    assert plan.committed <= budget + 1e-6
    assert all(0 <= a.committed <= a.planned + 1e-6 for a in allocations.values())
    assert allocations["(not allocated)"].reason == NOT_ALLOCATED
    assert allocations["(not allocated)"].planned == pytest.approx(0.2 * budget)
    assert allocations["service_strengthening"].left == pytest.approx(0)
    assert all(bool(a.reason) == (a.left > 0.01) for a in allocations.values())


def test_each_remainder_names_its_cause():
    _, small = plan_of({"small_infrastructure": 0.05, "cash_grant": 0.9})
    cost = load_scenario("default").packages["small_infrastructure"].unit_cost
    assert small["small_infrastructure"].committed == 0
    assert small["small_infrastructure"].reason == INDIVISIBLE.format(
        unit="community unit", cost=cost
    )
    assert small["cash_grant"].reason.startswith(ALL_SERVED), "100 returnees cannot use 900,000"
    _, capped = plan_of({"dialogue_forum": 1.0})
    mass = load_scenario("default").community_critical_mass
    assert capped["dialogue_forum"].reason == ALL_FULL.format(mass=mass, most=1)
    assert capped["dialogue_forum"].committed <= TINY["n_communities"] * cost


def test_returnees_due_after_the_programme_are_named():
    _, late = plan_of({"vocational_training": 1.0}, programme_months=3, arrival_months=6)
    assert "after the programme ends (month 2)" in late["vocational_training"].reason


def test_cost_interval_is_fieller_and_reduces_to_the_extra_returnees_interval():
    extra = np.array([40.0, 55.0, 47.0, 60.0, 52.0])
    mean, lo, hi = ratio_interval(np.full(5, 100_000.0), extra)
    e_mean, e_lo, e_hi = interval(extra)
    assert (mean, lo, hi) == pytest.approx((100_000 / e_mean, 100_000 / e_hi, 100_000 / e_lo))
    _, lo, hi = ratio_interval(np.full(5, 100_000.0), np.array([-3.0, 5.0, 1.0, 8.0, -2.0]))
    assert np.isinf(hi) and 0 < lo < np.inf, "extra returnees not told apart from zero"
    assert np.isnan(ratio_interval(np.full(3, 1.0), np.array([-1.0, 0.0, -2.0]))[0])


@pytest.fixture(scope="module")
def unabsorbed(tmp_path_factory):
    out = tmp_path_factory.mktemp("money")
    strategies = out / "strategies.toml"
    strategies.write_text(UNABSORBABLE)
    code = main(["compare", *SMALL, "--months", "4", "--replicates", "3", "--workers", "1",
                 "--strategies-file", str(strategies), "--strategies",
                 "unabsorbable,integrated", "--out", str(out / "run")])  # fmt: skip
    assert code == 0
    return out / "run"


def test_summary_csv_shows_the_money_left_and_why(unabsorbed):
    summary = pd.read_csv(unabsorbed / "summary.csv").set_index("strategy")
    row = summary.loc["unabsorbable"]
    budget = load_scenario("default").budget
    assert row.left == pytest.approx(budget - row.spent)
    assert row.left >= 0.9 * budget
    assert "small_infrastructure" in row.left_reason and "indivisible" in row.left_reason
    assert "(not allocated)" in row.left_reason
    money = pd.read_csv(unabsorbed / "money.csv")
    infra = money[(money.strategy == "unabsorbable") & (money.package == "small_infrastructure")]
    assert infra.committed.iloc[0] == 0 and infra.left.iloc[0] == pytest.approx(0.05 * budget)


def test_headline_cost_is_per_additional_returnee_with_its_interval(unabsorbed, capsys):
    summary = pd.read_csv(unabsorbed / "summary.csv").set_index("strategy")
    runs = pd.read_csv(unabsorbed / "runs.csv")
    wide = runs.pivot(index="replicate", columns="strategy", values="sustainable")
    spent = runs[runs.strategy == "integrated"].set_index("replicate").spent
    expected = ratio_interval(spent, wide["integrated"] - wide["none"])
    got = summary.loc["integrated", [HEADLINE_COST, f"{HEADLINE_COST}_lo", f"{HEADLINE_COST}_hi"]]
    assert got.to_numpy(float) == pytest.approx(
        np.array(expected, float), rel=1e-5, nan_ok=True
    )  # CSV: 6 digits
    assert list(summary.columns[:4]) == [
        "budget",
        "replicates",
        HEADLINE_COST,
        f"{HEADLINE_COST}_lo",
    ]


def test_report_shows_the_money_left_and_why(unabsorbed):
    page = Page((unabsorbed / "report.html").read_text(encoding="utf-8"))
    money = page.sections["money"]["text"]
    assert "equal budget" in money
    assert "small_infrastructure" in money and "indivisible units" in money
    assert "not allocated" in money
