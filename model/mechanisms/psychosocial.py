"""Psychosocial well-being: distress from the journey and the return, and its care.

Distress eases slowly on its own, faster with counselling and with psychosocial services
reached (a case worker helps here only through that access, :mod:`model.mechanisms.services`);
stigma adds to it, and so does financial strain: the share of its need the household goes
without this month (:func:`shortfall`). Poverty causes depression and anxiety, through the
worry and stress of not making ends meet among other channels, and relief from it eases them
(Ridley, Rao, Schilbach & Patel 2020, Science; Haushofer & Fehr 2014, Science). Distress is
a stock, so strain builds it up over months and its relief (a need met again) lets it ease
only at the pace of recovery: the lag between a household's finances and its members' minds.
Distress gates economic progress (see :func:`model.mechanisms.livelihoods.gate`): vulnerable
returnees make little economic headway until their psychosocial needs are met.

The psychosocial score follows the Reintegration Sustainability Survey's structure: separate
0-1 indicators (1 is best), each from its own state, so that no state counts twice across
dimensions (the economic score no longer enters it; stigma enters only here).
"""

import numpy as np

from agents.state import World
from model.mechanisms.services import psych_access
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.income", "returnees.arrived", "returnees.community", "returnees.counselling_left",
    "returnees.distress", "returnees.household", "returnees.service_access", "returnees.stigma",
    "structure.strength",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.counselling_left", "returnees.distress",
)  # fmt: skip


def shortfall(world: World) -> np.ndarray:
    """Share of its need each returnee's household goes without this month (0-1): 1 minus
    the share met that :func:`model.mechanisms.household_economy.pool` worked out."""
    return 1.0 - world.households.income[world.returnees.household]


def heal(world: World, p: Parameters) -> None:
    """One month of distress easing with care and rising with stigma and with the household's
    unmet need (``strain_distress`` at none of it met); a month of counselling used up."""
    r = world.returnees
    counselling = r.counselling_left > 0
    care = p.counselling_effect * counselling + p.psych_service_effect * psych_access(
        r.service_access, world.structure, p, r.community
    )
    relief = (p.natural_recovery + care).clip(0, 1)
    strain = p.stigma_distress * r.stigma + p.strain_distress * shortfall(world)
    worry = strain * (1 - r.distress)
    arrived = r.arrived
    r.distress = np.where(arrived, (r.distress * (1 - relief) + worry).clip(0, 1), r.distress)
    r.counselling_left = np.maximum(0, r.counselling_left - arrived)


def psychosocial_indicators(world: World, p: Parameters) -> dict[str, np.ndarray]:
    """The psychosocial indicators (0-1, 1 is best): discrimination felt (stigma), distress,
    sense of belonging (the community's cohesion), wish to leave (necessity, this month's)."""
    r, c = world.returnees, world.communities
    return {
        "discrimination": 1 - r.stigma,
        "distress": 1 - r.distress,
        "belonging": c.cohesion[r.community],
        "wish_to_leave": 1 - r.necessity,
    }
