"""Services: health, education, housing and psychosocial care, congested by many arrivals.

A community's services serve its residents; each arrived returnee needs them more than a
resident (``returnee_service_use``), so many arrivals at once stretch them for everyone.
Structural support raises capacity everywhere. A referral raises a returnee's access only
in proportion to what exists to refer to: where there are no services, it does nothing.
"""

import numpy as np

from agents.state import Communities, Structure, World
from model.parameters import Parameters


def community_access(c: Communities, structure: Structure, p: Parameters) -> np.ndarray:
    """Share of demand for basic services each community can meet (0-1)."""
    capacity = c.service_capacity * (1 + p.structural_service_gain * structure.strength["service"])
    demand = c.residents + p.returnee_service_use * c.arrived_returnees
    return np.minimum(1.0, capacity * c.residents / demand)


def individual_access(
    community_access_: np.ndarray, referred: np.ndarray, case_active: np.ndarray, p: Parameters
) -> np.ndarray:
    """A returnee's access: the community's, raised by a referral and by follow-up."""
    boost = 1 + p.referral_gain * (referred | case_active)
    return np.minimum(1.0, community_access_ * boost)


def psych_access(access: np.ndarray, structure: Structure, p: Parameters) -> np.ndarray:
    """Share of a returnee's psychosocial need that services meet."""
    capacity = p.psych_service_capacity * (
        1 + p.structural_service_gain * structure.strength["service"]
    )
    return np.minimum(1.0, capacity * access)


def serve(world: World, p: Parameters) -> None:
    c, r = world.communities, world.returnees
    c.service_access = community_access(c, world.structure, p)
    r.service_access = individual_access(
        c.service_access[r.community], r.referred, r.case_left > 0, p
    )
