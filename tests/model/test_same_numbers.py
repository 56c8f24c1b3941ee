"""The shortcuts taken for speed (issue 26, speed27 and speed28) give the numbers of the
longer way, bit for bit, on hand-made inputs where the shortcut is taken: ties in need and in
priority, many villages, money that reaches few, values changed in place."""

import numpy as np
import pytest

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms import (
    PRODUCT_FROM,
    approach,
    approach_or_start,
    by_months,
    community_mean,
    first_of,
    homes,
    nan_to_zero,
    on_homes,
    per_home,
    returnee_homes,
    same_bits,
    ties_mean,
    ties_mean_at_homes,
    village_means,
    village_sums,
    villages,
    weighted_mean,
)
from model.mechanisms.livelihoods import wear, wear_assets
from model.mechanisms.resentment import wellbeing_conditions
from model.mechanisms.scoring import social_score_with_school
from model.mechanisms.stigma import change_dispositions, contagion, neighbours_met, pull
from model.outcomes import Group
from model.plan import (
    SORT_DIRECTLY,
    _by_need,
    _within_reach,
    ranked_within,
    remaining_need,
    stable_argsort,
)
from tests.model.handmade import ring


def test_ranked_within_is_lexsort_by_group_then_key():
    """Ties in the key keep the order of position, in each group; more groups than a byte
    and than 16 bits can number (the groups' sort by radix and by comparison)."""
    rng = np.random.default_rng(4)
    for n in (3, 300, 70_000):
        group = rng.integers(0, n, 5_000)
        key = rng.integers(0, 4, 5_000) / 4  # many ties
        order, rank = ranked_within(key, group, n)
        expected = np.lexsort((key, group))
        assert np.array_equal(order, expected)
        groups = group[expected]
        first = np.searchsorted(groups, groups)  # each position's group's first position
        assert np.array_equal(rank, np.arange(len(expected)) - first)


def _full_ranking(need, village, jobs, money, unit_cost):
    """Every candidate ranked, then those within the money's reach: the way without the
    shortcut of :func:`model.plan._by_need`."""
    left, reached = remaining_need(need, village, jobs)
    among = _within_reach(-need * left, money, unit_cost)
    return among, (reached[among], -need[among], (-need * left)[among])


@pytest.mark.parametrize("units", [1, 7, 40, 500])
def test_ranking_only_those_within_reach_when_no_job_counts(units):
    """With no village's jobs counting against need, those the money reaches and their sort
    keys are those of ranking every candidate, ties in need across villages included."""
    rng = np.random.default_rng(units)
    need = rng.integers(0, 5, 400) / 2  # many equal needs, some none
    village = rng.integers(0, 30, 400)
    jobs = np.zeros(30)
    among, keys = _by_need(need, village, jobs, money=units * 100.0, unit_cost=100.0)
    expected_among, expected_keys = _full_ranking(need, village, jobs, units * 100.0, 100.0)
    assert np.array_equal(among, expected_among)
    for key, expected in zip(keys, expected_keys, strict=True):
        assert same_bits(key, expected)


@pytest.mark.parametrize("units", [1, 7, 40, 500])
@pytest.mark.parametrize("with_jobs", [1, 12, 30])
def test_ranking_in_full_only_where_jobs_count(units, with_jobs):
    """Where some villages' jobs count against need (from a fraction of a job, rounded to
    none, to more jobs than candidates), those the money reaches and their sort keys are those
    of ranking every candidate, ties in need within and across villages included."""
    rng = np.random.default_rng(units * 100 + with_jobs)
    need = rng.integers(0, 5, 400) / 2  # many equal needs, some none
    village = rng.integers(0, 30, 400)
    jobs = np.zeros(30)
    places = rng.choice(30, with_jobs, replace=False)
    jobs[places] = rng.choice([0.3, 0.5, 1.0, 2.6, 7.0, 40.0], with_jobs)
    among, keys = _by_need(need, village, jobs, money=units * 100.0, unit_cost=100.0)
    expected_among, expected_keys = _full_ranking(need, village, jobs, units * 100.0, 100.0)
    assert np.array_equal(among, expected_among)
    for key, expected in zip(keys, expected_keys, strict=True):
        assert same_bits(key, expected)


def test_same_bits_tells_signed_zeros_apart_and_nan_from_nothing():
    assert same_bits(np.array([0.0, np.nan]), np.array([0.0, np.nan]))
    assert not same_bits(np.array([0.0]), np.array([-0.0]))
    assert not same_bits(np.array([1.0]), np.array([1.0, 1.0]))
    assert not same_bits(np.array([1.0]), np.array([1], dtype=np.int64))


def _world(n: int) -> World:
    return World(Returnees.empty(0), Households.empty(n), None, Structure(residents=1.0), ring(n))  # type: ignore[arg-type]


