"""Re-migration: the wish to leave, out of necessity or by choice, and leaving.

Necessity comes from the drivers of migration, not from the reintegration scores (which
would make "those below the thresholds feel necessity" true by definition): need left unmet
this month, debt to those who financed the journey and their pressing for it, the context's
insecurity and household shocks. Choice is opportunity: ties abroad, youth and a long first
stay (MAFE, Senegal).

People do leave: each month a present returnee leaves with a hazard that grows with each
intention (two competing risks, so each leaver has one reason). MAFE found 17% of Senegalese
first returnees abroad again at the survey: a stock after an unknown time since return, not
a rate, so the hazards are assumed and sized to give that order over a few years. Leavers
leave the community's tables (they are no longer "arrived": no job, no services, no
neighbours' view, their household counts one returnee less) and are counted by reason.
Leaving by choice is not failure; leaving out of necessity is: such a leaver is no longer
sustainably reintegrated, while one who left by choice keeps the status they left with.
"""

import numpy as np

from agents.state import Returnees, World
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.returnees", "returnees.arrived", "returnees.choice", "returnees.composite",
    "returnees.economic", "returnees.employed", "returnees.household", "returnees.left",
    "returnees.left_necessity", "returnees.necessity", "returnees.psychosocial",
    "returnees.social", "returnees.sustainable",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "households.returnees", "returnees.arrived", "returnees.choice", "returnees.composite",
    "returnees.economic", "returnees.employed", "returnees.left", "returnees.left_necessity",
    "returnees.necessity", "returnees.psychosocial", "returnees.social", "returnees.sustainable",
)  # fmt: skip

#: States that describe a present returnee, undefined once they have left.
PRESENT_STATES = ("economic", "social", "psychosocial", "composite", "necessity", "choice")


def necessity_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    """Necessity the drivers support (0-1): unmet need, debt, creditors pressing, insecurity,
    shocks."""
    need = p.monthly_need_usd
    unmet = 1.0 - np.minimum(1.0, r.income / need)
    debt = np.minimum(1.0, r.debt / (p.heavy_debt_months * need))
    return np.clip(
        p.necessity_weight_income * unmet
        + p.necessity_weight_debt * debt
        + p.necessity_weight_creditors * r.pressure
        + p.necessity_weight_insecurity * p.insecurity
        + p.necessity_weight_shock * r.shock,
        0,
        1,
    )


def choice_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    return np.clip(
        p.choice_weight_diaspora * r.diaspora_ties
        + p.choice_weight_youth * (r.age < p.youth_age)
        + p.choice_weight_abroad * np.minimum(1.0, r.months_abroad / p.abroad_saturation_months),
        0,
        1,
    )


def leave(world: World, p: Parameters, rng: np.random.Generator) -> np.ndarray:
    """This month's leavers (indices): they leave the community's tables, counted by reason.

    One uniform draw per returnee every month, whoever is present, keeps runs of different
    strategies on common random numbers.
    """
    r, h = world.returnees, world.households
    draw = rng.random(r.n)
    out_of_necessity = p.remigration_hazard_necessity * np.nan_to_num(r.necessity)
    by_choice = p.remigration_hazard_choice * np.nan_to_num(r.choice)
    necessity = r.arrived & (draw < out_of_necessity)
    gone = r.arrived & (draw < out_of_necessity + by_choice)
    idx = np.flatnonzero(gone)
    r.arrived[idx] = False
    r.left[idx] = True
    r.left_necessity[necessity] = True
    r.sustainable[necessity] = False
    r.employed[idx] = False
    for name in PRESENT_STATES:
        getattr(r, name)[idx] = np.nan
    np.subtract.at(h.returnees, r.household[idx], 1)
    return idx
