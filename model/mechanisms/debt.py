"""Debt: what returnees owe for the journey grows at informal rates, creditors press, and
creditors who cannot be paid take what there is and stop charging on the rest.

Journeys are financed by loans from family, community and moneylenders, who expect them
back (003 s.2). Each month the debt carries interest (``debt_interest_rate``: moneylenders'
rates weighted by the share of borrowing from them), and creditors ask for the interest and a
part of the principal (``1 / debt_term_months``). The household pays what its surplus allows
(``debt_repayment_share`` of it, shared among its indebted returnees by what they owe); what
goes unpaid is the creditors' *pressure* (0-1), which wears on well-being
(``creditor_distress``) and pushes to leave again (the necessity weight in
:mod:`model.mechanisms.remigration`). Debt relief paid to creditors (a package) lowers the
debt directly.

Informal debt does not compound for ever (Collins et al. 2009, *Portfolios of the Poor*:
informal loans are short, flexible and carry no compound interest). A debtor who has paid
less than the interest due (at the loan's rate) for ``creditor_patience_months`` in a row is
in long arrears (:func:`seize`): the creditor takes their savings, then their business assets
(tools, stock, animals), which count for what a closed business's assets fetch
(``business_salvage`` of their worth), towards the debt, and reschedules the rest: no more
interest, only the principal's instalment asked. So the debt of those who cannot pay stops
growing, what remains still presses on them (the instalment goes unpaid), and a debtor who
pays the interest due again is back in good standing, charged interest from the next month.
While a household has a debtor in long arrears, lenders lend it nothing more
(:func:`refused_credit`): a shock it cannot pay from savings or cash goes unmet
(:mod:`model.mechanisms.shocks`). Informal lenders ration credit by what they know of a
household's debts and its record of paying them (Zeller 1994, Madagascar; Ghosh, Mookherjee &
Ray 2000: repeat lending held up by the threat of no further loans).
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import homes, on_homes, per_home
from model.mechanisms.household_economy import surplus
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.resources", "returnees.arrears",
    "returnees.arrived", "returnees.business_asset", "returnees.debt", "returnees.distress",
    "returnees.household", "returnees.pressure", "returnees.savings", "world.products",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.arrears", "returnees.business_asset", "returnees.debt", "returnees.distress",
    "returnees.pressure", "returnees.savings",
)  # fmt: skip


def repayment_capacity(world: World, household_surplus: np.ndarray, p: Parameters):
    """USD each indebted returnee's household can pay their creditors this month: its
    repayment share of the surplus, split by what each of its returnees owes."""
    r, where = world.returnees, homes(world)
    owed = r.debt * r.arrived
    total = per_home(where, owed)[where[1]]
    share = np.divide(owed, total, out=np.zeros(r.n), where=owed > 0)
    return p.debt_repayment_share * household_surplus[r.household] * share


def in_long_arrears(r: Returnees, p: Parameters) -> np.ndarray:
    """Who has paid less than the interest due for ``creditor_patience_months`` in a row and
    still owes."""
    return r.arrived & (r.debt > 0) & (r.arrears >= p.creditor_patience_months)


def refused_credit(world: World, p: Parameters) -> np.ndarray:
    """Returnees whose household has a debtor in long arrears: lenders, who know the
    household, lend it nothing more until it pays again."""
    where = homes(world)
    defaulted = per_home(where, in_long_arrears(world.returnees, p))
    return defaulted[where[1]] > 0


def seize(r: Returnees, p: Parameters) -> np.ndarray:
    """Creditors of debtors in long arrears take their savings, then their business assets
    at what a closed business's assets fetch, towards what they owe. Returns who is in long
    arrears (their debt rescheduled: no interest this month)."""
    long = in_long_arrears(r, p)
    from_savings = np.where(long, np.minimum(r.savings, r.debt), 0.0)
    r.savings -= from_savings
    r.debt -= from_savings
    value = p.business_salvage
    from_assets = np.where(long, np.minimum(r.business_asset * value, r.debt), 0.0)
    taken = np.divide(from_assets, value, out=np.zeros(r.n), where=value > 0)
    r.business_asset = np.maximum(0.0, r.business_asset - taken)  # never -1e-13 of rounding
    r.debt -= from_assets
    return long


def press(world: World, p: Parameters, need: np.ndarray | None = None) -> np.ndarray:
    """Creditors of debtors in long arrears seize and reschedule, interest accrues on the
    rest, creditors ask, the household pays what it can (out of its surplus over ``need``,
    :func:`model.mechanisms.household_economy.month_need`); arrears, pressure and the
    distress it causes. Returns the USD each household paid its creditors."""
    r = world.returnees
    rescheduled = seize(r, p)
    here = r.arrived & (r.debt > 0)
    due = np.where(here, p.debt_interest_rate * r.debt, 0.0)
    interest = np.where(rescheduled, 0.0, due)
    asked = interest + np.where(here, r.debt / p.debt_term_months, 0.0)
    paid = np.minimum(asked, repayment_capacity(world, surplus(world, p, need), p))
    r.debt = np.maximum(0.0, r.debt + interest - paid)
    r.pressure = np.divide(asked - paid, asked, out=np.zeros(r.n), where=asked > 0)
    r.arrears = np.where(here & (paid < due), r.arrears + 1, 0)
    worry = p.creditor_distress * r.pressure * (1 - r.distress)
    r.distress = np.where(r.arrived, (r.distress + worry).clip(0, 1), r.distress)
    where = homes(world)
    return on_homes(where, per_home(where, paid), world.households.n)
