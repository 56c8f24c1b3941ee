"""Complementarity between levels and the community channel against the evidence (pattern 7).

Contact and dialogue change how the non-migrants taking part treat the returnees they meet
(Mousa 2020; Scacco and Warren 2018: behaviour towards those met, hardly prejudice beyond);
they do not rewrite how a returnee's own family sees them. Hand-made rows; each test would
fail on the code before the fix.
"""

import numpy as np
import pytest

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms.stigma import meet, neighbourhood_acceptance, social_indicators, spread
from tests.model.handmade import ring


def village(acceptance, contact=None, dialogue=None, returnee_homes=(0,)):
    """One village on a ring, a returnee in each of ``returnee_homes``, at its usual view."""
    n = len(acceptance)
    zeros = np.zeros(n)
    h = Households.empty(
        n,
        community=np.zeros(n, int),
        disposition=np.array(acceptance, float),
        acceptance=np.array(acceptance, float),
        contact=zeros if contact is None else np.array(contact, float),
        dialogue=zeros if dialogue is None else np.array(dialogue, float),
        contact_until=np.full(n, 99),
        dialogue_until=np.full(n, 99),
        income=np.full(n, 0.8),
    )
    c = Communities.empty(1, households=[float(n)], residents=[5.0 * n], cohesion=[0.6])
    k = len(returnee_homes)
    r = Returnees.empty(
        k,
        community=np.zeros(k, int),
        household=np.array(returnee_homes),
        arrived=np.ones(k, bool),
        economic=np.full(k, 0.5),
    )
    world = World(r, h, c, Structure(residents=100.0), ring(n))
    h.usual_view = world.ties @ h.acceptance
    return world


def test_contact_and_dialogue_leave_a_returnees_own_family_as_it_is(p):
    """Guards: joint work and dialogue raised the disposition of every household taking part,
    returnees' families included, so a returnee's own family's acceptance (the social
    dimension's 'family' indicator, half their neighbourhood) nearly doubled in a community
    programme: the evidence is of changed behaviour towards those met, not of families won
    over."""
    world = village(
        [0.3] * 10, contact=[0.8, 0, 0, 0, 0.8, 0, 0, 0, 0, 0], dialogue=[0.8] + [0] * 9
    )
    h = world.households
    before = h.disposition.copy()
    spread(world, p)
    assert h.disposition[0] == pytest.approx(before[0])  # the returnee's family
    assert h.disposition[4] > before[4]  # a non-migrant household taking part


def test_a_returnee_taking_part_meets_the_non_migrants_taking_part(p):
    """Guards: a returnee in joint work met only their ties, so the non-migrants they worked
    with (whose view the work changes) did not treat them any better unless they happened to
    be neighbours. Their ties are hostile here; the co-workers accepting."""
    acceptance = [0.5, 0.1, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.1]
    contact = [0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0]
    at_work = village(acceptance, contact=contact)
    alone = village(acceptance)
    meet(at_work)
    meet(alone)
    assert neighbourhood_acceptance(at_work, p)[0] > neighbourhood_acceptance(alone, p)[0]
    met = social_indicators(at_work, p)["networks"][0]
    assert met == pytest.approx(0.2 * 0.1 + 0.8 * 0.9)
    assert social_indicators(alone, p)["networks"][0] == pytest.approx(0.1)
