"""Initialisation: communities, households and returnees drawn from a scenario.

Everything here is drawn from the model's random generator before any strategy is looked
at, so every strategy run with the same seed starts from the very same population and
networks (common random numbers). Every community state starts at its equilibrium before
any return: employment where the labour market's own monthly update leaves it, tension at
the level its conditions support, each household's neighbours' view as the usual view
contagion measures changes from. So a village with nothing happening stays where it is, and
any change in a run is caused by returns and support.
"""

from __future__ import annotations

from dataclasses import fields
from statistics import NormalDist

import numpy as np
import scipy.sparse as sp

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms.ageing import ADULT_AGE
from model.mechanisms.household_economy import household_need, members_means, spending_pool
from model.mechanisms.livelihoods import work
from model.mechanisms.resentment import tension_conditions
from model.mechanisms.stigma import meet, neighbourhood_acceptance
from model.networks import household_ties
from model.parameters import Parameters


def build_world(p: Parameters, rng: np.random.Generator) -> World:
    communities, attitude = _communities(p, rng)
    households = _households(p, communities, attitude, rng)
    returnees = _returnees(p, communities, households, rng)
    communities.expected_returnees = np.bincount(
        returnees.community, minlength=communities.n
    ).astype(float)
    ties = household_ties(households.community, p, rng)
    households.usual_view = ties @ households.acceptance
    households.enrol_order = rng.random(households.n)
    structure = Structure(residents=float(communities.residents.sum()) + returnees.n)
    world = World(returnees, households, communities, structure, ties)
    household_means(world, p, rng)
    meet(world)
    returnees.acceptance = neighbourhood_acceptance(world, p)
    return world


def _communities(p: Parameters, rng: np.random.Generator) -> tuple[Communities, np.ndarray]:
    """The villages, at their equilibrium before any return; and their view of returnees."""
    n, h = p.n_communities, p.households_per_community
    spread = rng.lognormal(
        -0.5 * np.log1p(p.job_capacity_spread**2), np.sqrt(np.log1p(p.job_capacity_spread**2)), n
    )
    attitude = np.clip(p.initial_attitude + rng.normal(0, p.attitude_spread, n), 0, 1)
    cohesion = np.clip(p.initial_cohesion + rng.normal(0, p.cohesion_spread, n), 0, 1)
    c = Communities.empty(
        n,
        households=np.full(n, h),
        residents=np.full(n, h * p.household_size),
        jobs_base=p.job_capacity * h * spread,
        service_capacity=np.full(n, p.service_capacity),
        cohesion=cohesion,
        usual_cohesion=cohesion.copy(),
    )
    c.nonmigrant_employed = labour_market_equilibrium(c, p)
    c.job_availability = c.nonmigrant_employed / np.maximum(c.households, 1.0)
    c.usual_job_availability = c.job_availability.copy()
    c.service_access = np.minimum(1.0, c.service_capacity)
    c.usual_tension = tension_conditions(c, p)
    c.tension = c.usual_tension.copy()
    return c, attitude


#: How close the labour market's warm-up comes to its fixed point, in workers per village:
#: far below the one worker anything in the model turns on (a numerical tolerance, not an
#: assumption about the world). About 38 halvings for a village of 150 households.
EQUILIBRIUM_TOLERANCE = 1e-9
#: Halvings of the warm-up's bisection one run of the monthly update serves: it is run on
#: every midpoint those halvings may probe (2**3 - 1 copies of the villages), a third as
#: many runs as one per halving, with the same midpoints and so the same result.
HALVINGS_PER_UPDATE = 3


