"""How a budget becomes deliveries: the programme plan of one run.

:func:`plan_programme` turns a strategy, a budget and a population into a delivery plan that
never spends more than the budget: who gets which individual package and when (after a needs
assessment, when the strategy tailors its support), which communities get which community
package, and the monthly structural tranches. A returnee is assessed once, whatever number
of packages they receive: the first package that reaches them pays for the assessment.

Money a package cannot absorb is not moved to another package: a strategy's shares are the
planner's decision, and quietly re-allocating them would compare something else than what was
asked. Instead the plan keeps, per package, an :class:`Allocation`: the money the strategy
planned for it, the money the plan committed, and why any of it is left (every eligible
returnee is already served, returnees would be due after the programme ends, the rest is less
than one more indivisible unit, every community has the most units it may take). The part of
the budget a strategy's shares leave out is an allocation too, so the rows always add up to
the budget.

Under ``needs`` targeting the levels are planned together (:func:`plan_programme`): the jobs
community packages open count against the jobless returnees of their villages
(:func:`job_coverage`), economic individual packages go where the need they leave is, and
dialogue follows the programme's visible aid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from agents.state import Returnees, World
from model.parameters import Parameters
from model.support import Package, Strategy


@dataclass
class IndividualDelivery:
    """Which returnees receive one individual package, in which month, at what cost."""

    package: Package
    recipients: np.ndarray  # returnee indices
    month: np.ndarray  # delivery month for each recipient
    cost: np.ndarray  # USD for each recipient: the package, and their assessment if it pays it


@dataclass
class CommunityDelivery:
    package: Package
    units: np.ndarray  # units bought per community
    month: int


@dataclass
class StructuralDelivery:
    package: Package
    monthly_tranche: float
    months: int


Delivery = IndividualDelivery | CommunityDelivery

#: Why money is left, by cause (each reason a plain sentence for the report).
NOT_ALLOCATED = "not allocated: the strategy's shares add up to less than the whole budget"
ALL_SERVED = "no eligible returnee left: everyone the package may reach is served"
TOO_LATE = "some eligible returnees would be due only after the programme ends (month {month})"
INDIVISIBLE = "indivisible units: the rest is less than one more {unit} ({cost:,.0f} USD each)"
ALL_FULL = (
    "every community with enough returnees ({mass} or more expected) already has the most "
    "units it may take ({most})"
)
#: The need that jobs from community packages answer: packages for it are coordinated with them.
MET_BY_JOBS = "economic_need"
#: Column types of :meth:`Plan.received`, the same in every run (so tables concatenate).
RECEIVED_TYPES = {
    "package": str,
    "level": str,
    "returnee": np.int64,
    "community": np.int64,
    "units": np.int64,
    "month": np.int64,
}
#: Eligibility rules that name who a package is for, not a need found: they hold under any
#: targeting (a child-focused package never goes to an adult).
FOR_A_GROUP = ("minor",)
#: Left money below this (USD) is rounding, not a remainder worth a reason.
CENT = 0.01


@dataclass(frozen=True)
class Allocation:
    """One package's share of the budget: planned, committed by the plan, and why any is left."""

    package: str
    level: str
    planned: float
    committed: float
    reason: str = ""
    units: int = 0  # returnees served (individual) or units bought (community)
    places: int = 0  # communities reached: where the recipients live, or the units go

    @property
    def left(self) -> float:
        return self.planned - self.committed


