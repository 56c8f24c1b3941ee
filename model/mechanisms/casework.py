"""Case management: a case worker reviews each open case's reintegration plan.

A returnee who receives case management has a reintegration plan: the individual packages
the programme committed to them (IOM 2017 s.4.1: tailored support, referral and "adequate
follow-up during the first 12 months following return"). While the case is open, every
``case_review_months`` the case worker reviews it and, when the review finds a need the plan
leaves unanswered, answers it (:meth:`model.plan.Plan.redirect`): from the programme's money for
that need while there is enough (a referral within the programme), otherwise by redirecting
the returnee's support not yet delivered to it (not for debt, see :data:`MOVED_FOR`); the
first need found in this order:

- distress above ``distress_threshold`` with no counselling running, due or waiting to be
  taken up (distress gates economic progress, :func:`model.mechanisms.livelihoods.gate`, and
  keeps people from the services they are referred to);
- a referral to a partner's service not taken up (counselling, services referred to: see
  :func:`model.mechanisms.delivery.take_up`): the case worker re-refers it, offered again
  this month (:meth:`model.plan.Referrals.rerefer`; the place was paid for). Without case
  management nobody follows it up and it is lost;
- heavy debt (``heavy_debt_months`` of need or more) the creditors press for (this month's
  demands went partly unpaid) with no debt relief due;
- a business the programme funded that failed (its asset gone), with no economic support due.

Money stays within the budget: the move is booked on both packages' allocations, and what it
frees stays with the package it came from (carried to the next planning round).
"""

import numpy as np

from agents.state import World
from model.parameters import Parameters
from model.plan import IndividualDelivery, Plan
from model.support import Package

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "returnees.arrived", "returnees.business_asset", "returnees.case_left",
    "returnees.counselling_left", "returnees.debt", "returnees.distress", "returnees.pressure",
    "world.month",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = ()

#: The needs a review looks for, most pressing first, as the eligibility rules name them.
FOUND = ("distressed", "in_debt", "economic_need")
#: The needs for which a review may move other support not yet delivered. Debt is answered
#: only from the programme's own debt-relief money: turning a business grant into a payment
#: to creditors is what in-kind business support is designed to avoid, and measured it lowers
#: the year's scores (docs/evidence.md).
MOVED_FOR = ("distressed", "economic_need")


def review(world: World, plan: Plan, p: Parameters) -> None:
    """Review the open cases due a review this month; redirect where a need is unanswered."""
    every, month = p.case_review_months, world.month
    if every <= 0 or month % every:
        return
    r = world.returnees
    open_case = r.arrived & (r.case_left > 0)
    if not open_case.any():
        return
    found, room = findings(world, plan, p), plan.room()
    answer(plan, found, FOUND[:1], open_case, month, room)
    followed = plan.referrals.rerefer(open_case)
    _count(plan, "not_taken_up", int(followed.sum()))
    answer(plan, found, FOUND[1:], open_case & ~followed, month, room)


def answer(
    plan: Plan,
    found: dict[str, np.ndarray],
    needs: tuple[str, ...],
    open_case: np.ndarray,
    month: int,
    room: dict[str, float],
) -> None:
    """Answer each of ``needs`` found unanswered among the ``open_case`` returnees (one
    redirection a review: those answered are taken out of ``open_case``)."""
    for need in needs:
        target = plan.answer(need)
        if target is None:
            continue
        n = len(open_case)
        unanswered = found[need] & ~plan_answers(plan, need, month, n)
        unanswered &= ~plan.referrals.held_for(need, plan.catalogue)
        funded = room.get(target.name, 0.0) >= target.unit_cost
        moves = need in MOVED_FOR and movable(plan, need, month, n)
        cases = np.flatnonzero(open_case & unanswered & (funded | moves))
        referred = refer(plan, target, cases, month, room)
        if referred:
            _count(plan, need, referred)
        for returnee in cases[referred:]:  # the money ran out: moves, one returnee at a time
            done = plan.redirect(int(returnee), target, month, room, move=need in MOVED_FOR)
            _count(plan, need, int(done))
        open_case[cases] = False  # one redirection a review


def refer(
    plan: Plan, target: Package, cases: np.ndarray, month: int, room: dict[str, float]
) -> int:
    """The first of ``cases`` (in order) that ``target``'s own money answers while it lasts,
    as :meth:`model.plan.Plan.redirect` answers them one by one, committed as one delivery:
    how many. A move frees no money for the target, so the rest are moves."""
    referred = 0
    while referred < len(cases) and room.get(target.name, 0.0) >= target.unit_cost:
        room[target.name] -= target.unit_cost
        referred += 1
    if referred:
        due = np.full(referred, month + target.delay_months)
        cost = np.full(referred, target.unit_cost)  # assessed already
        plan.add(IndividualDelivery(target, cases[:referred], due, cost))
    return referred


def _count(plan: Plan, finding: str, actions: int) -> None:
    """Keep count of what reviews did, by finding (to check that each trigger fires)."""
    plan.reviewed[finding] = plan.reviewed.get(finding, 0) + actions


def findings(world: World, plan: Plan, p: Parameters) -> dict[str, np.ndarray]:
    """What a review finds, per need (before what the plan answers)."""
    r = world.returnees
    funded = np.zeros(r.n, dtype=bool)
    for d in plan.individual:
        if d.package.effects.business_asset_usd > 0:
            funded[d.recipients[d.month < world.month]] = True
    return {
        "distressed": (r.distress > p.distress_threshold) & (r.counselling_left == 0),
        "in_debt": (r.debt >= p.heavy_debt_months * p.monthly_need_usd) & (r.pressure > 0),
        "economic_need": funded & (r.business_asset <= 0),
    }


def movable(plan: Plan, need: str, month: int, n: int) -> np.ndarray:
    """Returnees with support still to come that a review may move to ``need`` (not case
    work, nor a package for that need)."""
    pending = np.zeros(n, dtype=bool)
    for d in plan.individual:
        if d.package.eligible != need and not d.package.effects.case_management_months:
            pending[d.recipients[d.month >= month]] = True
    return pending


def plan_answers(plan: Plan, need: str, month: int, n: int) -> np.ndarray:
    """Returnees whose plan has a package for ``need`` still to come."""
    answered = np.zeros(n, dtype=bool)
    for d in plan.individual:
        if d.package.eligible == need:
            answered[d.recipients[d.month >= month]] = True
    return answered
