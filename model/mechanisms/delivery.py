"""Support delivery: the month's packages reach returnees, communities and institutions.

The plan (:mod:`model.support`) says who gets what and when; this turns each package's
effects into changes of state and books its cost. What returnees receive in cash or goods is
visible to their neighbours; what communities and institutions receive reaches everyone.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import structural
from model.parameters import Parameters
from model.plan import Plan
from model.support import Effects


def deliver(world: World, plan: Plan, p: Parameters) -> None:
    month = world.month
    for d in plan.individual:
        due = d.recipients[d.month == month]
        if len(due):
            give_individual(world.returnees, due, d.package.effects)
            _book(world, d.package.name, d.unit_cost * len(due))
    for c in plan.community:
        if c.month == month and c.units.any():
            give_community(world, c.units, c.package.effects, month)
            world.communities.shared_benefit += (
                c.units * c.package.unit_cost / world.communities.households
            )
            _book(world, c.package.name, c.package.unit_cost * c.units.sum())
    for s in plan.structural:
        if month < s.months:
            give_structural(world, s.monthly_tranche, s.package.effects)
            _book(world, s.package.name, s.monthly_tranche)
    end_activities(world)


def give_individual(r: Returnees, idx: np.ndarray, e: Effects) -> None:
    """A package reaches those of its recipients still here: a returnee who left again
    cannot receive it (what was planned for them is still booked: the programme paid)."""
    idx = idx[r.arrived[idx]]
    r.cash[idx] += e.cash_usd
    r.business_asset[idx] += e.business_asset_usd
    r.skill[idx] = np.minimum(1.0, r.skill[idx] + e.skill_gain)
    r.counselling_left[idx] = np.maximum(r.counselling_left[idx], e.counselling_months)
    r.case_left[idx] = np.maximum(r.case_left[idx], e.case_management_months)
    r.referred[idx] |= bool(e.referral)
    r.visible_aid[idx] += e.cash_usd + e.business_asset_usd


def give_community(world: World, units: np.ndarray, e: Effects, month: int) -> None:
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


def give_structural(world: World, usd: float, e: Effects) -> None:
    weights = {"service": e.service_strength, "employment": e.employment_strength}
    total = sum(weights.values())
    for kind, w in weights.items():
        if w:
            structural.invest(world.structure, kind, usd * w / total)
    world.communities.shared_benefit += usd / world.households.n


def end_activities(world: World) -> None:
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


def _book(world: World, package: str, usd: float) -> None:
    world.spent[package] = world.spent.get(package, 0.0) + float(usd)