def test_ties_mean_is_given_again_only_for_the_same_values():
    """The kept product comes back for the same values, even in another array; a value
    changed in place, or other ties, make a new one (never a stale product)."""
    world = _world(6)
    values = np.linspace(0.0, 1.0, 6)
    first = ties_mean(world, "x", values)
    assert np.array_equal(first, world.ties @ values)
    assert ties_mean(world, "x", values.copy()) is first
    values[2] = 0.9  # in place
    again = ties_mean(world, "x", values)
    assert again is not first and np.array_equal(again, world.ties @ values)
    world.ties = ring(6) * 2.0
    assert np.array_equal(ties_mean(world, "x", values), world.ties @ values)


def test_returnee_homes_follow_the_returnees_households():
    """The households with a returnee are kept over a run, and found again when a returnee's
    household changes (in place) or the households are more."""
    world = _world(5)
    world.returnees = Returnees.empty(2, household=[1, 3])
    assert returnee_homes(world).tolist() == [False, True, False, True, False]
    world.returnees.household[0] = 4
    assert returnee_homes(world).tolist() == [False, False, False, True, True]
    world.households = Households.empty(6)
    assert len(returnee_homes(world)) == 6


def test_a_childs_social_score_is_the_weighted_mean_with_school(p):
    """A child's score adds school to the adult's weighted sum: the same bits as the mean of
    every indicator, school included, at weights whose sum Python's compensated float sum
    makes differ from adding the school's weight last (0.2 + ... = 1.2000000000000002)."""
    rng = np.random.default_rng(9)
    keys = ("housing", "services", "documents", "safety", "family", "networks")
    social = {k: rng.random(50) for k in keys}
    r = Returnees.empty(50, minor=rng.random(50) < 0.5, in_school=rng.random(50) < 0.5)
    child = weighted_mean({**social, "school": r.in_school.astype(float)}, "social", p)
    adult = weighted_mean(social, "social", p)
    score = social_score_with_school(social, r, p)
    assert same_bits(score, np.where(r.minor, child, adult))


