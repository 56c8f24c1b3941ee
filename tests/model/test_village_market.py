"""Issue 20, items 1 and 6 (a grant's return): what a village's businesses sell is not a
fixed local pot. Part of it goes to buyers beyond the village, and the village's own demand
grows with what its households consume, so new sellers do not only take sales from the
sellers already there. Hand-made villages whose right answer is known."""

import numpy as np
import pytest
import scipy.sparse as sp

from agents.state import Communities, Households, Structure, World
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


def test_a_household_that_puts_nothing_by_consumes_its_whole_surplus(p):
    """A household whose returnee's savings already reach the buffer, like one with no
    returnee to hold savings, puts nothing by and so spends its whole surplus, part of it
    with the village's sellers; one below its buffer spends all but what it puts by (before,
    every household spent 1 - ``saving_share`` of its surplus, and the share a full buffer
    did not take was neither saved nor spent: it vanished from the village's demand)."""
    buffer = p.savings_buffer_months * p.monthly_need_usd
    bought = {}
    for held in (0.0, 2 * buffer):
        r = returnees(1, household=[0], savings=[held])
        w = village(r, 1, size=[3.0], means=[2.0])  # twice its members' need: a surplus
        household_economy.pool(w, p)
        need = float(household_economy.household_need(w.households, p)[0])
        surplus = float(w.households.resources[0]) - need
        before = r.savings[0]
        household_economy.spend(w, p, np.zeros(1))
        kept = r.savings[0] - before
        bought[held] = float(w.communities.market[0])
        assert bought[held] == pytest.approx(p.local_market_share * (need + surplus - kept))
    assert bought[2 * buffer] == pytest.approx(p.local_market_share * (need + surplus))
    assert bought[2 * buffer] > bought[0.0]


def district(sellers: list[int], districts: list[int], market: float = 100.0) -> tuple:
    """Villages (one per entry of ``sellers``, in ``districts``) whose incumbent sellers meet
    their households' demand (``market`` each), each with that many grantees selling."""
    n, k = sum(sellers), len(sellers)
    community = np.repeat(np.arange(k), sellers)
    r = returnees(n, household=np.arange(n), community=community, business_asset=[800.0] * n)
    c = Communities.empty(
        k,
        households=[10.0] * k,
        job_availability=[0.8] * k,
        usual_job_availability=[0.8] * k,
        market=[market] * k,
        usual_market=[market] * k,
        district=districts,
    )
    h = Households.empty(n, community=community, returnees=np.ones(n, int))
    return r, World(r, h, c, Structure(residents=10.0), sp.csr_matrix((n, n)))


def test_grants_in_many_villages_crowd_the_buyers_beyond_them(p):
    """Buyers beyond the villages are one market the district's sellers share: a grantee
    sells less when the next village's returnees get grants too, though the two villages'
    own custom is apart; a village of another district does not crowd them (before, sales
    beyond the village never saturated, however many sold there)."""
    p.casual_work_rate = 0.0
    alone, w_alone = district([20, 0], [0, 0])
    both, w_both = district([20, 20], [0, 0])
    first_alone, w_first_alone = district([20, 0], [0, 1])
    apart, w_apart = district([20, 20], [0, 1])
    for w in (w_alone, w_both, w_first_alone, w_apart):
        month(w, p)
    assert both.earned[0] < alone.earned[0]
    assert apart.earned[0] == pytest.approx(first_alone.earned[0])
    assert (both.status == own_account.OWN_ACCOUNT).all()


def test_outside_buyers_buy_what_the_incumbents_sold_them_and_part_of_what_is_new(p):
    """The worked example of :func:`.own_account.outside_share`: villages spending 700 and
    300 USD with local sellers (share 0.3) sold 428.6 USD outside; returnees offering as much
    again sell 0.75 of it at elasticity 0.5, a lone seller where there was no trade the
    elasticity, and a district whose returnees offer nothing outside sells in full."""
    p.outside_sales_share, p.outside_demand_elasticity, p.returnee_trade_share = 0.3, 0.5, 1.0
    r, w = district([1, 1], [0, 0])
    w.communities.usual_market[:] = [700.0, 300.0]
    usual = 1000.0 * 0.3 / 0.7
    share = own_account.outside_share(w, np.array([usual, 0.0]), p)
    assert share == pytest.approx([0.75, 0.75])
    p.returnee_trade_share = 0.3  # their trades' part of what the incumbents sold outside
    share = own_account.outside_share(w, np.array([usual, 0.0]), p)
    assert share == pytest.approx([1 - 0.5 * usual / (0.3 * usual + usual)] * 2)
    p.returnee_trade_share = 1.0
    w.communities.usual_market[:] = 0.0
    assert own_account.outside_share(w, np.array([5.0, 0.0]), p) == pytest.approx([0.5, 0.5])
    assert own_account.outside_share(w, np.zeros(2), p) == pytest.approx([1.0, 1.0])


def test_a_seller_with_thin_sales_takes_day_labour_as_well(p):
    """A grantee in a village that buys nothing (and a district with no outside trade) sells
    less than a month of day labour pays: they seek day labour too, earn both and stay on
    their own account; a grantee whose sales pay more does not (before, a seller never did
    day labour, however little they sold)."""
    earned = {}
    for market in (0.0, 1e9):
        for rate in (0.0, 1.0):
            p.casual_work_rate = rate
            r, w = district([1], [0], market=market)
            month(w, p)
            assert r.status[0] == own_account.OWN_ACCOUNT
            earned[market, rate] = r.earned[0]
    day_rate = p.casual_earnings_usd * 0.8
    assert earned[0.0, 0.0] < day_rate
    assert earned[0.0, 1.0] > earned[0.0, 0.0]
    assert earned[1e9, 1.0] == pytest.approx(earned[1e9, 0.0])


def test_returnees_in_the_same_few_trades_crowd_them_faster_than_the_whole_market(p):
    """The worked example of :func:`.own_account.demand_share`: a village spending 500 USD a
    month with local sellers whose incumbents met it; returnees offering 100 USD sell
    500 / 600 of it if they sold in every trade alike, 150 / 250 when their trades are 0.3 of
    the village's spending (IOM Reintegration Handbook 2019, module 3.3: returnees "with
    similar skills" returning to one community)."""
    r, w = sellers_in(500.0, sellers=1)
    offered = np.array([100.0])
    p.returnee_trade_share = 1.0
    assert own_account.demand_share(w, offered, p) == pytest.approx([500 / 600])
    p.returnee_trade_share = 0.3
    assert own_account.demand_share(w, offered, p) == pytest.approx([150 / 250])


def test_where_many_grantees_sell_their_trades_saturate_and_each_earns_less(p):
    """Grantees in a village where many returnees got the same grant earn less each than a
    lone grantee in a village alike, and by more when returnees open the same few trades
    than if they sold in every trade alike: what concentration itself does to a business
    grant (before, the returnees' sellers shared the whole village's spending)."""
    p.casual_work_rate = 0.0

    def earned(sellers: int, trade_share: float) -> float:
        p.returnee_trade_share = trade_share
        r, w = sellers_in(500.0, sellers=sellers)
        month(w, p)
        assert (r.status == own_account.OWN_ACCOUNT).all()
        return float(r.earned[0])

    alike = earned(40, 1.0) / earned(1, 1.0)
    same_trades = earned(40, 0.3) / earned(1, 0.3)
    assert same_trades < alike < 1
