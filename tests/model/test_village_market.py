"""Issue 20, items 1 and 6 (a grant's return): what a village's businesses sell is not a
fixed local pot. Part of it goes to buyers beyond the village, and the village's own demand
grows with what its households consume, so new sellers do not only take sales from the
sellers already there. Hand-made villages whose right answer is known."""

import numpy as np
import pytest

from model.mechanisms import debt, household_economy, own_account
from tests.model.test_household_economy import month, returnees, village


def sellers_in(market: float, sellers: int) -> tuple:
    """A village whose incumbents' capacity already meets its households' demand
    (``market``), and ``sellers`` returnees given business assets (a grant)."""
    r = returnees(sellers, household=np.arange(sellers), business_asset=[800.0] * sellers)
    w = village(r, sellers, market=market)
    w.communities.usual_market[:] = market
    return r, w


def test_new_sellers_earn_more_than_the_incumbents_can_lose(p):
    """Sellers that grants create earn more than the village's households spend with all
    its sellers, so more than the sellers already there lose (at most that whole spending):
    they sell beyond the village, not only take custom from their neighbours (before, sales
    were a fixed local pool: the new sellers' gain was the incumbents' loss, never more)."""
    p.casual_work_rate = 0.0
    market = 500.0
    r, w = sellers_in(market, sellers=40)
    month(w, p)
    assert (r.status == own_account.OWN_ACCOUNT).all()
    assert r.earned.sum() > market
    nothing_local, w_empty = sellers_in(0.0, sellers=1)
    month(w_empty, p)
    assert nothing_local.earned[0] > 0  # a village that buys nothing still has buyers beyond it


def test_village_demand_grows_with_what_households_consume(p):
    """A household above its need that earns more buys more from the village's sellers
    (the local multiplier: Egger et al. 2022), less what it puts by (before, spending was
    capped at need, so a richer village bought no more)."""
    p.casual_work_rate = 0.0
    r = returnees(1, household=[0])
    w = village(r, 1, size=[3.0], means=[2.0])  # twice its need: a surplus
    household_economy.pool(w, p)
    nothing_owed = np.zeros(1)
    before = float(household_economy.spending_pool(w, p, nothing_owed)[0])
    r.earned[:] = 200.0
    w.households.resources = w.households.resources + 200.0
    after = float(household_economy.spending_pool(w, p, nothing_owed)[0])
    assert after - before > 0
    assert after - before < p.local_market_share * 200.0  # part of a surplus is put by


def test_a_business_adds_to_farm_work_rather_than_replacing_it(p):
    """A grantee whose family farms earns more than one whose family does not: they run the
    business and still work the farm, as rural households combine the two (before, a seller
    left the farm, so a grant displaced the farm work it was meant to add to)."""
    p.casual_work_rate = 0.0
    r = returnees(2, household=[0, 1], business_asset=[800.0, 800.0])
    w = village(r, 2, size=[3.0, 3.0], farm=[True, False])
    month(w, p)
    assert (r.status == own_account.OWN_ACCOUNT).all()
    assert r.earned[0] > r.earned[1]


def test_what_creditors_are_paid_is_not_bought_from_village_sellers(p):
    """Two households alike but for a debt: the one paying its creditors spends less with
    the village's sellers, by the part of its repayment it would have consumed (before, the
    village's demand counted the whole surplus as spent, what went to creditors included).
    The month runs as the model runs it: creditors are paid before the demand is known."""
    markets, repaid = [], []
    for owed in (0.0, 5000.0):
        r = returnees(1, household=[0], debt=[owed])
        w = village(r, 1, size=[3.0], means=[2.0])  # twice its need: a surplus
        household_economy.pool(w, p)
        paid = debt.press(w, p)
        household_economy.spend(w, p, paid)
        markets.append(float(w.communities.market[0]))
        repaid.append(float(paid[0]))
    assert repaid[0] == 0.0 < repaid[1]
    consumed = (1 - p.saving_share) * repaid[1]
    assert markets[0] - markets[1] == pytest.approx(p.local_market_share * consumed)
