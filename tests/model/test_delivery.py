"""Delivery that costs what it builds (issue 21).

Item 1: a community package opens the jobs its money pays for (wages over months of work, then
the jobs its asset sustains, wearing out), the same number in a village of any size; so
regrouping the same households into fewer, larger villages changes little of what community
support buys. Hand-made villages first, then whole paired runs.
"""

import numpy as np
import pytest

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms import shocks
from model.mechanisms.delivery import end_activities, give_community
from model.plan import job_coverage, plan_programme
from model.run import run
from model.support import Strategy, load_packages
from tests.model.handmade import assert_received_adds_up, ring


def village(n_households):
    c = Communities.empty(
        1,
        households=[float(n_households)],
        residents=[5.0 * n_households],
        jobs_base=[0.8 * n_households],
        service_capacity=[1.0],
    )
    h = Households.empty(n_households, enrol_order=np.linspace(0, 1, n_households))
    return World(Returnees.empty(0), h, c, Structure(residents=1.0), ring(n_households))


def jobs_over(world, pkg, p, months):
    """Jobs the package's unit adds to the village, month by month from its delivery."""
    give_community(world, np.array([1]), pkg, 0, p)
    added = []
    for month in range(months):
        world.month = month
        end_activities(world, p)
        c = world.communities
        added.append(float(c.jobs_temporary[0] + c.jobs_added[0]))
    return np.array(added)


@pytest.mark.parametrize("name", ["joint_income_activity", "small_infrastructure"])
def test_a_unit_opens_the_same_jobs_in_a_small_and_a_large_village(name, p):
    """Guards: jobs used to be a share of the village's households, so one 40,000 USD
    activity opened 9.8 jobs in a village of 150 households and 33 in one of 500."""
    pkg = load_packages()[name]
    small = jobs_over(village(150), pkg, p, 60)
    large = jobs_over(village(500), pkg, p, 60)
    np.testing.assert_allclose(small, large)
    assert small[0] == pytest.approx(pkg.work_jobs(p.wage_usd))


def test_jobs_follow_the_wage_bill_then_the_asset_which_wears_out(p):
    """While the works run, the unit pays cost x labour share / wage / months jobs; then its
    asset sustains fewer, and they wear out; a dearer wage buys fewer jobs."""
    pkg = load_packages()["small_infrastructure"]
    e = pkg.effects
    jobs = jobs_over(village(150), pkg, p, 48)
    assert jobs[: e.work_months] == pytest.approx(
        pkg.unit_cost * e.labour_share / (p.wage_usd * e.work_months)
    )
    lasting = jobs[e.work_months :]
    assert lasting[0] == pytest.approx(pkg.asset_jobs(p.wage_usd, p.business_return))
    assert (np.diff(lasting) < 0).all()
    assert lasting[12] == pytest.approx(lasting[0] * (1 - e.asset_decay) ** 12)
    assert pkg.work_jobs(2 * p.wage_usd) == pytest.approx(pkg.work_jobs(p.wage_usd) / 2)


def test_infrastructure_serves_a_fixed_number_of_residents(p):
    """Guards: services used to be added per resident, so a larger village got more of them
    from the same unit."""
    pkg = load_packages()["small_infrastructure"]
    served = []
    for size in (150, 500):
        world = village(size)
        before = world.communities.service_capacity * world.communities.residents
        give_community(world, np.array([1]), pkg, 0, p)
        after = world.communities.service_capacity * world.communities.residents
        served.append(float(after[0] - before[0]))
    assert served == pytest.approx([pkg.effects.service_users] * 2)


@pytest.mark.parametrize("concentration", [0.0, 1.0])
def test_regrouping_the_same_households_changes_what_community_support_buys_little(
    paired, concentration
):
    """The artefact of issue 21: the same 3,000 households of default in 6 villages of 500
    instead of 20 of 150. Jobs scaled with village size at a fixed cost lifted community
    support from +7.4 to +15.0 points over none (10 seeds).

    With returns spread evenly, only the villages' size changes: what community support buys
    must stay within a third. With returns clustered (Zipf 1, the default), regrouping also
    piles more returnees into the first villages (about 41% of them in the first of 6 against
    28% in the first of 20), where a project of fixed size now meets more of them: support may
    buy less there (a mechanism, docs/evidence.md), but never a third more, which is what the
    artefact did."""
    seeds = range(5)

    def points(**layout):
        runs = paired(["none", "community"], seeds, 24, return_concentration=concentration,
                      **layout)  # fmt: skip
        share = {s: np.array([r.summary["share_sustainable_m24"] for r in runs[s]]) for s in runs}
        return float((share["community"] - share["none"]).mean())

    default = points()
    regrouped = points(n_communities=6, households_per_community=500)
    assert default > 0
    if concentration == 0:
        assert abs(regrouped - default) <= default / 3
    else:
        assert regrouped - default <= default / 3


# -- item 2: coordination weighs coverage; who received what -------------------------------


def two_villages(p, in_project_village):
    """A village with many returnees in heavy need (and so a joint activity) and one with two
    returnees in mild need; money for two business packages."""
    n = in_project_village + 2
    heavy = p.heavy_debt_months * p.monthly_need_usd
    r = Returnees.empty(
        n,
        community=[0] * in_project_village + [1, 1],
        household=list(range(n)),
        savings=[0.0] * in_project_village + [0.5 * p.savings_need_usd] * 2,
        debt=[heavy] * in_project_village + [0.0, 0.0],
    )
    c = Communities.empty(
        2, households=[150.0, 150.0], jobs_base=[100.0] * 2, expected_returnees=[n - 2.0, 2.0]
    )
    h = Households.empty(n, community=r.community.copy())
    return World(r, h, c, Structure(residents=1.0), ring(n))


