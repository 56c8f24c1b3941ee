"""Stigma and acceptance, spreading over the ties between households.

Each household has a disposition towards returnees (its own view, slow to change) and an
acceptance (its view after its neighbours' influence). Influence is a complex contagion: a
household moves towards its neighbours' view, amplified when most of them agree, so
acceptance and hostility spread through clustered village ties rather than long ones.
Joint work under equal status (contact), dialogue fora and returnees' visible contributions
raise dispositions; resentment lowers them. A returnee's stigma is the hostility of their
household's neighbourhood, made heavier by coming back empty-handed or deported, and
lighter as they visibly make a living.
"""

import numpy as np
import scipy.sparse as sp

from agents.state import Households, Returnees, World
from model.mechanisms import approach, community_mean
from model.parameters import Parameters


def contagion(neighbour_view: np.ndarray, exponent: float) -> np.ndarray:
    """Majority-amplified pull of the neighbours' view (exponent 1 = simple averaging)."""
    a, b = neighbour_view**exponent, (1 - neighbour_view) ** exponent
    return np.divide(a, a + b, out=neighbour_view.copy(), where=(a + b) > 0)


def influence(h: Households, ties: sp.csr_matrix, p: Parameters) -> np.ndarray:
    """Acceptance each household drifts to: its disposition mixed with its neighbours' pull."""
    pull = contagion(ties @ h.acceptance, p.contagion_exponent)
    return (1 - p.social_influence) * h.disposition + p.social_influence * pull


def change_dispositions(world: World, p: Parameters) -> None:
    """Contact, dialogue and contributions win households over; resentment turns them."""
    h, c, r = world.households, world.communities, world.returnees
    contribution = np.nan_to_num(community_mean(r.economic, r.community, c.n, r.arrived))
    k = h.community
    up = (
        p.contact_gain * c.contact[k]
        + p.dialogue_gain * c.dialogue[k]
        + p.contribution_gain * contribution[k] * (c.arrived_returnees[k] > 0)
    )
    down = p.resentment_acceptance_loss * c.resentment[k]
    h.disposition = np.clip(h.disposition + up * (1 - h.disposition) - down * h.disposition, 0, 1)


def returnee_stigma(
    neighbourhood_acceptance: np.ndarray, r: Returnees, p: Parameters
) -> np.ndarray:
    """Stigma a returnee meets: neighbourhood hostility, heavier for visible 'failure'."""
    failure = p.stigma_empty_handed * r.empty_handed + p.stigma_forced * r.forced
    making_a_living = np.nan_to_num(r.economic)
    return np.clip((1 - neighbourhood_acceptance) * (1 + failure * (1 - making_a_living)), 0, 1)


def neighbourhood_acceptance(world: World, p: Parameters) -> np.ndarray:
    """Per returnee: acceptance of their family and of the households around it."""
    h = world.households
    w = p.neighbourhood_weight
    around = (1 - w) * h.acceptance + w * (world.ties @ h.acceptance)
    return around[world.returnees.household]


def spread(world: World, p: Parameters) -> None:
    """One month of attitude change, and the stigma each returnee meets."""
    h, r, c = world.households, world.returnees, world.communities
    change_dispositions(world, p)
    h.acceptance = np.clip(
        approach(h.acceptance, influence(h, world.ties, p), p.acceptance_rate), 0, 1
    )
    r.acceptance = neighbourhood_acceptance(world, p)
    r.stigma = np.where(r.arrived, returnee_stigma(r.acceptance, r, p), 0.0)
    c.stigma = np.nan_to_num(community_mean(r.stigma, r.community, c.n, r.arrived), nan=0.0)


def social_indicators(world: World, p: Parameters) -> dict[str, np.ndarray]:
    """The social indicators (0-1, 1 is best), in the Reintegration Sustainability Survey's
    structure, each from its own state: housing (the family's means), services (health and
    education access), documents (in order on return, or put in order through a case
    worker's links), safety (the context's insecurity), the family's acceptance and the
    neighbours' (networks and participation). Women fall short on housing, documents and
    safety (IOM) by ``female_indicator_gap`` of each; stigma is not here: it is the
    psychosocial dimension's discrimination felt."""
    r, h = world.returnees, world.households
    women = 1 - p.female_indicator_gap * r.female
    on_return = p.documents_on_return * women
    return {
        "housing": h.income[r.household] * women,
        "services": r.service_access,
        "documents": on_return + (1 - on_return) * r.links,
        "safety": (1 - p.insecurity) * women,
        "family": h.acceptance[r.household],
        "networks": (world.ties @ h.acceptance)[r.household],
    }
