"""Re-migration: the wish to leave, out of necessity or by choice, and acting on it.

Both intentions are states that move month by month (:func:`model.mechanisms.scoring.assess`
moves them a share ``remigration_rate`` of the way towards what this month's conditions
support), so a bad month raises them a little and a run of bad months a lot, and they ease
as things improve.

Necessity comes from the drivers of migration, not from the reintegration scores (which
would make "those below the thresholds feel necessity" true by definition): need left unmet
this month (the household's, pooled: a business failing or a job lost shows here), felt
against what the returnee is used to: a fresh shortfall pushes in full, one lived with for
years keeps only ``1 - need_adaptation`` of its push, as the impact of income on well-being
fades over four years (Di Tella et al. 2010); the share of need a returnee is used to meeting
(``usual_need_met``) starts at what their household lives on without them and follows the
need met since, no higher than that home level (:func:`adapt`). Then debt to
those who financed the journey and their pressing for it, the context's insecurity and
household shocks; savings to fall back on ease it. A child's need is the household's too: a
child who does not earn is not short of need because of it.

Choice is opportunity and the means to take it (aspiration and ability): ties abroad, youth
and a long first stay (MAFE, Senegal), and savings and earnings above need after return (a
thriving business, a good job). Ties abroad fade with the years spent home, without the
contact of living there (``ties_abroad_half_life_months``), so the pull of choice eases for
those who stay. Those with means and prospects can make further migration "a
matter of choice, rather than necessity" (003): choice rises as they do, so it differs by
context and changes after return.

People act on an intention at a rate sized from a panel that followed stated intentions to
behaviour (van Dalen & Henkens 2013: 34% of those intending to emigrate did so within five
years, ``intention_act_rate`` a month). A returnee who intends to leave out of necessity leaves
for that reason; one who intends to leave by choice only, by choice. Leavers leave the
community's tables (they are no longer "arrived": no job, no services, no neighbours' view,
their household counts one returnee less) and are counted by reason, month by month. Leaving
by choice is not failure; leaving out of necessity is: such a leaver is no longer sustainably
reintegrated, while one who left by choice keeps the status they left with.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import Random, approach, by_months, uniform
from model.mechanisms.household_economy import month_need
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.income", "households.members_usd", "households.returnees",
    "returnees.arrived", "returnees.choice",
    "returnees.composite", "returnees.economic", "returnees.employed", "returnees.household",
    "returnees.in_school", "returnees.income", "returnees.left", "returnees.left_necessity",
    "returnees.minor", "returnees.necessity", "returnees.psychosocial", "returnees.social",
    "returnees.sustainable", "returnees.usual_need_met",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "households.returnees", "returnees.arrived", "returnees.choice", "returnees.composite",
    "returnees.economic", "returnees.employed", "returnees.left", "returnees.left_necessity",
    "returnees.necessity", "returnees.psychosocial", "returnees.social", "returnees.sustainable",
    "returnees.usual_need_met", "world.departures",
)  # fmt: skip

#: States that describe a present returnee, undefined once they have left.
PRESENT_STATES = (
    "economic", "social", "psychosocial", "composite", "necessity", "choice", "usual_need_met",
)  # fmt: skip


def need_met(world: World, p: Parameters) -> np.ndarray:
    """Share of this month's need met (0-1): an adult's from what they live on (their share of
    the household's pooled resources, :mod:`model.mechanisms.household_economy`), a child's
    (under 18, not a job seeker) from the household's share of need met."""
    r, h = world.returnees, world.households
    own = np.minimum(1.0, r.income / p.monthly_need_usd)
    return np.where(r.minor, h.income[r.household], own)


def adapt(world: World, p: Parameters, need: np.ndarray | None = None) -> None:
    """Present returnees get used to the share of need they meet, as far as their home meets
    it by its own means: the usual level closes half its gap to the need met, but no higher
    than what the household lives on without them (its members' own means against its need),
    every ``need_adaptation_half_life_months``, and a newcomer's starts there. What savings,
    a transfer or a returnee's earnings add on top is relief, not the level one takes as
    one's lot, so a transfer spent leaves no fresh shortfall behind (own transfers' effects
    on well-being fade, HRS, not turn negative). The members' means are this month's as the
    household pooled them (``members_usd``), not worked out a second time, and so is their
    need (``need``, :func:`model.mechanisms.household_economy.month_need`)."""
    r = world.returnees
    met = need_met(world, p)
    rate = 1.0 - 0.5 ** (1.0 / p.need_adaptation_half_life_months)
    own, whole = world.households.members_usd, month_need(world, p, need)
    home = np.minimum(1.0, own[r.household] / whole[r.household])  # the returnees' homes only
    start = np.isnan(r.usual_need_met)
    settled = np.minimum(met, home)
    moved = np.where(start, home, approach(r.usual_need_met, settled, rate))
    r.usual_need_met = np.where(r.arrived, moved, r.usual_need_met)


def felt_shortfall(world: World, p: Parameters) -> np.ndarray:
    """Need left unmet this month as it pushes to leave (0-1): the shortfall, less the part
    of it the returnee has got used to (``need_adaptation`` of their usual shortfall)."""
    usual_shortfall = 1.0 - world.returnees.usual_need_met
    return (1.0 - need_met(world, p) - p.need_adaptation * usual_shortfall).clip(0, 1)


def means(world: World, p: Parameters) -> np.ndarray:
    """Means to leave (0-1): savings and ``journey_saving_months`` of cash earnings above
    need, against the cost of the journey. Own-use farm work (``farmed``) is not counted:
    the family eats it, and it pays for no journey."""
    r = world.returnees
    cash = r.earned - r.farmed
    surplus = p.journey_saving_months * np.maximum(0.0, cash - p.monthly_need_usd)
    return np.minimum(1.0, (r.savings + surplus) / p.migration_cost_usd)


def necessity_conditions(world: World, p: Parameters) -> np.ndarray:
    """Necessity the drivers support (0-1): unmet need as felt (:func:`felt_shortfall`),
    debt, creditors pressing, insecurity, shocks, less the cushion of savings."""
    r = world.returnees
    need = p.monthly_need_usd
    debt = np.minimum(1.0, r.debt / (p.heavy_debt_months * need))
    cushion = np.minimum(1.0, r.savings / (p.savings_cushion_months * need))
    return (
        p.necessity_weight_income * felt_shortfall(world, p)
        + p.necessity_weight_debt * debt
        + p.necessity_weight_creditors * r.pressure
        + p.necessity_weight_insecurity * p.insecurity
        + p.necessity_weight_shock * r.shock
        - p.necessity_weight_savings * cushion
    ).clip(0, 1)


def ties_abroad(world: World, p: Parameters) -> np.ndarray:
    """Ties abroad still alive: each returnee's ties at return, halved every
    ``ties_abroad_half_life_months`` spent home."""
    r = world.returnees
    home = np.maximum(0, world.month - r.arrival_month)
    return r.diaspora_ties * by_months(home, lambda m: 0.5 ** (m / p.ties_abroad_half_life_months))


def choice_conditions(world: World, p: Parameters) -> np.ndarray:
    """Choice the opportunities support (0-1): ties abroad still alive, youth, years abroad,
    and means."""
    r = world.returnees
    return (
        p.choice_weight_diaspora * ties_abroad(world, p)
        + p.choice_weight_youth * (r.age < p.youth_age)
        + p.choice_weight_abroad * np.minimum(1.0, r.months_abroad / p.abroad_saturation_months)
        + p.choice_weight_means * means(world, p)
    ).clip(0, 1)


def intends_out_of_necessity(necessity, p: Parameters):
    """Who intends to leave out of necessity: the one rule, for arrays and table columns.

    A returnee not yet arrived, or gone, has no intention (NaN), which never reaches it."""
    return necessity >= p.necessity_threshold


def intends(necessity, choice, p: Parameters) -> dict:
    """Who intends to leave, by reason: out of necessity, or else by choice (one reason each)."""
    out_of_necessity = intends_out_of_necessity(necessity, p)
    return {
        "necessity": out_of_necessity,
        "choice": ~out_of_necessity & (choice >= p.choice_threshold),
    }


def leave(world: World, p: Parameters, rng: Random) -> np.ndarray:
    """This month's leavers (indices): they leave the community's tables, counted by reason.

    One uniform draw per returnee every month, whoever is present, keeps runs of different
    strategies on common random numbers.
    """
    r, h = world.returnees, world.households
    acting = r.arrived & (uniform(rng, r) < p.intention_act_rate)
    reasons = intends(r.necessity, r.choice, p)
    necessity = acting & reasons["necessity"]
    gone = necessity | (acting & reasons["choice"])
    idx = np.flatnonzero(gone)
    r.arrived[idx] = False
    r.left[idx] = True
    r.left_necessity[necessity] = True
    r.sustainable[necessity] = False
    r.employed[idx] = False
    r.in_school[idx] = False
    for name in PRESENT_STATES:
        getattr(r, name)[idx] = np.nan
    np.subtract.at(h.returnees, r.household[idx], 1)
    world.departures = departures(r, idx)
    return idx


def departures(r: Returnees, idx: np.ndarray) -> dict[str, int]:
    """This month's leavers (``idx``, just gone) counted by reason."""
    necessity = int(r.left_necessity[idx].sum())
    return {"necessity": necessity, "choice": len(idx) - necessity}
