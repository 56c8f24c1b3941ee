"""Psychosocial well-being: distress from the journey and the return, and its care.

Distress eases slowly on its own, faster with counselling (more so with a case worker's
follow-up) and with psychosocial services reached; stigma adds to it. Distress gates
economic progress (see :func:`model.mechanisms.livelihoods.gate`): vulnerable returnees make
little economic headway until their psychosocial needs are met.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms.services import psych_access
from model.parameters import Parameters


def heal(world: World, p: Parameters) -> None:
    r = world.returnees
    counselling = (r.counselling_left > 0) * (1 + p.case_management_gain * (r.case_left > 0))
    care = p.counselling_effect * counselling + p.psych_service_effect * psych_access(
        r.service_access, world.structure, p
    )
    relief = np.clip(p.natural_recovery + care, 0, 1)
    worry = p.stigma_distress * r.stigma * (1 - r.distress)
    arrived = r.arrived
    r.distress = np.where(arrived, np.clip(r.distress * (1 - relief) + worry, 0, 1), r.distress)
    r.counselling_left = np.maximum(0, r.counselling_left - arrived)
    r.case_left = np.maximum(0, r.case_left - arrived)


def psychosocial_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    """The psychosocial score a returnee's situation supports (0-1)."""
    economic = np.nan_to_num(r.economic)
    return (
        (1 - r.distress)
        * (1 - p.psych_stigma_weight * r.stigma)
        * (1 - p.psych_economic_weight * (1 - economic))
    )
