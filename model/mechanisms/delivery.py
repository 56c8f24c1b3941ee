"""Support delivery: the month's packages reach returnees, communities and institutions.

The plan (:mod:`model.support`) says who gets what and when; this turns each package's
effects into changes of state and books its cost. What returnees receive in cash or goods is
visible to their neighbours; what communities and institutions receive reaches everyone.
"""

import numpy as np

from model.mechanisms import structural


def deliver(world, plan, p) -> None:
    month = world.month
    for d in plan.individual:
        due = d.recipients[d.month == month]
        if len(due):
            give_individual(world.returnees, due, d.package.effects)
            _book(world, d.package.name, d.unit_cost * len(due))
    for d in plan.community:
        if d.month == month and d.units.any():
            give_community(world, d.units, d.package.effects, month)
            world.communities.shared_benefit += (
                d.units * d.package.unit_cost / world.communities.households
            )
            _book(world, d.package.name, d.package.unit_cost * d.units.sum())
    for d in plan.structural:
        if month < d.months:
            give_structural(world, d.monthly_tranche, d.package.effects)
            _book(world, d.package.name, d.monthly_tranche)
    end_activities(world)


def give_individual(r, idx: np.ndarray, e) -> None:
    r.cash[idx] += e.cash_usd
    r.business_asset[idx] += e.business_asset_usd
    r.skill[idx] = np.minimum(1.0, r.skill[idx] + e.skill_gain)
    r.counselling_left[idx] = np.maximum(r.counselling_left[idx], e.counselling_months)
    r.case_left[idx] = np.maximum(r.case_left[idx], e.case_management_months)
    r.referred[idx] |= bool(e.referral)
    r.visible_aid[idx] += e.cash_usd + e.business_asset_usd


def give_community(world, units: np.ndarray, e, month: int) -> None:
    c = world.communities
    jobs = units * e.jobs_per_household * c.households
    if e.jobs_months:
        world.temporary_jobs.append((jobs, month + e.jobs_months, e.jobs_kept_share))
    else:
        c.jobs_added += jobs * e.jobs_kept_share
    got = units > 0
    until = month + e.effect_months
    for level, end, value in (
        (c.contact, c.contact_until, e.contact),
        (c.dialogue, c.dialogue_until, e.dialogue),
    ):
        if value:
            level[got] = np.maximum(level[got], value)
            end[got] = np.maximum(end[got], until)
    c.service_capacity += units * e.services_per_resident


def give_structural(world, usd: float, e) -> None:
    weights = {"service": e.service_strength, "employment": e.employment_strength}
    total = sum(weights.values())
    for kind, w in weights.items():
        if w:
            structural.invest(world.structure, kind, usd * w / total)
    world.communities.shared_benefit += usd / world.households.n


def end_activities(world) -> None:
    """Joint activities end (keeping some jobs); contact and dialogue stop acting."""
    c, month = world.communities, world.month
    running = []
    for jobs, end, kept in world.temporary_jobs:
        if month >= end:
            c.jobs_added += jobs * kept
        else:
            running.append((jobs, end, kept))
    world.temporary_jobs = running
    c.jobs_temporary = sum((j for j, _, _ in running), np.zeros(c.n))
    c.contact[month >= c.contact_until] = 0.0
    c.dialogue[month >= c.dialogue_until] = 0.0


def _book(world, package: str, usd: float) -> None:
    world.spent[package] = world.spent.get(package, 0.0) + float(usd)