def labour_market_equilibrium(
    c: Communities, p: Parameters, tolerance: float = EQUILIBRIUM_TOLERANCE
) -> np.ndarray:
    """Non-migrant workers in a job where the labour market's own monthly update
    (:func:`model.mechanisms.livelihoods.work`: separations, then matching of open jobs and
    seekers) leaves their number unchanged, with no returnees.

    Employment after a month minus before falls as employment rises (fewer leave the pool
    of seekers and open jobs than separations add), so the fixed point is found by
    bisection, for all communities at once, between no one and everyone who could hold one
    of the jobs, until every village's interval is within ``tolerance`` (it stops as soon
    as it may). With no returnees the update is the same computation in every village, so
    one run of it on copies of the villages answers the next few halvings at once
    (:data:`HALVINGS_PER_UPDATE`). The update is run on a world of these communities alone,
    with its own generator, so the model's random numbers are untouched (with no returnees
    it draws only each village's hiring luck, which rounds no returnee's hire).
    """
    low, high = np.zeros(c.n), np.minimum(c.households, c.jobs_base)
    copies = 2**HALVINGS_PER_UPDATE - 1
    probe = World(
        Returnees.empty(0),
        Households.empty(0),
        type(c)(**{f.name: np.tile(getattr(c, f.name), copies) for f in fields(c)}),
        Structure(residents=1.0),
        sp.csr_matrix((0, 0)),
    )
    rng, villages = np.random.default_rng(0), np.arange(c.n)
    while (high - low).max(initial=0.0) > tolerance:
        mids = _midpoints(low, high, copies)
        probe.communities.nonmigrant_employed = mids.flatten()  # a copy: the update scales it
        work(probe, p, rng)
        grows = (probe.communities.nonmigrant_employed >= mids.ravel()).reshape(mids.shape)
        node = np.zeros(c.n, dtype=np.int64)
        for _ in range(HALVINGS_PER_UPDATE):
            if (high - low).max(initial=0.0) <= tolerance:  # halves each time: ends
                break
            mid, up = (low + high) / 2, grows[node, villages]  # mid: mids[node, villages]
            low, high = np.where(up, mid, low), np.where(up, high, mid)
            node = 2 * node + 1 + up  # the next halving's midpoint below this one
    return (low + high) / 2


def _midpoints(low: np.ndarray, high: np.ndarray, count: int) -> np.ndarray:
    """Per village, the first ``count`` midpoints a bisection from ``[low, high]`` may probe,
    in heap order: row ``i``'s lower half is row ``2i + 1``, its upper half ``2i + 2``."""
    bounds, mids = [(low, high)], []
    for i in range(count):
        lo, hi = bounds[i]
        mids.append((lo + hi) / 2)
        bounds += [(lo, mids[i]), (mids[i], hi)]
    return np.array(mids)


def household_means(world: World, p: Parameters, rng: np.random.Generator) -> None:
    """Each household's own means against its need, lognormal with ``household_poor_share``
    below 1 (the poverty headcount); whether its farm can take on a returning member; whether
    its adult returnees belong to a savings group (drawn from a stream of its own, so a
    context without groups draws everything else as before); what the villages spend with
    local sellers, whose capacity already meets that demand."""
    h, c = world.households, world.communities
    sigma = p.household_means_spread
    median = -sigma * NormalDist().inv_cdf(p.household_poor_share)
    h.means = np.exp(median + sigma * rng.normal(size=h.n))
    h.farm = rng.random(h.n) < p.farm_household_share
    h.savings_group = rng.spawn(1)[0].random(h.n) < p.savings_group_share
    h.members_usd = members_means(world, p)
    h.resources = h.members_usd.copy()
    h.income = np.minimum(1.0, h.resources / household_need(h, p))
    c.market = spending_pool(world, p, repaid=np.zeros(h.n))  # no one owes before a return
    c.usual_market = c.market.copy()


def _households(
    p: Parameters, communities: Communities, attitude: np.ndarray, rng: np.random.Generator
) -> Households:
    per = p.households_per_community
    community = np.repeat(np.arange(communities.n), per)
    n = len(community)
    disposition = np.clip(attitude[community] + rng.normal(0, p.household_attitude_spread, n), 0, 1)
    return Households.empty(
        n,
        community=community,
        size=np.maximum(1, rng.poisson(p.household_size - 1, n) + 1),
        remittance_dependence=_beta_mean(
            rng, p.remittance_dependence_mean, n, p.trait_concentration
        ),
        disposition=disposition,
        acceptance=disposition.copy(),  # its own array: arrivals lower the disposition
        wellbeing=np.full(n, np.nan),
    )


