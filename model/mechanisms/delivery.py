"""Support delivery: the month's packages reach returnees, communities and institutions.

The plan (:mod:`model.support`) says who gets what and when; this turns each package's
effects into changes of state and books its cost. A service the returnee must go to
(``attended``: a partner's counselling, services referred to) acts only if they go
(:func:`take_up`): distance and cost keep some away, distress and stigma more (003 s.2).
What returnees receive in cash or goods is visible to their neighbours. A community package
is as large as its money, whatever the village's size: it pays ``labour_share`` of its cost
in wages over ``work_months`` (jobs = cost x labour share / wage / months), then leaves an
asset (``capital_share`` of the cost) that sustains the jobs its return pays for, wearing
out at ``asset_decay`` a month; it serves ``service_users`` residents' needs and keeps
``shock_protected_jobs`` from a community shock; contact and dialogue reach the households
taking part (``participants_per_unit`` a unit), fading after the activity ends; structural
work builds the institutions of the whole region the villages belong to
(:mod:`model.mechanisms.structural`), and neighbours see the villages' share of its money as
help for everyone.
"""

import numpy as np

from agents.state import Households, Returnees, World
from model.mechanisms import returnee_homes, structural, village_means
from model.mechanisms.livelihoods import add_assets, pick
from model.parameters import Parameters
from model.plan import MET_BY_JOBS, Plan, Referrals, needs
from model.support import Effects, Package

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.households", "communities.residents", "communities.service_capacity",
    "communities.shared_benefit", "communities.shock_protected_jobs", "households.community",
    "households.contact", "households.contact_until", "households.dialogue",
    "households.dialogue_until", "households.enrol_order", "households.member_jobs",
    "households.member_until", "returnees.arrived", "returnees.asset_age", "returnees.assets_given",
    "returnees.business_asset", "returnees.case_left", "returnees.cash",
    "returnees.counselling_left", "returnees.debt", "returnees.distress", "returnees.household",
    "returnees.minor", "returnees.referred", "returnees.savings", "returnees.school_support_left",
    "returnees.skill", "returnees.stigma", "returnees.visible_aid", "structure.pending",
    "structure.residents", "world.assets", "world.month", "world.products", "world.spent",
    "world.temporary_jobs",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.contact", "communities.dialogue", "communities.jobs_added",
    "communities.jobs_temporary", "communities.service_capacity", "communities.shared_benefit",
    "communities.shock_protected_jobs", "households.contact", "households.contact_until",
    "households.dialogue", "households.dialogue_until", "households.member_jobs",
    "households.member_until", "returnees.asset_age", "returnees.assets_given",
    "returnees.business_asset",
    "returnees.case_left", "returnees.cash", "returnees.counselling_left", "returnees.referred",
    "returnees.skill", "returnees.visible_aid", "structure.pending", "world.assets",
    "world.products", "world.spent", "world.temporary_jobs",
)  # fmt: skip


def deliver(world: World, plan: Plan, p: Parameters) -> None:
    month = world.month
    for d in plan.individual:
        now = d.month == month
        due = d.recipients[now]
        if d.package.attended:
            due = take_up(world.returnees, plan.referrals, d.package.name, due, p)
        if len(due):
            give_individual(world.returnees, due, d.package.effects)
        if now.any():
            _book(world, d.package.name, d.cost[now].sum())
    for c in plan.community:
        if c.month == month and c.units.any():
            give_community(world, c.units, c.package, month, p, granted(world, plan))
            world.communities.shared_benefit += (
                c.units * c.package.unit_cost / world.communities.households
            )
            _book(world, c.package.name, c.package.unit_cost * c.units.sum())
    for s in plan.structural:
        if month < s.months:
            give_structural(world, s.monthly_tranche, s.package.effects, p)
            _book(world, s.package.name, s.monthly_tranche)
    end_activities(world, p)


def take_up(
    r: Returnees, referrals: Referrals, name: str, due: np.ndarray, p: Parameters
) -> np.ndarray:
    """Those referred to a partner's service this month (``due``, and whoever a case review
    re-referred) who go: each with chance ``referral_uptake``, less with distress and stigma
    (:func:`uptake_chance`). The others hold a referral not taken up, which does nothing until
    a case worker follows it up; the partner's place is paid for either way (booked)."""
    again = referrals.renewed.pop(name, None)
    if again is not None:
        due = np.concatenate([due, np.flatnonzero(again)])
    if not len(due):
        return due  # no one referred this month (most months): nothing to draw
    due = np.unique(due[r.arrived[due]])  # each returnee once
    if not len(due):
        return due
    taken = referrals.draw(due) < uptake_chance(r, due, p)
    referrals.holding(name)[due] = ~taken
    return due[taken]


