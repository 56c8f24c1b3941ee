"""Services: health, education, housing and psychosocial care, congested by many arrivals.

A community's services serve its residents; each present returnee needs them more than a
resident (``returnee_service_use``), so many arrivals at once stretch them for everyone.
Structural support raises capacity everywhere.

A referral, or a case worker while active, does not create services: it puts a share
(``referral_priority``) of the returnee's needs at the front of the same queue. What they take
first is not there for the others, so where capacity is short and many are referred, the
community's (non-migrants') access falls; where there are no services, a referral gets
nothing (IOM Knowledge Bite 2: referral alone goes with lower scores than direct assistance).
A case worker also leaves something behind: the plans, documents and links made while the
case ran (``links``) keep part of that priority after it ends.
"""

import numpy as np

from agents.state import Communities, Returnees, Structure, World, felt
from model.mechanisms import approach, per_community
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.arrived_returnees", "communities.residents", "communities.service_access",
    "communities.service_capacity", "returnees.arrived", "returnees.case_left",
    "returnees.community", "returnees.links", "returnees.referred", "structure.strength",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.service_access", "returnees.case_left", "returnees.links",
    "returnees.service_access",
)  # fmt: skip


def capacity(c: Communities, structure: Structure, p: Parameters) -> np.ndarray:
    """Service capacity of each community, in residents' needs it can meet."""
    strength = 1 + p.structural_service_gain * felt(structure, "service")
    return c.service_capacity * strength * c.residents


def community_access(
    c: Communities, structure: Structure, p: Parameters, first: np.ndarray | float = 0.0
) -> np.ndarray:
    """Share of the queue's demand each community can meet (0-1) once the ``first`` needs
    (priority demand, in residents' needs) have been served."""
    cap = capacity(c, structure, p)
    demand = c.residents + p.returnee_service_use * c.arrived_returnees
    left = np.maximum(0.0, cap - first)
    rest = np.maximum(demand - first, 0.0)
    return np.divide(left, rest, out=np.ones(c.n), where=rest > 0).clip(0, 1)


def priority_access(
    c: Communities, structure: Structure, p: Parameters, first: np.ndarray
) -> np.ndarray:
    """Share of the priority demand met: all of it where services suffice, none where none."""
    cap = capacity(c, structure, p)
    return np.divide(cap, first, out=np.ones(c.n), where=first > 0).clip(0, 1)


def priority(r: Returnees, p: Parameters) -> np.ndarray:
    """Share of a present returnee's service needs served first: a referral or an active case
    worker puts ``referral_priority`` of them first; once the case ends, the links it made
    keep their part."""
    linked = np.maximum((r.referred | (r.case_left > 0)).astype(float), r.links)
    return p.referral_priority * linked * r.arrived


def link(r: Returnees, p: Parameters) -> None:
    """While a case worker is active, plans, documents and links to services accumulate."""
    active = r.arrived & (r.case_left > 0)
    r.links = np.where(active, approach(r.links, np.ones(r.n), p.link_rate), r.links)


def psych_access(
    access: np.ndarray, structure: Structure, p: Parameters, community: np.ndarray | None = None
) -> np.ndarray:
    """Share of a returnee's psychosocial need that services meet (``community``: each
    returnee's, for a batch of worlds)."""
    reach = p.psych_service_capacity * (
        1 + p.structural_service_gain * felt(structure, "service", community)
    )
    return np.minimum(1.0, reach * access)


def serve(world: World, p: Parameters) -> None:
    """Priority needs are served first, everyone else (non-migrants included) shares the rest;
    a month of each active case worker's time is used up."""
    c, r = world.communities, world.returnees
    link(r, p)
    share = priority(r, p)
    first = per_community(share * p.returnee_service_use, r.community, c.n)
    c.service_access = community_access(c, world.structure, p, first)
    ahead = priority_access(c, world.structure, p, first)
    k = r.community
    r.service_access = np.where(
        r.arrived, share * ahead[k] + (1 - share) * c.service_access[k], 0.0
    )
    r.case_left = np.maximum(0, r.case_left - r.arrived)  # a month of the case worker used
