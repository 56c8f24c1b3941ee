"""Issue 20, item 5 (debts that end): creditors of a debtor who cannot pay the interest take
their savings and business assets and stop charging interest on the rest, so a debt with no
one to pay it does not compound for ever; and lenders lend no more to a household in long
arrears, so a shock it cannot pay goes unmet. Hand-made rows first, then a whole run."""

import numpy as np
import pytest

from model.mechanisms import debt, household_economy, shocks
from model.mechanisms.delivery import give_individual
from model.mechanisms.livelihoods import add_assets, wear
from model.model import ReintegrationModel
from model.outcomes import funded_running
from model.support import Effects
from tests.model.test_household_economy import returnees, village


def pressed_world(p, **given):
    """Two debtors: household 0 has nothing to spare, household 1 a large surplus."""
    r = returnees(2, household=[0, 1], debt=[2000.0, 2000.0], **given)
    w = village(r, 2, size=[1.0, 1.0])
    w.households.resources[:] = [0.0, 10_000.0]
    return r, w


def test_a_debtor_in_long_arrears_loses_savings_and_assets_and_the_debt_stops_growing(p):
    """While the creditor waits, the unpaid debt grows by its interest and the business is
    kept; once the debtor has paid less than the interest for ``creditor_patience_months``,
    the creditor takes the savings and the business assets (at what a closed business's
    assets fetch) and charges no more interest: the rest stays, pressed for, but no longer
    grows. A debtor who pays keeps their business."""
    r, w = pressed_world(p, business_asset=[300.0, 300.0], savings=[50.0, 50.0])
    for _ in range(int(p.creditor_patience_months)):
        before = r.debt[0]
        debt.press(w, p)
        assert r.debt[0] == pytest.approx(before * (1 + p.debt_interest_rate))
        assert r.business_asset[0] == 300.0 and r.savings[0] == 50.0
    owed = r.debt[0]
    debt.press(w, p)
    assert r.savings[0] == 0.0 and r.business_asset[0] == 0.0
    assert r.debt[0] == pytest.approx(owed - 50.0 - p.business_salvage * 300.0)
    rescheduled = r.debt[0]
    for _ in range(12):
        debt.press(w, p)
        assert r.debt[0] == pytest.approx(rescheduled) and r.pressure[0] == 1.0
    assert r.business_asset[1] == 300.0 and r.savings[1] == 50.0 and r.arrears[1] == 0


def test_a_creditor_takes_no_more_than_is_owed(p):
    """A small debt in long arrears is settled from savings, and the business is kept."""
    r, w = pressed_world(p, business_asset=[300.0, 300.0], savings=[5000.0, 0.0])
    r.arrears[:] = int(p.creditor_patience_months)
    debt.press(w, p)
    assert r.debt[0] == 0.0 and r.savings[0] == pytest.approx(3000.0)
    assert r.business_asset[0] == 300.0


def test_a_rescheduled_debtor_who_pays_the_interest_again_is_charged_it_again(p):
    """Rescheduling is not forgiveness: once the household can pay the interest due again,
    it is back in good standing and the loan's interest runs from the next month."""
    r, w = pressed_world(p)
    r.arrears[:] = int(p.creditor_patience_months)
    w.households.resources[0] = 10_000.0
    debt.press(w, p)  # rescheduled this month, paid in full
    assert r.arrears[0] == 0
    r.debt[0] = 2000.0
    w.households.resources[0] = 0.0
    debt.press(w, p)
    assert r.debt[0] == pytest.approx(2000.0 * (1 + p.debt_interest_rate))


def test_no_unpaid_debt_compounds_for_ever_in_forced_debt(monkeypatch):
    """In ``forced_debt`` with no programme, after four years no returnee who has been unable
    to pay the interest for longer than the creditors' patience is still charged it: what
    they owe does not grow at the creditors' step (a new shock may still add a loan)."""
    m = ReintegrationModel("forced_debt", strategy="none", rng=3, create_agents=False)
    for _ in range(47):
        m.step()
    seen, creditors = {}, debt.press

    def press(world, p, need=None):
        r = world.returnees
        seen["before"], seen["arrears"] = r.debt.copy(), r.arrears.copy()
        return creditors(world, p, need)

    monkeypatch.setattr("model.model.debt.press", press)
    m.step()
    r = m.world.returnees
    long = r.arrived & (seen["arrears"] > m.p.creditor_patience_months) & (seen["before"] > 0)
    assert long.sum() > 10
    assert (r.debt[long] <= seen["before"][long]).all()