def uptake_chance(r: Returnees, idx: np.ndarray, p: Parameters) -> np.ndarray:
    """Chance that each of ``idx`` goes to a service referred to: what getting there costs
    keeps some away (``referral_uptake``), distress and stigma more."""
    distress = 1 - p.uptake_distress_barrier * r.distress[idx]
    stigma = 1 - p.uptake_stigma_barrier * r.stigma[idx]
    return p.referral_uptake * distress * stigma


def give_individual(r: Returnees, idx: np.ndarray, e: Effects) -> None:
    """A package reaches those of its recipients still here: a returnee who left again
    cannot receive it (what was planned for them is still booked: the programme paid)."""
    idx = idx[r.arrived[idx]]
    r.cash[idx] += e.cash_usd
    if e.business_asset_usd > 0:
        bought = np.zeros(r.n)
        bought[idx] = e.business_asset_usd
        add_assets(r, bought)
        r.assets_given[idx] += e.business_asset_usd
    r.debt[idx] = np.maximum(0.0, r.debt[idx] - e.debt_relief_usd)  # paid to the creditors
    r.skill[idx] = np.minimum(1.0, r.skill[idx] + e.skill_gain)
    r.counselling_left[idx] = np.maximum(r.counselling_left[idx], e.counselling_months)
    r.case_left[idx] = np.maximum(r.case_left[idx], e.case_management_months)
    r.school_support_left[idx] = np.maximum(r.school_support_left[idx], e.school_support_months)
    r.referred[idx] |= bool(e.referral)
    r.visible_aid[idx] += e.visible_usd


def granted(world: World, plan: Plan) -> np.ndarray:
    """Per household: whether the plan, planning its levels together (``needs`` targeting),
    has committed a package for economic need to one of its returnees. Planned apart, the
    projects do not know who the grants reach: no household counts as granted."""
    covered = np.zeros(world.households.n, dtype=bool)
    if plan.strategy.targeting == "needs":
        for d in plan.individual:
            if d.package.eligible == MET_BY_JOBS:
                covered[world.returnees.household[d.recipients]] = True
    return covered


def give_community(
    world: World,
    units: np.ndarray,
    pkg: Package,
    month: int,
    p: Parameters,
    granted: np.ndarray | None = None,
) -> None:
    """Jobs and services for the whole village, as many as the units' money buys; contact and
    dialogue for those taking part. An activity with members (``participants_per_unit``)
    employs them in its works (:func:`hold_member_jobs`); works without members hire in the
    village's labour market. ``granted``: the households whose returnee the plan already
    gives a package for economic need (:func:`granted`)."""
    c, e = world.communities, pkg.effects
    work_ends = month + e.work_months
    work = units * pkg.work_jobs(p.wage_usd)
    if work.any():
        world.temporary_jobs.append((work, work_ends))
    if e.capital_share:
        asset = units * pkg.asset_jobs(p.wage_usd, p.business_return)
        world.assets.append((asset, work_ends, e.asset_decay))
    if e.participants_per_unit:
        taking_part = enrol(world, units * e.participants_per_unit, p, granted)
        if work.any():
            hold_member_jobs(world.households, taking_part, work, work_ends)
        take_part(world, taking_part, e, month + e.effect_months)
    c.service_capacity += units * e.service_users / np.maximum(c.residents, 1.0)
    c.shock_protected_jobs += units * e.shock_protected_jobs


def take_part(world: World, taking_part: np.ndarray, e: Effects, until: int) -> None:
    """Contact and dialogue reach the households taking part, until the activity ends."""
    h = world.households
    for level, end, value in (
        (h.contact, h.contact_until, e.contact),
        (h.dialogue, h.dialogue_until, e.dialogue),
    ):
        if value:
            level[taking_part] = np.maximum(level[taking_part], value)
            end[taking_part] = np.maximum(end[taking_part], until)
    if e.contact or e.dialogue:
        village_intensity(world)


