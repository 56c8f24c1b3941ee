"""Who gets support and how return type weighs: the assessment ranks by need, and a forced
return weighs through what it does to people (issue 10, item 7)."""

import numpy as np
import pytest

from agents.state import Returnees, Structure
from model.mechanisms.livelihoods import employability
from model.plan import severity
from model.population import worse_if_forced
from model.scenario import load_scenario


@pytest.fixture
def p():
    return load_scenario("default")


def test_the_assessment_ranks_by_the_need_a_package_answers_not_by_return_type(p):
    """Two returnees alike in savings, debt, skill and distress rank the same whether they
    came back forced or not (before, forced return itself added a point of 'need')."""
    r = Returnees.empty(
        3, forced=[True, False, False], savings=[0.0, 0.0, 150.0], debt=[500.0, 500.0, 0.0],
        skill=[0.3, 0.3, 0.3], distress=[0.1, 0.1, 0.1],
    )  # fmt: skip
    ranked = severity(r, p)
    for rule in ("any", "economic_need", "low_skill", "distressed"):
        assert ranked[rule][0] == ranked[rule][1], rule
    assert ranked["economic_need"][1] > ranked["economic_need"][2]  # no savings and in debt


def test_a_forced_return_leaves_no_time_to_mobilise_resources(p):
    forced = np.array([True, False])
    chance = worse_if_forced(0.5, forced, p)
    assert chance[1] == 0.5
    assert chance[0] == pytest.approx(0.5 + 0.5 * p.forced_resource_loss)
    p.forced_resource_loss = 0.0
    assert worse_if_forced(0.5, forced, p).tolist() == [0.5, 0.5]


def test_a_prepared_return_helps_find_work(p):
    r = Returnees.empty(2, prepared=[True, False], skill=[0.5, 0.5])
    e = employability(r, np.ones(2), np.ones(2), Structure(residents=1.0), p)
    assert e[0] == pytest.approx(e[1] * (1 + p.prepared_employability_gain))


def test_community_projects_go_only_where_enough_returnees_arrive():
    """Community profiling acts where a critical mass of returnees is expected (IOM
    Reintegration Handbook, module 3), however much money is left for other villages."""
    from model.model import ReintegrationModel

    m = ReintegrationModel(
        "default", strategy="community", rng=2, return_concentration=1.5, planning_round_months=0
    )
    c = m.world.communities
    units = sum(d.units for d in m.plan.community)
    few = c.expected_returnees < m.p.community_critical_mass
    assert few.any() and (~few).any()
    assert (units[few] == 0).all() and (units[~few] > 0).all()
    left = [a for a in m.plan.allocations if a.planned - a.committed > 1]
    assert left and all(a.reason for a in left)


def test_tools_and_stock_go_first_to_realistic_plans_cash_to_the_most_in_need(p):
    """Business support by the IOM Handbook's selection (Annex 2): of three returnees without
    savings, the one whose creditors' interest the business could not earn (a heavy journey
    debt) comes after the two whose plans are realistic, and among those the one lacking more
    capital comes first; a package of no tools and stock (cash) keeps the plain ranking by need,
    in which the heavy debtor is the most in need."""
    from model.plan import realistic_first

    heavy = 3 * p.business_return * 900.0 / p.debt_interest_rate  # interest 3x what 900 USD earn
    r = Returnees.empty(
        3, savings=[0.0, 100.0, 0.0], debt=[0.0, 0.0, heavy], business_asset=[0.0, 0.0, 100.0]
    )  # fmt: skip
    idx = np.arange(3)
    need = severity(r, p)["economic_need"]
    business, cash = p.packages["business_support"], p.packages["cash_grant"]
    assert business.effects.business_asset_usd > 0 and cash.effects.business_asset_usd == 0
    ranked = realistic_first(need, r, idx, business, p)
    assert np.argsort(-ranked, kind="stable").tolist() == [0, 1, 2]
    assert np.argsort(-realistic_first(need, r, idx, cash, p), kind="stable")[0] == 2
    r.debt[2] = 0.5 * p.business_return * 900.0 / p.debt_interest_rate  # the business can pay
    ranked = realistic_first(need, r, idx, business, p)
    assert ranked[2] == ranked[0] > ranked[1]  # realistic now, and as short of capital as 0


def test_screened_business_plans_keep_more_funded_businesses_running():
    """The same business grants, screened as IOM's business development support screens them
    (``business_plans = "screened"``), go to returnees with less journey debt, whose creditors
    do not take the business, so more of the businesses the programme funded are still running
    at month 18 than when the grants go to the most in need first (the indebted)."""
    from model.model import ReintegrationModel
    from model.support import Strategy

    funded, debt = {}, {}
    for plans in ("by_need", "screened"):
        strategy = Strategy(name="grants", business_plans=plans, shares={"business_support": 0.4})
        m = ReintegrationModel("default", strategy=strategy, rng=3)
        for _ in range(18):
            m.step()
        given = np.concatenate([d.recipients for d in m.plan.individual])
        debt[plans] = m.world.returnees.debt[given].mean()
        funded[plans] = m.datacollector.get_model_vars_dataframe()["share_funded_running"].iloc[-1]
    assert debt["screened"] < debt["by_need"]
    assert funded["screened"] > funded["by_need"] + 0.1


def test_the_by_need_strategies_are_the_shipped_ones_with_grants_by_need():
    """The example file differs from the shipped strategies in whom business grants go to."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).parents[2]
    shipped = tomllib.loads((root / "scenarios/strategies.toml").read_text())
    by_need = tomllib.loads((root / "experiments/files/by_need_strategies.toml").read_text())
    for name, strategy in by_need.items():
        assert strategy["business_plans"] == "by_need"
        assert strategy["shares"] == shipped[name.removesuffix("_by_need")]["shares"]
        assert shipped[name.removesuffix("_by_need")].get("business_plans") is None  # screened