@dataclass
class Plan:
    """A strategy turned into deliveries; its cost never exceeds the budget."""

    budget: float
    allocations: list[Allocation] = field(default_factory=list)
    individual: list[IndividualDelivery] = field(default_factory=list)
    community: list[CommunityDelivery] = field(default_factory=list)
    structural: list[StructuralDelivery] = field(default_factory=list)

    def received(self, communities: np.ndarray) -> pd.DataFrame:
        """Who received what: one row per returnee and individual package (``returnee``, their
        ``community``, ``units``), and per community and community package (``returnee`` -1:
        the whole village), with the month it is due. What was planned and paid for, also for
        a returnee who left before it came (``communities``: each returnee's)."""
        rows = [
            pd.DataFrame(
                {
                    "package": d.package.name,
                    "level": "individual",
                    "returnee": d.recipients,
                    "community": communities[d.recipients],
                    "units": 1,
                    "month": d.month,
                }
            )
            for d in self.individual
        ]
        for c in self.community:
            where = np.flatnonzero(c.units)
            rows.append(
                pd.DataFrame(
                    {
                        "package": c.package.name,
                        "level": "community",
                        "returnee": -1,
                        "community": where,
                        "units": c.units[where],
                        "month": c.month,
                    }
                )
            )
        columns = ["package", "level", "returnee", "community", "units", "month"]
        table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
        return table[columns].astype(RECEIVED_TYPES)

    @property
    def committed(self) -> float:
        return (
            sum(d.cost.sum() for d in self.individual)
            + sum(d.package.unit_cost * d.units.sum() for d in self.community)
            + sum(d.monthly_tranche * d.months for d in self.structural)
        )


def needs(returnees: Returnees, p: Parameters) -> dict[str, np.ndarray]:
    """What a needs assessment finds, per eligibility rule of the package catalogue."""
    return {
        "any": np.ones(returnees.n, dtype=bool),
        "economic_need": (returnees.savings < p.savings_need_usd) | (returnees.debt > 0),
        "in_debt": returnees.debt > 0,
        "low_skill": returnees.skill < p.low_skill_threshold,
        "distressed": returnees.distress > p.distress_threshold,
        "minor": returnees.minor,
    }


def severity(returnees: Returnees, p: Parameters) -> dict[str, np.ndarray]:
    """How severe each need is (0 and up), per eligibility rule: a tailored package goes
    first to those with most of the need it answers (the assessment ranks by what it finds,
    not by how a returnee came back). A package open to anyone ranks by the number of needs
    found, then distress."""
    found = needs(returnees, p)
    count = sum(found[k].astype(float) for k in ("economic_need", "low_skill", "distressed"))
    heavy_debt = p.heavy_debt_months * p.monthly_need_usd
    return {
        "any": count + returnees.distress,
        "economic_need": np.maximum(0.0, 1 - returnees.savings / max(p.savings_need_usd, 1.0))
        + np.minimum(1.0, returnees.debt / heavy_debt),
        "in_debt": returnees.debt / heavy_debt,
        "low_skill": np.maximum(0.0, p.low_skill_threshold - returnees.skill),
        "distressed": returnees.distress,
        "minor": returnees.distress,
    }


def plan_programme(
    strategy: Strategy, packages: dict[str, Package], world: World, params: Parameters
) -> Plan:
    """Turn a strategy and a budget into a delivery plan for this population.

    Under ``needs`` targeting the levels are planned together, because the assessment weighs
    community factors too (IOM 2017 s.4: support "based on a careful analysis of individual,
    community and structural factors to determine the level(s) of required intervention"):
    first the community packages that open jobs, where returns concentrate; then the
    individual packages, economic ones by the need those jobs leave (:func:`job_coverage`,
    :func:`_plan_individual`); then the other community packages, those that bring people
    together (dialogue, contact) where the programme's visible aid goes, since such
    initiatives "help address any feelings of resentment or hostility that a returning
    migrant may face ... for receiving assistance" (s.4.2), the rest by pressure. Planned
    apart, every community package goes by pressure alone."""
    coordinated = strategy.targeting == "needs"
    chosen = {n: packages[n] for n, share in strategy.shares.items() if share > 0}
    money = {n: params.budget * strategy.shares[n] for n in chosen}
    community: dict[str, tuple[CommunityDelivery, str]] = {}
    individual: dict[str, tuple[IndividualDelivery, str]] = {}
    jobs_first = {n: k for n, k in chosen.items() if k.level == "community" and _opens_jobs(k)}
    for name, pkg in jobs_first.items():
        community[name] = _plan_community(pkg, money[name], world, params)
    covered = (
        job_coverage(
            [d for d, _ in community.values()], world.returnees, world.communities.n, params
        )
        if coordinated
        else np.zeros(world.communities.n)
    )
    assessed = np.zeros(world.returnees.n, dtype=bool)
    for name, pkg in chosen.items():
        if pkg.level == "individual":
            individual[name] = _plan_individual(
                pkg,
                money[name],
                strategy.targeting,
                world.returnees,
                params,
                params.programme_months - 1,
                assessed,
                covered,
            )
    aid = _visible_aid(individual.values(), world) if coordinated else None
    for name, pkg in chosen.items():
        if pkg.level == "community" and name not in community:
            follows = aid if _brings_together(pkg) else None
            community[name] = _plan_community(pkg, money[name], world, params, follows)
    planned: dict[str, tuple[Delivery, str]] = {**individual, **community}
    return _assemble(strategy, chosen, money, planned, params, world.returnees.community)


