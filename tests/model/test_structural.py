"""Structural work at its scale (issue 21 item 5): it builds the institutions of a region, the
villages modelled and the residents beyond them, and what it gives is counted everywhere it
reaches, from the villages' own per-resident effect.

Hand-made rows whose right answer is known; each would fail on the code before the change
(the region beyond was neither built for nor counted).
"""

import numpy as np
import pytest
import scipy.sparse as sp

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms import structural
from model.outcomes import structural_outcomes


def built_for(p, residents: float, usd: float, months: int = 60) -> Structure:
    s = Structure(residents=residents)
    structural.invest(s, "service", usd)
    for _ in range(months):
        structural.build(s, p)
    return s


def test_the_same_money_is_thinner_in_a_larger_region_but_serves_more_people(p):
    p.structural_region_population = 0.0
    alone = built_for(p, 1000.0, 30_000.0)
    p.structural_region_population = 3000.0
    shared = built_for(p, 1000.0, 30_000.0)
    assert shared.strength["service"] < alone.strength["service"]
    # strength saturates with money per resident: spread wider, it buys more in all
    assert 4000 * shared.strength["service"] > 1000 * alone.strength["service"]
    assert structural.reach(shared, p) == pytest.approx(4000.0)
    assert structural.district_share(shared, p) == pytest.approx(0.25)


def test_nothing_built_reaches_no_one(p):
    assert structural.reach(Structure(residents=1000.0), p) == 0.0


def test_structural_decay_is_the_share_lost_each_month_once_built(p):
    s = built_for(p, 1000.0, 30_000.0, months=120)  # all of it built long ago
    before = s.built["service"]
    structural.build(s, p)
    assert s.built["service"] == pytest.approx(before * (1 - p.structural_decay), rel=1e-6)


def district(means, service_capacity=0.8, usual_jobs=0.5, service=0.0, employment=0.0):
    """Two villages of two households each, no one returned, with the given structure."""
    h = Households.empty(4, community=[0, 0, 1, 1], means=means)
    c = Communities.empty(
        2,
        households=[2.0, 2.0],
        residents=[10.0, 10.0],
        service_capacity=[service_capacity] * 2,
        usual_job_availability=[usual_jobs] * 2,
        usual_cohesion=[0.6] * 2,
    )
    s = Structure(residents=20.0, strength={"service": service, "employment": employment})
    return World(Returnees.empty(0), h, c, s, sp.csr_matrix((4, 4)))


def test_the_dividend_is_the_wellbeing_stronger_services_and_jobs_add(p):
    means = [0.5, 0.7, 0.9, 1.2]
    assert structural.dividend(district(means), p) == 0.0
    services = structural.dividend(district(means, service=0.5), p)
    weights = (
        p.nonmigrant_weight_income + p.nonmigrant_weight_services + p.nonmigrant_weight_cohesion
    )
    added_access = min(1.0, 0.8 * (1 + p.structural_service_gain * 0.5)) - 0.8
    assert services == pytest.approx(p.nonmigrant_weight_services * added_access / weights)
    jobs = structural.dividend(district(means, employment=0.5), p)
    assert jobs > 0.0  # more work for the households short of their need
    met = structural.dividend(district([1.5] * 4, employment=0.5), p)
    assert met == 0.0  # households whose need is met already are not better off for more work


def test_services_that_suffice_gain_nothing_from_strengthening(p):
    assert structural.dividend(district([1.5] * 4, service_capacity=1.2, service=0.8), p) == 0.0


def test_the_region_beyond_counts_residents_times_the_villages_own_effect(p):
    p.structural_region_population = 48_000.0
    world = district([0.5, 0.7, 0.9, 1.2], service=0.3, employment=0.3)
    out = structural_outcomes(world, p)
    assert out["structural_reach"] == pytest.approx(48_020.0)
    assert out["structural_dividend"] == pytest.approx(structural.dividend(world, p))
    assert out["structural_gain_beyond"] == pytest.approx(48_000.0 * out["structural_dividend"])
    assert np.isfinite(out["structural_gain_beyond"]) and out["structural_gain_beyond"] > 0


def test_the_wellbeing_without_structure_follows_service_capacity(p):
    """The dividend's well-being without the structure is kept while the villages' service
    capacity is the same; capacity added (in place, as community packages add it) makes a
    new one: the dividend is that of a world that kept nothing."""
    kept = district([0.5, 0.7, 0.9, 1.2], service=0.5, employment=0.3)
    first = structural.dividend(kept, p)
    assert structural.dividend(kept, p) == first  # kept
    kept.communities.service_capacity += 0.1  # in place
    fresh = district([0.5, 0.7, 0.9, 1.2], service_capacity=0.9, service=0.5, employment=0.3)
    assert structural.dividend(kept, p) == structural.dividend(fresh, p) != first