def test_a_household_in_long_arrears_cannot_borrow_for_a_shock_and_goes_without(p):
    """Three households alike, each hit by a shock it has no savings or cash for. Where a
    returnee is in long arrears, the household borrows nothing, its other returnee included:
    the cost comes out of what it lives on and its need goes unmet that month. Where the
    debtor is not yet in long arrears, or owes nothing, the shock is borrowed and the need
    met (before, every household borrowed, whatever its arrears)."""
    p.household_shock_rate, p.community_shock_rate = 1.0, 0.0
    patience = int(p.creditor_patience_months)
    r = returnees(
        4,
        household=[0, 0, 1, 2],
        debt=[2000.0, 0.0, 2000.0, 0.0],
        arrears=[patience, 0, patience - 1, 0],
    )
    w = village(r, 3, size=[3.0, 3.0, 2.0], means=[2.0, 1.5, 2.0])
    shocks.strike(w, p, np.random.default_rng(0))
    cost = p.household_shock_months * p.monthly_need_usd
    assert r.debt.tolist() == [2000.0, 0.0, 2000.0 + cost, cost]
    assert r.unfunded.tolist() == [cost, cost, 0.0, 0.0]
    household_economy.pool(w, p)
    met = w.households.income >= household_economy.NEEDS_MET
    assert met.tolist() == [False, True, True]
    assert r.income[0] < r.income[2]


def test_lenders_lend_again_once_the_household_pays(p):
    """Refusal lasts as long as the arrears: a debtor who pays the interest due again (its
    arrears back to 0) can borrow for the next shock."""
    r, w = pressed_world(p)
    r.arrears[:] = int(p.creditor_patience_months)
    assert debt.refused_credit(w, p).tolist() == [True, True]
    w.households.resources[:] = [10_000.0, 0.0]  # household 0 pays again, 1 does not
    debt.press(w, p)
    assert debt.refused_credit(w, p).tolist() == [False, True]


def test_no_household_in_long_arrears_borrows_for_a_shock_in_forced_debt(monkeypatch):
    """In ``forced_debt`` with no programme, over four years, shocks hit households in long
    arrears and none of them adds to its debt: what it could not pay goes unfunded."""
    m = ReintegrationModel("forced_debt", strategy="none", rng=3, create_agents=False)
    refused_hits, borrowed, creditors = [], [], shocks.pay

    def pay(r, cost, refused):
        before = r.debt.copy()
        creditors(r, cost, refused)
        hit = (cost > 0) & refused
        refused_hits.append(int(hit.sum()))
        borrowed.append(float((r.debt - before)[hit].sum()))

    monkeypatch.setattr("model.mechanisms.shocks.pay", pay)
    for _ in range(48):
        m.step()
    assert sum(refused_hits) > 0
    assert sum(borrowed) == 0.0


def test_a_business_its_creditor_takes_no_longer_counts_as_running(p):
    """What a monitoring visit finds (``share_funded_running``): of the returnees the programme
    gave tools and stock, those whose business still holds what own-account work needs. The
    debtor who cannot pay loses the business to the creditor and stops counting as running;
    the one who pays keeps it; a returnee who only ever had their own business is not asked."""
    r = returnees(3, household=[0, 1, 1], debt=[2000.0, 2000.0, 0.0])
    w = village(r, 2, size=[1.0, 1.0])
    w.households.resources[:] = [0.0, 10_000.0]
    r.business_asset[2] = 500.0  # their own, never funded
    give_individual(r, np.arange(2), Effects(business_asset_usd=800.0))
    assert funded_running(r, p) == 1.0
    for _ in range(int(p.creditor_patience_months) + 1):
        debt.press(w, p)
    assert r.business_asset[0] == 0.0 and r.business_asset[1] >= p.own_account_start_usd
    assert funded_running(r, p) == 0.5
    assert np.isnan(funded_running(returnees(1), p))


def test_a_seized_business_has_nothing_left_not_minus_a_rounding_error(p):
    """Assets taken whole leave exactly 0 (a - (a x v) / v can be -1e-13 in floating point),
    so no stock has a negative value or age, and the wear of a stock stays a number at any
    shape of the assets' lifetimes (a negative age to a power of 1.5 is NaN)."""
    r = returnees(1, household=[0], debt=[5000.0], business_asset=[100.21])
    assert r.business_asset[0] - (r.business_asset[0] * p.business_salvage) / p.business_salvage < 0
    w = village(r, 1, size=[1.0])
    r.arrears[:] = int(p.creditor_patience_months)
    debt.seize(r, p)
    assert r.business_asset[0] == 0.0
    add_assets(r, np.array([300.0]))
    p.asset_wear_shape = 1.5
    assert r.asset_age[0] == 0.0 and np.isfinite(wear(r.asset_age, p)).all()
    assert w.returnees is r