@pytest.mark.parametrize("n", [5, SORT_DIRECTLY - 1, SORT_DIRECTLY, 20_000])
def test_stable_argsort_is_numpys_stable_sort(n):
    """Distinct keys, keys with many ties (signed zeros among them) and keys with NaNs, below
    and above the size where the vectorised sort is taken: numpy's stable order each time."""
    rng = np.random.default_rng(n)
    distinct = rng.random(n)
    ties = rng.integers(-3, 4, n) / 2.0
    ties[rng.integers(0, n, max(1, n // 10))] = -0.0
    with_nan = distinct.copy()
    with_nan[rng.integers(0, n, 3)] = np.nan
    for key in (distinct, ties, -ties, with_nan):
        assert np.array_equal(stable_argsort(key), np.argsort(key, kind="stable"))


def _villages_world(community: list[int] | np.ndarray, n: int) -> World:
    c = Communities.empty(n)
    h = Households.empty(len(community), community=community)
    return World(Returnees.empty(0), h, c, Structure(residents=1.0), ring(len(community)))


@pytest.mark.parametrize("households", [PRODUCT_FROM - 1, PRODUCT_FROM + 1])
def test_village_sums_are_bincounts_bit_for_bit(households):
    """Households numbered village by village (the model's), and in no order, a village with
    none, below and above the size where the product is taken: it adds what ``np.bincount``
    adds, in its order (sums whose last bits depend on the order, signed zeros and a NaN
    included)."""
    rng = np.random.default_rng(households)
    for community in (np.sort(rng.integers(0, 7, households)), rng.integers(0, 7, households)):
        world = _villages_world(community, 8)  # village 7 has no household
        values = rng.normal(0.0, 1e6, households) * 10.0 ** rng.integers(-8, 8, households)
        values[:5] = [-0.0, 0.0, -0.0, np.nan, 1e-300]
        columns = [values, np.abs(values), values > 0]
        for total, v in zip(village_sums(world, columns), columns, strict=True):
            assert same_bits(total, np.bincount(community, weights=v, minlength=8))
        means = village_means(world, [values, -values])
        assert same_bits(means[0], community_mean(values, community, 8))
        assert same_bits(means[1], community_mean(-values, community, 8))


def test_the_villages_follow_the_households_communities():
    """The membership kept is found again when a household moves (in place) or the
    villages are more: never a stale one."""
    world = _villages_world([0, 0, 1, 1], 2)
    ones = np.ones(4)
    assert (villages(world) @ ones).tolist() == [2.0, 2.0]
    world.households.community[1] = 1
    assert (villages(world) @ ones).tolist() == [1.0, 3.0]
    world.communities = Communities.empty(3)
    assert (villages(world) @ ones).tolist() == [1.0, 3.0, 0.0]


def test_first_of_and_nan_to_zero_are_numpys():
    rng = np.random.default_rng(8)
    conditions = [rng.random(500) < 0.3 for _ in range(4)]
    expected = np.select(conditions, [1, 2, 4, 3], 0)
    chosen = first_of(conditions, [1, 2, 4, 3], 0)
    assert chosen.dtype == expected.dtype and np.array_equal(chosen, expected)
    values = rng.normal(size=500)
    values[[0, 7, 9]] = [np.nan, -0.0, np.nan]
    assert same_bits(nan_to_zero(values), np.nan_to_num(values))


def test_a_groups_share_is_its_mean_of_flags():
    rng = np.random.default_rng(2)
    here = Group(rng.random(300) < 0.6)
    flags = rng.random(300) < 0.4
    assert here.share(here.take(flags)) == here.mean(flags)
    assert np.isnan(Group(np.zeros(3, bool)).share(np.zeros(0, bool)))


def test_indicators_read_after_the_month_are_those_measured_in_it(monkeypatch):
    """The month's indicators are masked when first read (``scoring.Measured``): read after
    the month's leavers changed who is here and in school in place, they are the numbers
    masked at once, within the month; a world's rows of a batch's indicators too."""
    from model.mechanisms import scoring
    from model.model import Batch, ReintegrationModel

    def world(seed):
        return ReintegrationModel(rng=seed, n_returnees=300, create_agents=False)

    later, batched = world(3), Batch([world(3), world(4)])
    read_later, read_in_batch, left = [], [], 0
    for _ in range(18):
        later.step()
        batched.step()
        left += sum(later.world.departures.values())
        read_later.append(dict(later.world.indicators))
        read_in_batch.append(dict(batched.models[0].world.indicators))
    at_once, assess = [], scoring.assess

    def assess_and_read(w, p):
        assess(w, p)
        at_once.append({k: v.copy() for k, v in w.indicators.items()})

    monkeypatch.setattr("model.model.scoring.assess", assess_and_read)
    again = world(3)
    for _ in range(18):
        again.step()
    assert left > 0  # some month's leavers changed the masks after it was measured
    for a, b, c in zip(at_once, read_later, read_in_batch, strict=True):
        assert a.keys() == b.keys() == c.keys()
        assert all(same_bits(a[k], b[k]) and same_bits(a[k], c[k]) for k in a)


def _homes_world(household: list[int], n: int) -> World:
    """``n`` households on a ring, returnees in ``household`` (out of order, some together)."""
    world = _world(n)
    world.returnees = Returnees.empty(len(household), household=household)
    return world


def test_sums_over_the_homes_are_the_households_sums():
    """Sums over each home's returnees (:func:`per_home`) are the households' bincounts bit
    for bit, set back among all households with zeros elsewhere (:func:`on_homes`); the homes
    follow a returnee's household changed in place."""
    rng = np.random.default_rng(5)
    world = _homes_world([7, 2, 7, 0, 2, 7, 9], 12)
    values = rng.normal(size=7) * 10.0 ** rng.integers(-8, 8, 7)  # sums that round
    household = world.returnees.household
    full = np.bincount(household, weights=values, minlength=12)
    where = homes(world)
    assert where[0].tolist() == [0, 2, 7, 9]
    assert same_bits(on_homes(where, per_home(where, values), 12), full)
    household[3] = 11  # in place
    where = homes(world)
    assert where[0].tolist() == [2, 7, 9, 11]
    full = np.bincount(household, weights=values, minlength=12)
    assert same_bits(on_homes(where, per_home(where, values), 12), full)


def test_ties_mean_at_homes_is_the_full_products_rows():
    """The product over the homes' rows gives each returnee their household's row of the
    product with every row, bit for bit; other ties make a new one."""
    rng = np.random.default_rng(6)
    world = _homes_world([4, 1, 4, 8], 10)
    values = rng.random(10) * 10.0 ** rng.integers(-8, 8, 10)
    assert same_bits(ties_mean_at_homes(world, values), (world.ties @ values)[[4, 1, 4, 8]])
    world.ties = ring(10) * 3.0
    assert same_bits(ties_mean_at_homes(world, values), (world.ties @ values)[[4, 1, 4, 8]])


@pytest.mark.parametrize("n", [0, 1, 7, 9, 17, 1_001, 20_000])
def test_by_months_is_the_curve_of_each_count(n):
    """Looked-up powers and exponentials of whole months are those worked out one by one,
    at lengths that leave vector loops a remainder."""
    months = np.random.default_rng(n).integers(0, 400, n)
    for curve in (lambda m: np.exp(-m / 7.3), lambda m: 0.5 ** (m / 24.0)):
        assert same_bits(by_months(months, curve), curve(months))


def test_neighbours_met_outside_the_homes_are_the_ties_mean():
    """Households meet fellows of the joint work only where a returnee lives: the numbers of
    working it out for every household, where the others meet none (their ties' mean)."""
    rng = np.random.default_rng(7)
    n = 12
    world = _homes_world([1, 5, 5, 10], n)
    world.communities = Communities.empty(3)
    h = world.households
    h.community = np.repeat([0, 1, 2], 4)
    h.acceptance = rng.random(n)
    h.contact = np.where(rng.random(n) < 0.5, rng.random(n), 0.0)
    h.dialogue = np.where(rng.random(n) < 0.3, rng.random(n), 0.0)
    h.contact[[1, 2]] = 0.0  # a home and a non-migrant household not taking part
    ties = world.ties @ h.acceptance
    home = returnee_homes(world)
    part = (h.contact + h.dialogue).clip(0, 1)
    fellows = community_mean(h.acceptance, h.community, 3, (part > 0) & ~home)[h.community]
    met = np.where(home & ~np.isnan(fellows), part, 0.0)
    assert same_bits(neighbours_met(world), (1 - met) * ties + met * nan_to_zero(fellows))


def test_in_place_arithmetic_is_the_fresh_arrays_bit_for_bit(p):
    """The mechanisms that write each step into one array (speed15) give the numbers of a
    fresh array for each step: contagion and the neighbours' pull (rooms of 0, shares of 0
    and 1, views at, above and below the usual one), the first-order lag and its start at a
    target, and the households' well-being conditions."""
    rng = np.random.default_rng(15)
    usual = rng.random(2_000)
    usual[:3] = [0.0, 1.0, 0.5]
    view = np.clip(usual + rng.normal(0, 0.2, 2_000), 0, 1)
    view[3:6] = usual[3:6]  # nothing changed
    view[1] = 1.0  # at the top, no room to move up
    for exponent in (1.0, 3.0):
        up = view >= usual
        room = np.where(up, 1 - usual, usual)
        moved = np.divide(np.abs(view - usual), room, out=np.zeros_like(view), where=room > 0)
        share = np.minimum(moved, 1.0)
        a, b = share**exponent, (1 - share) ** exponent
        spread = np.divide(a, a + b, out=share.copy(), where=a + b > 0)
        assert same_bits(contagion(share.copy(), exponent), spread)
        assert same_bits(pull(view, usual, exponent), np.where(up, 1.0, -1.0) * room * spread)
    current = np.where(rng.random(2_000) < 0.1, np.nan, rng.random(2_000))
    target = rng.random(2_000)
    lag = current + 0.3 * (target - current)
    assert same_bits(approach(current, target, 0.3), lag)
    assert same_bits(
        approach_or_start(current, target, 0.3), np.where(np.isnan(current), target, lag)
    )
    village = np.sort(rng.integers(0, 40, 2_000))
    access, cohesion, resentment, tension = (rng.random(40) for _ in range(4))
    fresh = (
        p.nonmigrant_weight_income * target
        + (p.nonmigrant_weight_services * access)[village]
        + (p.nonmigrant_weight_cohesion * cohesion)[village]
    ) / (p.nonmigrant_weight_income + p.nonmigrant_weight_services + p.nonmigrant_weight_cohesion)
    fresh = fresh - (p.wellbeing_sd * resentment)[village]
    fresh = fresh - (p.tension_wellbeing_weight * tension)[village]
    made = wellbeing_conditions(target, village, access, cohesion, p, resentment, tension)
    assert same_bits(made, fresh.clip(0, 1))


def test_dispositions_and_wear_change_only_where_something_acts(p):
    """Dispositions are worked out only where contact or dialogue act, assets worn only where
    held: every row is the formula's over all rows, bit for bit."""
    rng = np.random.default_rng(16)
    n = 500
    acting = rng.random(n) < 0.05
    h = Households.empty(
        n,
        disposition=rng.random(n),
        contact=np.where(acting, rng.random(n), 0.0),
        dialogue=np.where(rng.random(n) < 0.05, rng.random(n), 0.0),
    )
    home = rng.random(n) < 0.3
    up = (p.contact_gain * h.contact + p.dialogue_gain * h.dialogue) * ~home
    expected = (h.disposition + up * (1 - h.disposition)).clip(0, 1)
    change_dispositions(h, home, p)
    assert same_bits(h.disposition, expected)
    held = rng.random(n) < 0.5
    r = Returnees.empty(
        n,
        business_asset=np.where(held, rng.random(n) * 500, 0.0),
        asset_age=np.where(held, rng.integers(0, 60, n).astype(float), 0.0),
    )
    for shape in (1.0, 2.0, 3.5):
        p.asset_wear_shape = shape
        worn = r.business_asset * (1 - wear(r.asset_age, p))
        age = np.where(worn > 0, r.asset_age + 1, 0.0)
        wear_assets(r, p)
        assert same_bits(r.business_asset, worn) and same_bits(r.asset_age, age)
