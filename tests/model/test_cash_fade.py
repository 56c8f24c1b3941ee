"""What makes a cash grant's gain fade (issue 20, pattern 5): what it pays for is consumed
and gone within months, what it buys stays. Two like households, one given a grant; hand-made
rows, so the fade can be read month by month (docs/evidence.md, "Cash's fade after the
envy's units")."""

import numpy as np

from tests.model.test_household_economy import month, returnees, village


def test_a_grant_s_consumption_ends_and_what_it_bought_stays(p):
    """The grant lifts its household's resources while it is spent down, then no longer:
    after two years almost nothing of it is left to consume, and what lifts the household
    then is what the part invested in tools and stock earns; that part is still held (worn by
    depreciation, not gone)."""
    p.casual_work_rate = 0.0
    r = returnees(2, household=[0, 1], cash=[380.0, 0.0])
    w = village(r, 2, size=[3.0, 3.0], means=[0.5, 0.5])
    lift = []
    for _ in range(24):
        month(w, p)
        earned = r.earned[0] - r.earned[1]
        lift.append(w.households.resources[0] - w.households.resources[1] - earned)
    lift = np.array(lift)
    assert lift[0] > 0.1 * 380  # acts fast: a tenth of the grant or more in the first month
    assert lift[-1] < 0.01 * lift[0]  # and what it paid for is gone
    assert np.all(np.diff(lift) <= 1e-9)  # month by month, never coming back
    assert r.cash[0] < 0.01 * 380
    assert r.business_asset[0] > r.business_asset[1] + 0.1 * p.cash_invest_share * 380
