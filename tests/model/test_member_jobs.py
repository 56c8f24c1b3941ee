"""A joint activity employs its members (issue 21, seed 003 s.4.2's link): its work jobs go to
the households taking part, returnees' and non-migrants' in the package's proportions, and
returnees join as the needs assessment ranks them; the plan counts only the jobs returnees
in need can expect. Hand-made villages: one village, 60 households, 40 of them non-migrant
workers in the village's 40 jobs (none open), 20 returnees in households 0-19, jobless."""

import numpy as np
import pytest

from agents.state import Communities, Households, Returnees, Structure, World
from model.mechanisms.delivery import enrol, give_community
from model.mechanisms.livelihoods import work
from model.plan import CommunityDelivery, job_coverage
from model.support import load_packages
from tests.model.handmade import ring

N_HOUSEHOLDS, N_RETURNEES, IN_NEED = 60, 20, 10


def village(p):
    """Returnees 0-9 in economic need (no savings), 10-19 not (savings, no debt)."""
    savings = [0.0] * IN_NEED + [10 * p.savings_need_usd] * (N_RETURNEES - IN_NEED)
    r = Returnees.empty(
        N_RETURNEES,
        household=np.arange(N_RETURNEES),
        arrived=[True] * N_RETURNEES,
        skill=[0.5] * N_RETURNEES,
        acceptance=[1.0] * N_RETURNEES,
        savings=savings,
    )
    c = Communities.empty(
        1,
        households=[float(N_HOUSEHOLDS)],
        residents=[5.0 * N_HOUSEHOLDS],
        jobs_base=[40.0],
        nonmigrant_employed=[40.0],
    )
    h = Households.empty(N_HOUSEHOLDS, enrol_order=np.linspace(0, 1, N_HOUSEHOLDS))
    return World(r, h, c, Structure(residents=1.0), ring(N_HOUSEHOLDS))


def test_returnees_in_economic_need_join_an_activity_first(p):
    """Guards: returnees' households used to join in a fixed random order, whatever their
    need; now those the assessment finds in economic need come first."""
    world = village(p)
    taking_part = enrol(world, np.array([10.0]), p)
    returnee_members = np.flatnonzero(taking_part[:N_RETURNEES])
    assert len(returnee_members) == 5
    assert (returnee_members < IN_NEED).all()
    assert taking_part[N_RETURNEES:].sum() == 5


def test_planned_together_the_activity_takes_in_need_the_grants_leave_first(p):
    """Guards: with the levels planned together, an activity used to enrol households in need
    whether or not the plan already gave their returnee a grant, so the same families got
    both and others in need neither. Now those the plan's grants leave come first; the
    individually supported in need still come before those not in need."""
    world = village(p)
    granted = np.zeros(N_HOUSEHOLDS, dtype=bool)
    granted[:4] = True  # returnees 0-3: in need, a grant planned
    taking_part = enrol(world, np.array([16.0]), p, granted)[:N_RETURNEES]
    assert len(np.flatnonzero(taking_part)) == 8
    assert taking_part[4:IN_NEED].all()  # the 6 in need without a grant
    assert taking_part[:4].sum() == 2  # then the granted in need ...
    assert not taking_part[IN_NEED:].any()  # ... before anyone not in need


def test_members_get_the_activity_jobs_and_a_jobless_neighbour_does_not(p):
    """Guards: an activity's work jobs used to join the village's open jobs and go to any
    seeker. Now its returnee members hold their households' part of them (rounded); a jobless
    returnee who is not a member gets none, since no other job is open."""
    p.separation_rate = 0.0  # no job opens in the market: only the activity's
    world = village(p)
    pkg = load_packages()["joint_income_activity"]
    give_community(world, np.array([1]), pkg, 0, p)
    r, h = world.returnees, world.households
    member = h.member_until[r.household] > 0
    assert member.sum() == pytest.approx(pkg.effects.participants_per_unit * 0.5, abs=1)
    assert member[:IN_NEED].all()  # the need first
    work(world, p, np.random.default_rng(0))
    places = pkg.work_jobs(p.wage_usd) * member.sum() / pkg.effects.participants_per_unit
    assert r.member_job.sum() == np.floor(places + 0.5) > 0
    assert (r.employed == r.member_job).all()
    assert not r.employed[~member].any()


def test_member_jobs_end_with_the_works(p):
    """When the activity's work ends, its members' jobs end with it."""
    p.separation_rate = 0.0
    world = village(p)
    pkg = load_packages()["joint_income_activity"]
    give_community(world, np.array([1]), pkg, 0, p)
    work(world, p, np.random.default_rng(0))
    assert world.returnees.member_job.any()
    world.month = pkg.effects.work_months
    work(world, p, np.random.default_rng(0))
    assert not world.returnees.member_job.any()


def test_the_plan_counts_only_the_jobs_returnees_in_need_can_expect(p):
    """Guards: coverage used to count every job a project opened against the returnees in
    need, as if all were theirs. Now an activity's work jobs count for the returnees' share of
    its members, and where no local is jobless the jobs open to the village count in full."""
    world = village(p)
    pkg = load_packages()["joint_income_activity"]
    project = [CommunityDelivery(pkg, np.array([1]), 0)]
    months = p.programme_months = 48  # the works' 24 months, then the asset's jobs
    every = pkg.mean_jobs(p.wage_usd, p.business_return, months) / IN_NEED
    members = pkg.work_jobs(p.wage_usd) * min(pkg.effects.work_months, months) / months
    world.communities.job_availability[:] = 1.0  # nobody else seeks work
    shares = []
    for share in (0.0, 0.5, 1.0):
        p.returnee_member_share = share
        shares.append(job_coverage(project, world.returnees, world.communities, p)[0])
    assert shares[2] == pytest.approx(min(1.0, every))
    assert shares[1] - shares[0] == pytest.approx(0.5 * members / IN_NEED)
    world.communities.job_availability[:] = 0.0  # 60 jobless locals compete for the rest
    p.returnee_member_share = 0.5
    assert job_coverage(project, world.returnees, world.communities, p)[0] < shares[1]
