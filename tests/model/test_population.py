"""Initialisation: populations, networks and the delivery plan."""

from types import SimpleNamespace

import numpy as np
import pytest

from model.model import ReintegrationModel
from model.networks import household_ties, tie_matrix, to_networkx
from model.parameters import DEFAULTS
from model.plan import plan_programme
from model.population import build_world
from model.support import load_packages, load_strategies


def params(**overrides):
    return SimpleNamespace(**{**DEFAULTS, **overrides})


def test_every_returnee_is_placed_within_household_room():
    p = params(
        n_returnees=2000,
        n_communities=5,
        households_per_community=200,
        max_returnees_per_household=2,
        return_concentration=3.0,
    )
    w = build_world(p, np.random.default_rng(3))
    assert w.returnees.n == 2000
    per_household = np.bincount(w.returnees.household, minlength=w.households.n)
    assert per_household.max() <= 2
    assert (w.households.community[w.returnees.household] == w.returnees.community).all()
    assert (w.returnees.arrival_month < p.arrival_months).all()


def test_places_are_drawn_at_random_within_each_village():
    """Guards the draw one village at a time (issue 26): each village's returnees fill places
    across all its households, not its first ones, and come in no order of village."""
    p = params(n_returnees=600, n_communities=3, households_per_community=100,
               max_returnees_per_household=3, return_concentration=0.0)  # fmt: skip
    r = build_world(p, np.random.default_rng(4)).returnees
    local = r.household - r.community * 100
    for c in range(3):
        here = local[r.community == c]
        assert here.min() < 10 and here.max() >= 90
        assert abs(here.mean() - 49.5) < 10
    assert (np.diff(r.community) < 0).any()  # shuffled, not village after village


def test_concentration_sends_returns_to_few_places():
    def top_share(concentration):
        p = params(
            n_returnees=3000,
            n_communities=30,
            households_per_community=1000,
            return_concentration=concentration,
        )
        counts = np.bincount(build_world(p, np.random.default_rng(0)).returnees.community)
        return np.sort(counts)[-3:].sum() / counts.sum()

    assert top_share(0.0) < 0.2 < 0.5 < top_share(2.0)


def test_ties_are_symmetric_clustered_and_mostly_within_communities():
    p = params(ties_within_community=6, tie_rewiring=0.0, ties_between_communities=0.05)
    community = np.repeat(np.arange(4), 50)
    a = tie_matrix(community, p, np.random.default_rng(1))
    assert (a != a.T).nnz == 0
    assert a.diagonal().sum() == 0
    rows, cols = a.nonzero()
    assert (community[rows] == community[cols]).mean() > 0.9
    degree = np.asarray(a.sum(axis=1)).ravel()
    assert np.median(degree) == 6


def test_a_household_hears_its_neighbours_mean_and_one_alone_keeps_its_own():
    """The row-normalised ties, scaled in place (issue 26): ``ties @ x`` is the mean over each
    household's ties; a household without any (a village too small for the lattice) is its
    own neighbour."""
    p = params(ties_within_community=2, tie_rewiring=0.0, ties_between_communities=0.0)
    community = np.array([0, 0, 0, 1, 2, 2])
    a = tie_matrix(community, p, np.random.default_rng(1))
    ties = household_ties(community, p, np.random.default_rng(1))
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0])
    heard = ties @ x
    assert heard[:3].tolist() == [3.0, 2.5, 1.5]  # the ring of three: the other two's mean
    assert heard[3:].tolist() == x[3:].tolist()  # no ties: its own value
    assert np.asarray(a.sum(axis=1)).ravel().tolist() == [2, 2, 2, 0, 0, 0]
    np.testing.assert_allclose(np.asarray(ties.sum(axis=1)).ravel(), 1.0)


def test_networkx_view_samples_and_says_so():
    m = ReintegrationModel(rng=1, n_returnees=200, n_communities=4, create_agents=False)
    for _ in range(3):
        m.step()
    full = to_networkx(m.world)
    assert not full.graph["sampled"]
    assert (
        sum(1 for _, d in full.nodes(data=True) if d["kind"] == "returnee")
        == m.world.returnees.arrived.sum()
    )
    small = to_networkx(m.world, max_households=100)
    assert small.graph["sampled"]
    assert sum(1 for _, d in small.nodes(data=True) if d["kind"] == "household") == 100
    shown = {d["community"] for _, d in small.nodes(data=True)}
    busiest = int(np.argmax(m.world.communities.expected_returnees))
    assert shown == {busiest}  # the sample shows where most returnees go


@pytest.mark.parametrize(
    "strategy", ["none", "individual", "community", "structural", "integrated"]
)
def test_plan_never_commits_more_than_the_budget(strategy):
    p = params(budget=123_456.0)
    w = build_world(p, np.random.default_rng(5))
    packages = load_packages()
    plan = plan_programme(load_strategies(packages)[strategy], packages, w, p)
    assert plan.committed <= p.budget
    if strategy == "none":
        assert plan.committed == 0


def test_needs_assessment_gives_each_package_to_those_who_need_it():
    p = params()
    w = build_world(p, np.random.default_rng(2))
    packages = load_packages()
    plan = plan_programme(load_strategies(packages)["individual"], packages, w, p)
    counselling = next(d for d in plan.individual if d.package.name == "counselling")
    assert len(counselling.recipients) > 0
    assert (w.returnees.distress[counselling.recipients] > 0.2).all()


def test_agents_are_handles_onto_the_state_arrays():
    m = ReintegrationModel(rng=4, n_returnees=50, n_communities=2)
    for _ in range(m.p.arrival_months):
        m.step()
    r = m.returnees_list[7]
    assert r.economic == pytest.approx(m.world.returnees.economic[7])
    r.skill = 0.99
    assert m.world.returnees.skill[7] == pytest.approx(0.99)
    assert r.household.index == m.world.returnees.household[7]
    assert len(m.agents_by_type[type(r)]) == 50
    family = r.household
    assert family.repayment_expected == pytest.approx(
        m.world.returnees.debt[m.world.returnees.household == family.index].sum()
    )
    assert r.community.attitude == pytest.approx(
        m.world.households.acceptance[m.world.households.community == r.community.index].mean()
    )


def test_family_disappointment_lowers_the_disposition_not_todays_acceptance():
    """Arrivals lower their families' own view of returnees; acceptance follows it only as
    the month's stigma update lets it drift, the same in month 0 as later (each state field is
    an array of its own from the build on)."""
    from model.mechanisms.arrivals import arrive

    p = params(share_empty_handed=1.0)
    world = build_world(p, np.random.default_rng(3))
    h = world.households
    before = h.acceptance.copy()
    world.month = int(world.returnees.arrival_month.min())
    new = arrive(world, p)
    homes = np.unique(world.returnees.household[new])
    assert len(homes) > 0
    assert (h.disposition[homes] < before[homes]).any()
    np.testing.assert_array_equal(h.acceptance, before)