def job_coverage(
    deliveries: list[CommunityDelivery], returnees: Returnees, n: int, p: Parameters
) -> np.ndarray:
    """Per community, the share (0-1) of its returnees in economic need whom the jobs its
    community projects open could employ: each unit's jobs on average over the rest of the
    programme (the wages of its works, then its asset's jobs) against the returnees there
    with economic need. A planner sets what a project opens against the jobless it must
    reach, not the project's mere presence."""
    jobs = np.zeros(n)
    for d in deliveries:
        months = p.programme_months - d.month
        jobs += d.units * d.package.mean_jobs(p.wage_usd, p.business_return, months)
    in_need = np.bincount(
        returnees.community, weights=needs(returnees, p)[MET_BY_JOBS], minlength=n
    )
    return np.divide(jobs, in_need, out=np.ones(n), where=in_need > 0).clip(0.0, 1.0)


def _opens_jobs(pkg: Package) -> bool:
    return pkg.effects.labour_share > 0 or pkg.effects.capital_share > 0


def _brings_together(pkg: Package) -> bool:
    return pkg.effects.dialogue > 0 or pkg.effects.contact > 0


def _visible_aid(
    planned: Iterable[tuple[IndividualDelivery, str]], world: World
) -> np.ndarray | None:
    """Cash and goods the individual packages will hand out, per household of each community
    (None if they hand out none)."""
    r, c = world.returnees, world.communities
    aid = np.zeros(c.n)
    for delivery, _ in planned:
        given = delivery.package.effects.visible_usd
        aid += given * np.bincount(r.community[delivery.recipients], minlength=c.n)
    return aid / np.maximum(c.households, 1.0) if aid.any() else None


def _assemble(
    strategy: Strategy,
    chosen: dict[str, Package],
    money: dict[str, float],
    planned: dict[str, tuple[Delivery, str]],
    params: Parameters,
    communities: np.ndarray,
) -> Plan:
    """The deliveries in the strategy's order, each with its allocation (``communities``:
    each returnee's, to count the places a package reaches)."""
    plan = Plan(budget=params.budget)
    for name, pkg in chosen.items():
        delivery, reason = planned.get(name, (None, ""))
        units, places = 0, 0
        if isinstance(delivery, IndividualDelivery):
            plan.individual.append(delivery)
            committed = float(delivery.cost.sum())
            units = len(delivery.recipients)
            places = len(np.unique(communities[delivery.recipients]))
        elif isinstance(delivery, CommunityDelivery):
            plan.community.append(delivery)
            committed = float(pkg.unit_cost * delivery.units.sum())
            units, places = int(delivery.units.sum()), int((delivery.units > 0).sum())
        else:
            months = params.programme_months
            plan.structural.append(StructuralDelivery(pkg, money[name] / months, months))
            committed, reason = money[name], ""
        left = money[name] - committed > CENT
        plan.allocations.append(
            Allocation(
                name, pkg.level, money[name], committed, reason if left else "", units, places
            )
        )
    rest = params.budget * (1 - sum(strategy.shares.values()))
    if rest > CENT:
        plan.allocations.append(Allocation("(not allocated)", "", rest, 0.0, NOT_ALLOCATED))
    return plan


