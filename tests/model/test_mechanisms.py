"""Each mechanism on its own, on hand-made rows whose right answer is known by reasoning."""

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from agents.state import Communities, Households, Returnees, Structure
from model.mechanisms import approach, community_mean, structural
from model.mechanisms.livelihoods import (
    contacts_kept,
    economic_conditions,
    gate,
    job_leads,
    jobs,
    matches,
    pick,
    returnee_hires,
    work,
)
from model.mechanisms.psychosocial import heal
from model.mechanisms.resentment import resent, visible_excess, wellbeing_conditions
from model.mechanisms.services import community_access
from model.mechanisms.stigma import contagion, returnee_stigma
from tests.model.handmade import people_at_levels


def no_structure():
    return Structure(residents=1000.0)


def test_approach_moves_the_given_share_of_the_gap():
    assert approach(np.array([0.2]), np.array([1.0]), 0.25)[0] == pytest.approx(0.4)
    assert approach(np.array([0.8]), np.array([0.0]), 0.5)[0] == pytest.approx(0.4)


def test_community_mean_ignores_unselected_agents():
    values = np.array([1.0, 3.0, 10.0, 7.0])
    community = np.array([0, 0, 1, 1])
    mask = np.array([True, True, False, True])
    assert community_mean(values, community, 3, mask)[:2] == pytest.approx([2.0, 7.0])
    assert np.isnan(community_mean(values, community, 3, mask)[2])


def test_jobs_add_up_works_activities_and_employment_services(p):
    c = Communities.empty(1, households=[100], jobs_base=[50], jobs_added=[5], jobs_temporary=[7])
    s = no_structure()
    assert jobs(c, s, p)[0] == pytest.approx(62)
    s.strength["employment"] = 1.0
    assert jobs(c, s, p)[0] == pytest.approx(62 + 100 * p.structural_job_gain)


def test_training_without_open_jobs_does_nothing_and_pays_where_jobs_open(p):
    """Matching: no open jobs, no hires; skills (effective seekers) and jobs are complements."""
    skilled, unskilled = np.array([6.0]), np.array([4.0])
    assert matches(np.array([0.0]), skilled, p)[0] == 0.0
    few, many = np.array([4.0]), np.array([36.0])
    gain_few = matches(few, skilled, p) - matches(few, unskilled, p)
    gain_many = matches(many, skilled, p) - matches(many, unskilled, p)
    assert gain_many[0] == pytest.approx(3 * gain_few[0])
    assert (matches(many, np.array([1e6]), p) <= many).all()  # never more than the jobs


def test_returnees_get_hires_in_proportion_to_their_employability():
    seekers = np.array([True, True, True, False])
    community = np.array([0, 0, 0, 0])
    hires = returnee_hires(
        np.array([10.0]), np.array([1.5]), np.array([1.5]), seekers, np.array([0.0]), community
    )
    assert hires[0] == 3.0  # half of 10 filled jobs, but only 3 returnees are seeking
    chosen = pick(seekers, np.array([0.1, 0.9, 0.5, 1.0]), community, np.array([2]))
    assert chosen.tolist() == [False, True, True, False]


def test_jobs_closing_lay_workers_off(p):
    world = SimpleNamespace(
        returnees=Returnees.empty(
            2,
            arrived=[True, True],
            employed=[True, True],
            skill=[0.5, 0.5],
            acceptance=[1.0, 1.0],
            household=[0, 1],
        ),
        communities=Communities.empty(
            1, households=[10.0], jobs_base=[6.0], nonmigrant_employed=[10.0]
        ),
        households=Households.empty(2),
        structure=no_structure(),
        ties=sp.csr_matrix((2, 2)),
        month=0,
    )
    p.separation_rate = 0.0
    work(world, p, np.random.default_rng(0))
    c = world.communities
    employed = c.nonmigrant_employed[0] + world.returnees.employed.sum()
    assert c.nonmigrant_employed[0] == pytest.approx(10 * 6 / 12)
    assert employed <= 6 + 1e-9
    assert c.job_availability[0] == pytest.approx(0.5)


def test_distress_gates_economic_progress(p):
    assert gate(np.array([0.0]), p)[0] == 1.0
    assert gate(np.array([1.0]), p)[0] == pytest.approx(1 - p.distress_gating)