@pytest.mark.parametrize("crowd, to_project_village", [(40, True), (3, False)])
def test_economic_packages_go_to_the_need_community_jobs_leave(p, crowd, to_project_village):
    """Guards: any unit of a job project used to send every economic package elsewhere first.
    Where one project's few jobs meet a crowd in heavy need, the grants go there; where its
    jobs cover the few in need, they go to the other village."""
    packages = load_packages()
    world = two_villages(p, crowd)
    p.budget, p.programme_months, p.community_critical_mass = 100_000.0, 24, 2
    unit = packages["business_support"].unit_cost + p.needs_assessment_cost
    shares = {"joint_income_activity": 0.4, "business_support": 2 * unit / p.budget}
    plan = plan_programme(Strategy(name="mix", shares=shares), packages, world, p)
    assert plan.community[0].units.tolist() == [1, 0]
    covered = job_coverage(plan.community, world.returnees, world.communities, p)
    assert covered[1] == 0 and (covered[0] < 0.2) == to_project_village
    homes = world.returnees.community[plan.individual[0].recipients]
    assert (homes == 0).all() == to_project_village and (homes == 1).all() != to_project_village


def equal_need(project_village, other_village):
    """Two villages of empty-handed returnees, all in the same need (as in YOP's youth
    groups): one that gets a joint activity, one without."""
    n = project_village + other_village
    r = Returnees.empty(
        n,
        community=[0] * project_village + [1] * other_village,
        household=list(range(n)),
        savings=[0.0] * n,
    )
    c = Communities.empty(
        2,
        households=[150.0, 150.0],
        jobs_base=[100.0] * 2,
        expected_returnees=[float(project_village), float(other_village)],
    )
    h = Households.empty(n, community=r.community.copy())
    return World(r, h, c, Structure(residents=1.0), ring(n))


def test_with_equal_need_a_village_with_a_small_project_gets_grants_for_the_need_it_leaves(p):
    """Guards the plan's key: it used to put every returnee of a village with any project
    behind every returnee elsewhere, so with equal need everywhere such a village got no
    grant at all. Its remaining need (those in need less the jobs they can expect) shares
    the grants with the other village's need, in proportion."""
    packages = load_packages()
    world = equal_need(60, 40)
    p.budget, p.programme_months, p.community_critical_mass = 200_000.0, 24, 50
    unit = packages["business_support"].unit_cost + p.needs_assessment_cost
    grants = 30
    shares = {"joint_income_activity": 0.2, "business_support": grants * unit / p.budget}
    plan = plan_programme(Strategy(name="mix", shares=shares), packages, world, p)
    assert plan.community[0].units.tolist()[1] == 0 and plan.community[0].units[0] > 0
    jobs = job_coverage(plan.community, world.returnees, world.communities, p)[0] * 60
    assert 0 < jobs < 60
    homes = world.returnees.community[plan.individual[0].recipients]
    assert len(homes) == grants
    expected = grants * (60 - jobs) / (60 - jobs + 40)
    assert abs((homes == 0).sum() - expected) <= 1


def test_a_run_says_who_received_what():
    """Per returnee, the units of each individual package; per community, of each community
    package; and they add up to what the plan's allocations report."""
    result = run("default", "integrated", 0, 3)
    assert_received_adds_up(result)
    received = result.received
    assert (received[received.level == "community"].returnee == -1).all()


# -- item 6: shocks that hit a region at once, and works that protect against them ----------


def many_villages(n):
    c = Communities.empty(n, households=[150.0] * n, jobs_base=[120.0] * n)
    return World(Returnees.empty(0), Households.empty(0), c, Structure(residents=1.0), ring(3))


def test_a_regional_shock_hits_every_village_at_once(p):
    """Village shocks are independent draws; a regional one (a drought) strikes all of them
    in the same month. Off by default."""
    p.community_shock_rate, p.regional_shock_rate = 0.0, 1.0
    world = many_villages(5)
    shocks.strike(world, p, np.random.default_rng(0))
    assert (world.communities.jobs_temporary == -p.community_shock_job_loss * 120.0).all()
    p.regional_shock_rate = 0.0
    calm = many_villages(5)
    shocks.strike(calm, p, np.random.default_rng(0))
    assert (calm.communities.jobs_temporary == 0).all()


def test_small_infrastructure_keeps_jobs_through_a_shock_in_any_village(p):
    """Guards: no package reduced exposure to shocks. A unit keeps the same number of jobs
    from a shock in a village of 150 and one of 500."""
    pkg = load_packages()["small_infrastructure"]
    p.community_shock_rate = 1.0
    lost = {}
    for size in (150, 500):
        for units in (0, 1):
            world = village(size)
            give_community(world, np.array([units]), pkg, 0, p)
            world.communities.jobs_temporary[:] = 0.0
            shocks.strike(world, p, np.random.default_rng(0))
            lost[size, units] = -float(world.communities.jobs_temporary[0])
    kept = pkg.effects.shock_protected_jobs
    assert lost[150, 0] - lost[150, 1] == pytest.approx(kept)
    assert lost[500, 0] - lost[500, 1] == pytest.approx(kept)