def _plan_individual(
    pkg: Package,
    money: float,
    targeting: str,
    returnees: Returnees,
    params: Parameters,
    last_month: int,
    assessed: np.ndarray,
    covered: np.ndarray,
) -> tuple[IndividualDelivery, str]:
    """Recipients of one package, in order of priority, while its money lasts; and why any
    money would be left.

    Under needs-based targeting a recipient not yet ``assessed`` costs the assessment too, and
    is marked assessed (``assessed`` is shared by the packages of one plan). The assessment
    weighs the community level as well: a package for economic need goes to the need the
    programme's community jobs leave, wherever it is: a returnee's need counts for the share
    of their village's returnees in need the jobs there cannot employ (``covered``: 0 where
    no project opens jobs, and everywhere when the levels are planned apart), so a village
    with one small project among many jobless still gets grants. Ties (villages whose need
    the jobs cover) go by need alone. This is because individual assistance is to be
    "balanced with community-based initiatives" on "a careful analysis of individual,
    community and structural factors" (IOM 2017 s.4)."""
    tailored = targeting in ("needs", "needs_uncoordinated")
    due = returnees.arrival_month + pkg.delay_months
    restricted = tailored or pkg.eligible in FOR_A_GROUP
    eligible = needs(returnees, params)[pkg.eligible] if restricted else np.ones(returnees.n, bool)
    candidates = eligible & (due <= last_month)
    idx = np.flatnonzero(candidates)
    if tailored:
        need = severity(returnees, params)[pkg.eligible][idx]
        left = 1 - covered[returnees.community[idx]] if pkg.eligible == MET_BY_JOBS else 1.0
        order = idx[np.lexsort((idx, -need, -need * left))]
    else:
        order = idx[np.lexsort((idx, returnees.arrival_month[idx]))]
    assessment = params.needs_assessment_cost * (tailored & ~assessed[order])
    cost = pkg.unit_cost + assessment
    affordable = np.cumsum(cost) <= money
    if affordable.all():
        late = bool((eligible & (due > last_month)).any())
        reason = "; ".join([ALL_SERVED] + [TOO_LATE.format(month=last_month)] * late)
    else:
        reason = INDIVISIBLE.format(unit="package", cost=pkg.unit_cost)
    chosen, cost = order[affordable], cost[affordable]
    if tailored:
        assessed[chosen] = True
    by_index = np.argsort(chosen)
    delivery = IndividualDelivery(pkg, chosen[by_index], due[chosen[by_index]], cost[by_index])
    return delivery, reason


def _plan_community(
    pkg: Package, money: float, world: World, p: Parameters, aid: np.ndarray | None = None
) -> tuple[CommunityDelivery, str]:
    """Community profiling: most returnees per unit of absorption capacity first (or, given
    ``aid``, most visible aid per household first, then pressure), and only where enough
    returnees arrive (``community_critical_mass``: community projects suit places where many
    return within a short time, IOM Reintegration Handbook module 3); and why any money would
    be left."""
    c = world.communities
    pressure = c.expected_returnees / np.maximum(c.jobs_base, 1.0)
    aid_rank = -aid if aid is not None else np.zeros(c.n)
    ranked = np.lexsort((np.arange(c.n), -pressure, aid_rank))
    ranked = ranked[c.expected_returnees[ranked] >= max(p.community_critical_mass, 1)]
    units = np.zeros(c.n, dtype=np.int64)
    affordable = int(money // pkg.unit_cost)
    for _ in range(pkg.max_units_per_community):
        take = ranked[: max(0, affordable - units.sum())]
        units[take] += 1
        if units.sum() >= affordable or len(take) == 0:
            break
    reason = (
        INDIVISIBLE.format(unit="community unit", cost=pkg.unit_cost)
        if units.sum() >= affordable
        else ALL_FULL.format(
            mass=max(p.community_critical_mass, 1), most=pkg.max_units_per_community
        )
    )
    return CommunityDelivery(pkg, units, pkg.delay_months), reason