def _returnees(
    p: Parameters, communities: Communities, households: Households, rng: np.random.Generator
) -> Returnees:
    n = p.n_returnees
    community, household = _places(p, communities, rng)
    forced = rng.random(n) < p.share_forced
    empty = rng.random(n) < worse_if_forced(p.share_empty_handed, forced, p)
    minor = rng.random(n) < p.share_minor
    age = np.where(
        minor,
        rng.uniform(p.minor_age_min, ADULT_AGE, n),
        np.clip(rng.normal(p.age_mean, p.age_sd, n), ADULT_AGE, p.age_max),
    )
    r = Returnees.empty(
        n,
        community=community,
        household=household,
        arrival_month=rng.integers(0, p.arrival_months, n),
        female=rng.random(n) < p.share_female,
        age=age,
        skill=_beta_mean(rng, p.skill_mean, n, p.trait_concentration),
        months_abroad=rng.exponential(p.months_abroad_mean, n),
        savings=np.where(empty, 0.0, rng.exponential(p.savings_mean_usd, n)),
        debt=np.where(
            (rng.random(n) < worse_if_forced(p.share_in_debt, forced, p)) & ~minor,
            rng.exponential(p.debt_mean_usd, n),
            0.0,
        ),
        forced=forced,
        empty_handed=empty,
        prepared=(rng.random(n) < p.share_prepared) & ~forced,
        trauma=rng.random(n) < p.share_trauma,
        health_needs=rng.random(n) < p.share_health_needs,
        trafficked=rng.random(n) < p.share_trafficked,
        minor=minor,
        diaspora_ties=rng.poisson(p.diaspora_ties_mean, n).astype(float),
    )
    own = rng.normal(0, p.distress_level_sd, n)
    r.distress_level = np.clip(own, 0, 1)
    r.distress = initial_distress(r, p, own)
    for name in (
        "economic",
        "social",
        "psychosocial",
        "composite",
        "necessity",
        "choice",
        "usual_need_met",
    ):
        getattr(r, name)[:] = np.nan
    return r


def worse_if_forced(share: float, forced: np.ndarray, p: Parameters) -> np.ndarray:
    """Chance of a hardship (coming back empty-handed, still owing the journey's cost) that
    ``share`` of voluntary returnees meet: a forced return leaves no time to mobilise
    resources or repay (003 s.2), so ``forced_resource_loss`` of the rest meet it too."""
    return share + forced * (1 - share) * p.forced_resource_loss


def initial_distress(r: Returnees, p: Parameters, own: np.ndarray) -> np.ndarray:
    """Distress on arrival: the person's own lasting level (``own``, before the floor at 0)
    plus what the vulnerabilities and the conditions of return add to it."""
    d = (
        p.distress_trauma * r.trauma
        + p.distress_trafficked * r.trafficked
        + p.distress_health * r.health_needs
        + p.distress_forced * r.forced
        + p.distress_minor * r.minor
        - p.distress_prepared_relief * r.prepared
    )
    return np.clip(d + own, 0, 1)


def community_weights(p: Parameters, n: int, rng: np.random.Generator) -> np.ndarray:
    """Share of returns per community: Zipf-like, 0 spreads them evenly."""
    rank = rng.permutation(n) + 1.0
    w = rank ** (-p.return_concentration)
    return w / w.sum()


def _places(p: Parameters, communities: Communities, rng: np.random.Generator):
    """Send each returnee to a community and a household, never over a household's room."""
    n_c, per, room = communities.n, p.households_per_community, p.max_returnees_per_household
    slots = per * room  # each community's: ``room`` places in each of its households
    counts = _capped_counts(p.n_returnees, community_weights(p, n_c, rng), slots, rng)
    keys = rng.random((n_c, slots))  # a random order of the slots in each community, sorted
    order = np.argsort(keys, axis=1, kind="stable")  # one village at a time, not all at once
    community, slot = np.nonzero(np.arange(slots) < counts[:, None])  # its first counts[c]
    chosen = rng.permutation(len(community))
    community, slot = community[chosen], order[community[chosen], slot[chosen]]
    return community, community * per + slot // room


def _capped_counts(n: int, weights: np.ndarray, cap: int, rng: np.random.Generator) -> np.ndarray:
    """Multinomial counts per community, overflow beyond ``cap`` moved to those with room."""
    counts = rng.multinomial(n, weights)
    while (over := np.maximum(counts - cap, 0)).any():
        counts -= over
        room = np.where(counts < cap, weights, 0.0)
        counts += rng.multinomial(over.sum(), room / room.sum())
    return counts


def _beta_mean(rng: np.random.Generator, mean: float, n: int, strength: float) -> np.ndarray:
    """Beta draws with the given mean (strength = a + b), for 0-1 quantities."""
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(mean * strength, (1 - mean) * strength, n)