def hold_member_jobs(h: Households, members: np.ndarray, work: np.ndarray, until: int) -> None:
    """An activity's work jobs are its members' (003 s.4.2: activities "linking individual
    returnees with non-migrant populations"): each member household holds an equal part of
    its village's new jobs until the work ends (a household in two activities holds both
    parts until the later ends). Who of it works is :mod:`model.mechanisms.livelihoods`."""
    count = np.bincount(h.community[members], minlength=len(work))
    part = np.divide(work, count, out=np.zeros(len(work)), where=count > 0)
    h.member_jobs[members] += part[h.community[members]]
    h.member_until[members] = np.maximum(h.member_until[members], until)


def enrol(
    world: World, participants: np.ndarray, p: Parameters, granted: np.ndarray | None = None
) -> np.ndarray:
    """Households taking part, ``participants`` per community (rounded down): a share
    ``returnee_member_share`` from returnees' households (those arrived or expected), the rest
    from non-migrant households, the other group filling places one runs short of.

    Returnees' households join as the needs assessment ranks them: those with a returnee
    registered and in economic need first, and among them those the plan gives no package
    for economic need (``granted``: planned together, the assessment sends the activity's
    jobs to the need the grants leave, as it sends grants to the need the jobs leave,
    :func:`model.plan.remaining_need`); then the individually supported in need (the
    activity links them with their neighbours), then the others; within each group, and
    among non-migrant households, in a fixed random order drawn with the population, so
    that every strategy draws the same numbers for the same people."""
    h, c, r = world.households, world.communities, world.returnees
    returnee_home = returnee_homes(world)
    in_need = r.arrived & needs(r, p)[MET_BY_JOBS]
    home_in_need = np.bincount(r.household, weights=in_need, minlength=h.n) > 0
    homes = np.bincount(h.community, weights=returnee_home, minlength=c.n)
    others = c.households - homes
    wanted = np.floor(participants)
    from_returnees = np.minimum(np.ceil(wanted * p.returnee_member_share), homes)
    from_others = np.minimum(wanted - from_returnees, others)
    from_returnees = np.minimum(wanted - from_others, homes)
    covered = np.zeros(h.n, dtype=bool) if granted is None else granted
    first = (home_in_need * (2 - covered) + h.enrol_order) / 3
    return pick(returnee_home, first, h.community, from_returnees) | pick(
        ~returnee_home, h.enrol_order, h.community, from_others
    )


def village_intensity(world: World) -> None:
    """A village's contact and dialogue: its households' mean, so they scale with the share
    of households taking part."""
    h, c = world.households, world.communities
    c.contact, c.dialogue = village_means(world, [h.contact, h.dialogue])


def give_structural(world: World, usd: float, e: Effects, p: Parameters) -> None:
    """Structural money builds the region's services and employment support, all of it;
    the villages' share of it (by population) is the benefit their neighbours see."""
    weights = {"service": e.service_strength, "employment": e.employment_strength}
    total = sum(weights.values())
    for kind, w in weights.items():
        if w:
            structural.invest(world.structure, kind, usd * w / total)
    here = usd * structural.district_share(world.structure, p)
    world.communities.shared_benefit += here / world.households.n


def end_activities(world: World, p: Parameters) -> None:
    """Works and joint activities end (and their members' jobs), their assets take over and
    wear out; contact and dialogue fade in those who took part (Mousa 2020: still acting 6
    months later) instead of stopping dead."""
    c, h, month = world.communities, world.households, world.month
    world.temporary_jobs = [(jobs, end) for jobs, end in world.temporary_jobs if month < end]
    c.jobs_temporary = sum((jobs for jobs, _ in world.temporary_jobs), np.zeros(c.n))
    world.assets = [
        (jobs * (1 - decay) if month > start else jobs, start, decay)
        for jobs, start, decay in world.assets
    ]
    c.jobs_added = sum((jobs for jobs, start, _ in world.assets if month >= start), np.zeros(c.n))
    h.member_jobs[month >= h.member_until] = 0.0
    fade = 1 - p.activity_fade  # in place, no copy of the rows it fades
    np.multiply(h.contact, fade, out=h.contact, where=month >= h.contact_until)
    np.multiply(h.dialogue, fade, out=h.dialogue, where=month >= h.dialogue_until)
    village_intensity(world)


def _book(world: World, package: str, usd: float) -> None:
    world.spent[package] = world.spent.get(package, 0.0) + float(usd)