def test_economic_conditions_span_zero_to_one(p):
    r = Returnees.empty(2, employed=[True, False], status=[1, 0])
    r.income[:] = r.earned[:] = [2 * p.monthly_need_usd, 0.0]
    r.debt[:] = [0.0, 10 * p.heavy_debt_months * p.monthly_need_usd]
    assert economic_conditions(r, p) == pytest.approx([1.0, 0.0])


def test_many_arrivals_congest_services(p):
    c = Communities.empty(1, residents=[100], service_capacity=[1.0])
    assert community_access(c, no_structure(), p)[0] == pytest.approx(1.0)
    c.arrived_returnees[:] = 50
    expected = 100 / (100 + 50 * p.returnee_service_use)
    assert community_access(c, no_structure(), p)[0] == pytest.approx(expected)


def test_complex_contagion_amplifies_the_majority_view():
    view = np.array([0.2, 0.5, 0.8])
    assert contagion(view, 1.0) == pytest.approx(view)
    amplified = contagion(view, 3.0)
    assert amplified[0] < 0.2 and amplified[1] == pytest.approx(0.5) and amplified[2] > 0.8


def test_empty_handed_and_forced_returnees_meet_more_stigma(p):
    r = Returnees.empty(3)
    r.empty_handed[:] = [False, True, True]
    r.forced[:] = [False, False, True]
    r.economic[:] = 0.0
    stigma = returnee_stigma(np.full(3, 0.6), r, p)
    assert stigma[0] == pytest.approx(0.4)
    assert stigma[0] < stigma[1] < stigma[2]
    r.economic[:] = 1.0  # visibly making a living: the 'failure' no longer shows
    assert returnee_stigma(np.full(3, 0.6), r, p) == pytest.approx([0.4] * 3)


def _resentment_world(visible, shared, availability, p):
    r = Returnees.empty(1, community=[0], visible_aid=[visible / (1 - p.visibility_fade)])
    c = Communities.empty(
        1, households=[1.0], job_availability=[availability], shared_benefit=[shared]
    )
    c.shared_benefit /= 1 - p.visibility_fade
    return SimpleNamespace(returnees=r, communities=c)


def test_resentment_needs_visible_aid_beyond_shared_benefit_and_scarcity(p):
    cases = {
        "aid, nothing shared, scarce jobs": (1000.0, 0.0, 0.5),
        "aid matched by shared benefit": (1000.0, 1000.0, 0.5),
        "aid where jobs are plenty": (1000.0, 0.0, 1.0),
    }
    grown = {}
    for name, (visible, shared, availability) in cases.items():
        world = _resentment_world(visible, shared, availability, p)
        resent(world, p)
        grown[name] = world.communities.resentment[0]
    per_1000usd = p.resentment_per_100usd * 10 * p.envy_reference_need_usd / p.monthly_need_usd
    assert grown["aid, nothing shared, scarce jobs"] == pytest.approx(
        per_1000usd * (1 + p.scarcity_envy * 0.5)
    )
    assert grown["aid matched by shared benefit"] == 0.0
    assert grown["aid where jobs are plenty"] == pytest.approx(per_1000usd)
    c = Communities.empty(1, visible_aid=[300.0], shared_benefit=[500.0])
    assert visible_excess(c)[0] == 0.0


def test_deprivation_and_tension_lower_wellbeing(p):
    args = (np.array([0.8]), np.array([0]), np.array([0.8]), np.array([0.6]), p)
    calm = wellbeing_conditions(*args, np.array([0.0]), np.array([0.0]))
    resentful = wellbeing_conditions(*args, np.array([0.5]), np.array([0.0]))
    tense = wellbeing_conditions(*args, np.array([0.0]), np.array([0.5]))
    assert resentful[0] < calm[0] and tense[0] < calm[0]
    assert wellbeing_conditions(*args)[0] == calm[0]  # no one returned: none of either


def test_counselling_reduces_distress_faster(p):
    r = Returnees.empty(2, arrived=[True, True], distress=[0.6, 0.6], counselling_left=[6, 0])
    world = SimpleNamespace(returnees=r, structure=no_structure())
    for _ in range(3):
        heal(world, p)
    assert r.distress[0] < r.distress[1] < 0.6
    assert r.counselling_left[0] == 3


