"""Psychosocial well-being: distress from the journey and the return, and its care.

Each person has a lasting level of distress of their own (``Returnees.distress_level``,
drawn once): depressive symptoms are for about half their variance a stable trait in panels
over one to ten years (trait-state-occasion models: Prenoveau et al. 2011; SHARE's EURO-D),
so what the journey, the return and stigma add eases back to that level, not to none, and
people keep their differences after a shock has passed. Distress eases slowly on its own,
faster with counselling and with psychosocial services reached (a case worker helps here
only through that access, :mod:`model.mechanisms.services`); stigma adds to it. Distress
gates economic progress (see :func:`model.mechanisms.livelihoods.gate`): vulnerable returnees
make little economic headway until their psychosocial needs are met.

The psychosocial score follows the Reintegration Sustainability Survey's structure: separate
0-1 indicators (1 is best), each from its own state, so that no state counts twice across
dimensions (the economic score no longer enters it; stigma enters only here).
"""

import numpy as np

from agents.state import World
from model.mechanisms import approach
from model.mechanisms.services import psych_access
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "returnees.arrived", "returnees.community", "returnees.counselling_left", "returnees.distress",
    "returnees.distress_level", "returnees.service_access", "returnees.stigma",
    "structure.strength",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.counselling_left", "returnees.distress",
)  # fmt: skip


def heal(world: World, p: Parameters) -> None:
    """One month of distress: what the journey, the return and stigma added to the person's
    own lasting level (``Returnees.distress_level``) eases back to it, faster with care, and
    stigma adds more; a month of counselling used up."""
    r = world.returnees
    counselling = r.counselling_left > 0
    care = p.counselling_effect * counselling + p.psych_service_effect * psych_access(
        r.service_access, world.structure, p, r.community
    )
    relief = (p.natural_recovery + care).clip(0, 1)
    eased = approach(r.distress, r.distress_level, relief)
    worry = p.stigma_distress * r.stigma * (1 - r.distress)
    arrived = r.arrived
    r.distress = np.where(arrived, (eased + worry).clip(0, 1), r.distress)
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
