"""Stigma and acceptance, spreading over the ties between households.

Each household has a disposition towards returnees (its own view, slow to change) and an
acceptance (its view after its neighbours' influence). Influence is a complex contagion on
*changes* of view: a household takes on part of the change in its neighbours' view since
before the returns, damped when only a tie or two changed and amplified when most of them
did, so acceptance and hostility spread through clustered village ties rather than long
ones, and a neighbourhood whose view has not changed exerts no pull (a village with nothing
happening stays where it is). Joint work and dialogue fora change how the non-migrants taking
part treat the returnees they meet there (Mousa 2020, Scacco and Warren 2018: behaviour
towards those met in the programme changes, prejudice beyond it hardly): they raise the
dispositions of the non-migrant households taking part (whose ties feel it through
contagion), and a returnee taking part meets, besides their ties, those non-migrants. They do
not change how a returnee's own family sees them: the family is not the out-group met there,
and its disappointment (003 s.2: a failed return, a debt unpaid) is not prejudice.
Returnees visibly making a living raise their village's acceptance, and
resentment of visible aid turns part of neighbours' lost life satisfaction into hostility,
each while it lasts. A returnee's
stigma is the hostility of their household's neighbourhood, made heavier by coming back
empty-handed or deported, and lighter as they visibly make a living.
"""

import numpy as np

from agents.state import Communities, Households, Returnees, World
from model.mechanisms import (
    approach,
    community_mean,
    homes,
    nan_to_zero,
    returnee_homes,
    ties_mean,
)
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.resentment", "households.acceptance", "households.community",
    "households.contact", "households.dialogue", "households.disposition", "households.met",
    "households.usual_view", "returnees.acceptance", "returnees.arrived",
    "returnees.community", "returnees.economic", "returnees.empty_handed", "returnees.forced",
    "returnees.household", "returnees.stigma", "world.products", "world.ties",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.stigma", "households.acceptance", "households.disposition", "households.met",
    "returnees.acceptance", "returnees.stigma", "world.products",
)  # fmt: skip


def contagion(share: np.ndarray, exponent: float) -> np.ndarray:
    """Majority-amplified response to a 0-1 share (exponent 1 = proportional): little when
    few agree, much when most do (complex contagion, Centola and Macy 2007). Worked out in
    two arrays, each operation writing into one of them (the same operations on the same
    numbers as a fresh array for each, without the allocations: over every household a
    month, the allocations cost more than the arithmetic)."""
    a = share**exponent
    both = np.subtract(1.0, share)
    np.power(both, exponent, out=both)
    both += a
    defined = both > 0
    np.divide(a, both, out=a, where=defined)
    if not defined.all():
        np.copyto(a, share, where=~defined)
    return a


def pull(view: np.ndarray, usual: np.ndarray, exponent: float) -> np.ndarray:
    """Signed change of view neighbours press on a household: their view's departure from
    its usual level, as a share of the room to move that way, passed through
    :func:`contagion`. Zero when nothing changed. (In place on two new arrays, as
    :func:`contagion`.)"""
    down = ~(view >= usual)  # (not ``view < usual``: the same but for a NaN)
    room = np.subtract(1.0, usual)
    np.copyto(room, usual, where=down)  # the room to move: up to 1, or down to 0
    moved = np.subtract(view, usual)
    np.abs(moved, out=moved)
    some = room > 0
    np.divide(moved, room, out=moved, where=some)
    if not some.all():
        np.copyto(moved, 0.0, where=~some)
    np.minimum(moved, 1.0, out=moved)
    np.negative(room, out=room, where=down)
    room *= contagion(moved, exponent)
    return room


def hostility(c: Communities, p: Parameters) -> np.ndarray:
    """Acceptance lost to resentment, per community: a share of the neighbours' loss of life
    satisfaction (``resentment`` SD times ``wellbeing_sd``), so never more than that loss."""
    return p.resentment_acceptance_loss * p.wellbeing_sd * c.resentment


def contribution(world: World, p: Parameters) -> np.ndarray:
    """Acceptance won, per community, by returnees visibly making a living: in proportion to
    their mean economic score while it lasts (a level, not a build-up that never stops)."""
    r, c = world.returnees, world.communities
    doing = nan_to_zero(community_mean(r.economic, r.community, c.n, r.arrived))
    return p.contribution_gain * doing


def influence(world: World, shift: np.ndarray, p: Parameters):
    """Acceptance each household drifts to: its disposition, shifted by what returnees
    contribute less hostility from resentment, plus its share of the neighbours' change of
    view. (A new array, the same numbers as ``disposition + shift + social_influence *
    neighbours``.)"""
    h = world.households
    neighbours = pull(
        ties_mean(world, "acceptance", h.acceptance), h.usual_view, p.contagion_exponent
    )
    neighbours *= p.social_influence
    drift = h.disposition + shift
    drift += neighbours
    return drift