def test_people_with_different_lasting_levels_keep_different_distress_under_the_same_life(p):
    """Two adults alike in everything but their own lasting level of distress, under the same
    stigma for ten years: the one with the higher level stays more distressed, by about the
    difference in levels. Without the level (distress easing to none), the two would have met
    within a few years."""
    world = people_at_levels([0.05, 0.2], [0.3, 0.3], stigma=0.2)
    for _ in range(120):
        heal(world, p)
    d = world.returnees.distress
    assert d[1] - d[0] > 0.5 * (0.2 - 0.05)


def test_after_a_shock_passes_each_returns_to_their_own_level(p):
    """A shock (a trauma, a forced return) raises two people's distress alike; as it passes,
    with no stigma, each eases back to their own lasting level, not to none and not to the
    other's."""
    levels = np.array([0.0, 0.08, 0.25])
    world = people_at_levels(levels, [0.7, 0.7, 0.7])
    for _ in range(360):
        heal(world, p)
    assert world.returnees.distress == pytest.approx(levels, abs=0.005)


def test_structural_work_is_slow_to_start_and_lasts(p):
    s = no_structure()
    structural.invest(s, "service", 100_000.0)
    strengths = []
    for _ in range(60):
        structural.build(s, p)
        strengths.append(s.strength["service"])
    peak = int(np.argmax(strengths))
    assert strengths[0] < 0.3 * max(strengths)  # slow start: built over the lag
    assert peak >= 6
    assert strengths[-1] > 0.5 * max(strengths)  # still there years later


def _leads_world(employed, months_abroad, month):
    """Three returnees in households 0-2 of one village at 50% employment; households 0 and 1
    are tied to each other, household 2 to household 3 (non-migrants)."""
    ties = sp.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]))
    return SimpleNamespace(
        returnees=Returnees.empty(
            3,
            arrived=[True, True, True],
            employed=employed,
            household=[0, 1, 2],
            months_abroad=months_abroad,
        ),
        households=Households.empty(4),
        communities=Communities.empty(1, households=[4.0], job_availability=[0.5]),
        ties=ties,
        month=month,
    )


def test_job_leads_come_from_any_tie_in_work_relative_to_locals(p):
    """A returnee tied to an employed returnee hears of more openings than a local; one tied
    to non-migrants as many (they work at the local rate). Before, leads came from employed
    returnees only and were counted on top of a local's (the first would have had 1 + gain)."""
    p.tie_loss_per_year_abroad = 0.0
    world = _leads_world([True, False, False], [0.0, 0.0, 0.0], month=0)
    leads = job_leads(world, p)
    g = p.network_referral_gain
    assert leads[1] == pytest.approx((1 + g) / (1 + g * 0.5))  # tied to an employed returnee
    assert leads[2] == pytest.approx(1.0)  # tied to non-migrants: as a local
    assert leads[0] == pytest.approx(1.0)  # its tie works at the local rate


def test_contacts_lost_abroad_are_rebuilt_after_return(p):
    """Two years away loses 2 x tie_loss_per_year_abroad of one's contacts on arrival, and
    a year back (tie_rebuild_months) rebuilds all but 1/e of the loss."""
    p.tie_loss_per_year_abroad, p.tie_rebuild_months = 0.2, 12.0
    world = _leads_world([False] * 3, [24.0, 0.0, 24.0], month=0)
    kept = contacts_kept(world.returnees, 0, p)
    assert kept.tolist() == pytest.approx([0.6, 1.0, 0.6])
    assert contacts_kept(world.returnees, 12, p)[0] == pytest.approx(1 - 0.4 / np.e)
    assert job_leads(world, p)[2] < job_leads(world, p)[1]  # long away: fewer openings


def test_non_migrants_get_the_filled_jobs_returnees_did_not_take_and_lose_none():
    from model.mechanisms.livelihoods import nonmigrant_hires

    filled, hires, local = (
        np.array([0.015, 5.0, 5.0]),
        np.array([1.0, 2.0, 2.0]),
        np.array([107.0, 10.0, 1.0]),
    )
    assert nonmigrant_hires(filled, hires, local).tolist() == [0.0, 3.0, 1.0]
