"""Debt: what returnees owe for the journey grows at informal rates, and creditors press.

Journeys are financed by loans from family, community and moneylenders, who expect them
back (003 s.2). Each month the debt carries interest (``debt_interest_rate``: moneylenders'
rates weighted by the share of borrowing from them), and creditors ask for the interest and a
part of the principal (``1 / debt_term_months``). The household pays what its surplus allows
(``debt_repayment_share`` of it, shared among its indebted returnees by what they owe); what
goes unpaid is the creditors' *pressure* (0-1), which wears on well-being
(``creditor_distress``) and pushes to leave again (the necessity weight in
:mod:`model.mechanisms.remigration`). Debt relief paid to creditors (a package) lowers the
debt directly.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms.household_economy import surplus
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.resources", "households.returnees", "households.size", "returnees.arrived",
    "returnees.debt", "returnees.distress", "returnees.household", "returnees.pressure",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.debt", "returnees.distress", "returnees.pressure",
)  # fmt: skip


def repayment_capacity(r: Returnees, household_surplus: np.ndarray, p: Parameters):
    """USD each indebted returnee's household can pay their creditors this month: its
    repayment share of the surplus, split by what each of its returnees owes."""
    owed = r.debt * r.arrived
    total = np.bincount(r.household, weights=owed, minlength=len(household_surplus))
    share = np.divide(owed, total[r.household], out=np.zeros(r.n), where=owed > 0)
    return p.debt_repayment_share * household_surplus[r.household] * share


def press(world: World, p: Parameters) -> np.ndarray:
    """Interest accrues, creditors ask, the household pays what it can; pressure and the
    distress it causes. Returns the USD each household paid its creditors."""
    r = world.returnees
    here = r.arrived & (r.debt > 0)
    interest = np.where(here, p.debt_interest_rate * r.debt, 0.0)
    asked = interest + np.where(here, r.debt / p.debt_term_months, 0.0)
    paid = np.minimum(asked, repayment_capacity(r, surplus(world, p), p))
    r.debt = np.maximum(0.0, r.debt + interest - paid)
    r.pressure = np.divide(asked - paid, asked, out=np.zeros(r.n), where=asked > 0)
    worry = p.creditor_distress * r.pressure * (1 - r.distress)
    r.distress = np.where(r.arrived, np.clip(r.distress + worry, 0, 1), r.distress)
    return np.bincount(r.household, weights=paid, minlength=world.households.n)