def change_dispositions(h: Households, home: np.ndarray, p: Parameters) -> None:
    """Contact and dialogue win over the non-migrant households taking part, while they act
    (``home`` marks returnees' households, which they leave as they are). Worked out only
    where a household has contact or dialogue (a few in a hundred): elsewhere the gain is 0
    and the disposition, within 0-1, stays as it is, bit for bit. In place, as arrivals
    change it."""
    rows = np.flatnonzero((h.contact != 0) | (h.dialogue != 0))
    if not len(rows):
        return
    d = h.disposition[rows]
    up = (p.contact_gain * h.contact[rows] + p.dialogue_gain * h.dialogue[rows]) * ~home[rows]
    h.disposition[rows] = (d + up * (1 - d)).clip(0, 1)


def returnee_stigma(
    neighbourhood_acceptance: np.ndarray, r: Returnees, p: Parameters
) -> np.ndarray:
    """Stigma a returnee meets: neighbourhood hostility, heavier for visible 'failure'."""
    failure = p.stigma_empty_handed * r.empty_handed + p.stigma_forced * r.forced
    making_a_living = nan_to_zero(r.economic)
    return ((1 - neighbourhood_acceptance) * (1 + failure * (1 - making_a_living))).clip(0, 1)


def taking_part(h: Households) -> np.ndarray:
    """Intensity (0-1) of the joint work and dialogue each household takes part in."""
    return (h.contact + h.dialogue).clip(0, 1)


def neighbours_met(world: World) -> np.ndarray:
    """Per household: the acceptance of the households it meets. Those are its ties and, for a
    returnee's household taking part in joint work or dialogue, the village's non-migrants
    taking part, in the share the activities' intensity takes (where none take part, its
    ties). Only returnees' households (:func:`homes`) meet fellows: the others' are their
    ties' mean as it is."""
    h, c = world.households, world.communities
    ties = ties_mean(world, "acceptance", h.acceptance)
    part, numbers = taking_part(h), homes(world)[0]
    taking = (part > 0) & ~returnee_homes(world)
    fellows = community_mean(h.acceptance, h.community, c.n, taking)[h.community[numbers]]
    met = np.where(np.isnan(fellows), 0.0, part[numbers])
    around = ties.copy()  # the kept product is not to be changed
    around[numbers] = (1 - met) * ties[numbers] + met * nan_to_zero(fellows)
    return around


def neighbourhood_acceptance(world: World, p: Parameters) -> np.ndarray:
    """Per returnee: acceptance of their family and of the households they meet (``h.met``,
    as :func:`meet` last left it), worked out at their households only."""
    h, home = world.households, world.returnees.household
    w = p.neighbourhood_weight
    return (1 - w) * h.acceptance[home] + w * h.met[home]


def meet(world: World) -> None:
    """Each household meets its ties and the joint work's fellows: record their acceptance."""
    world.households.met = neighbours_met(world)


def spread(world: World, p: Parameters) -> None:
    """One month of attitude change, and the stigma each returnee meets."""
    h, r, c = world.households, world.returnees, world.communities
    change_dispositions(h, returnee_homes(world), p)
    shift = (contribution(world, p) - hostility(c, p))[h.community]
    target = influence(world, shift, p)
    target.clip(0, 1, out=target)
    h.acceptance = approach(h.acceptance, target, p.acceptance_rate)
    meet(world)
    r.acceptance = neighbourhood_acceptance(world, p)
    r.stigma = np.where(r.arrived, returnee_stigma(r.acceptance, r, p), 0.0)
    c.stigma = nan_to_zero(community_mean(r.stigma, r.community, c.n, r.arrived))


def social_indicators(world: World, p: Parameters) -> dict[str, np.ndarray]:
    """The social indicators (0-1, 1 is best), in the Reintegration Sustainability Survey's
    structure, each from its own state: housing (the family's means), services (health and
    education access), documents (in order on return, or put in order through a case
    worker's links), safety (the context's insecurity), the family's acceptance and the
    neighbours' (networks and participation). Women fall short on housing, documents and
    safety (IOM) by ``female_indicator_gap`` of each, forced returnees on housing, health
    care and documents (IOM) by ``forced_indicator_gap``; stigma is not here: it is the
    psychosocial dimension's discrimination felt."""
    r, h = world.returnees, world.households
    women = 1 - p.female_indicator_gap * r.female
    forced = 1 - p.forced_indicator_gap * r.forced
    on_return = p.documents_on_return * women * forced
    return {
        "housing": h.income[r.household] * women * forced,
        "services": r.service_access * forced,
        "documents": on_return + (1 - on_return) * r.links,
        "safety": (1 - p.insecurity) * women,
        "family": h.acceptance[r.household],
        "networks": h.met[r.household],  # as this month's attitudes left it
    }
