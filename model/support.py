"""Support packages and strategies as data, and how a budget becomes deliveries.

A :class:`Package` is read from ``scenarios/packages.toml``; a :class:`Strategy` (a named
allocation of the budget over packages) from ``scenarios/strategies.toml`` or a user's file.
:func:`plan_programme` turns a strategy, a budget and a population into a delivery plan that
never spends more than the budget: who gets which individual package and when, which
communities get which community package, and the monthly structural tranches. Mechanisms see
only the effects in that plan, never the strategy's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from model.scenario import SCENARIO_DIR, ScenarioError, read_toml

Level = Literal["individual", "community", "structural"]
Eligibility = Literal["any", "economic_need", "low_skill", "distressed"]


class Effects(BaseModel):
    """What a package does; every field defaults to no effect (units in packages.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cash_usd: float = Field(0.0, ge=0)
    business_asset_usd: float = Field(0.0, ge=0)
    skill_gain: float = Field(0.0, ge=0, le=1)
    counselling_months: int = Field(0, ge=0)
    referral: int = Field(0, ge=0, le=1)
    case_management_months: int = Field(0, ge=0)
    jobs_per_household: float = Field(0.0, ge=0)
    jobs_months: int = Field(0, ge=0)
    jobs_kept_share: float = Field(1.0, ge=0, le=1)
    contact: float = Field(0.0, ge=0, le=1)
    dialogue: float = Field(0.0, ge=0, le=1)
    effect_months: int = Field(0, ge=0)
    services_per_resident: float = Field(0.0, ge=0)
    service_strength: float = Field(0.0, ge=0)
    employment_strength: float = Field(0.0, ge=0)


class Package(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    level: Level
    description: str = ""
    unit_cost: float = Field(gt=0)
    delay_months: int = Field(0, ge=0)
    eligible: Eligibility = "any"
    max_units_per_community: int = Field(1, ge=1)
    effects: Effects = Effects()


class Strategy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str = ""
    targeting: Literal["needs", "standard"] = "needs"
    shares: dict[str, float] = {}


def _parse(kind, doc: dict, origin: str, known: dict | None = None) -> dict:
    problems, parsed = [], {}
    for name, entry in doc.items():
        try:
            parsed[name] = kind.model_validate({"name": name, **entry})
        except (ValidationError, TypeError) as err:
            errors = err.errors() if isinstance(err, ValidationError) else []
            problems += [
                f"{origin}.{name}.{'.'.join(map(str, e['loc']))}: {e['input']!r} is not "
                f"allowed ({e['msg'].lower()})"
                for e in errors
            ] or [f"{origin}.{name}: must be a table"]
    if kind is Strategy:
        problems += _check_shares(parsed, origin, known or {})
    if problems:
        raise ScenarioError(problems)
    return parsed


def _check_shares(strategies: dict, origin: str, packages: dict) -> list[str]:
    problems = []
    for s in strategies.values():
        for pkg, share in s.shares.items():
            if pkg not in packages:
                problems.append(
                    f"{origin}.{s.name}.shares.{pkg}: unknown package; allowed: "
                    f"{', '.join(packages)}"
                )
            elif not 0 <= share <= 1:
                problems.append(
                    f"{origin}.{s.name}.shares.{pkg}: {share!r} is not allowed; allowed: 0 to 1"
                )
        total = sum(s.shares.values())
        if total > 1 + 1e-9:
            problems.append(
                f"{origin}.{s.name}.shares: the shares sum to {total:g}; allowed: at most 1"
            )
    return problems


def load_packages(extra: dict | None = None) -> dict[str, Package]:
    doc = {**read_toml(SCENARIO_DIR / "packages.toml"), **(extra or {})}
    return _parse(Package, doc, "packages")


def load_strategies(
    packages: dict[str, Package], extra: dict | None = None, path: str | Path | None = None
) -> dict[str, Strategy]:
    """The shipped strategies, plus those of a scenario file and of a user's strategies file."""
    doc = read_toml(SCENARIO_DIR / "strategies.toml")
    doc.update(extra or {})
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise ScenarioError([f"strategies file: {str(path)!r} does not exist"])
        doc.update(read_toml(path))
    return _parse(Strategy, doc, "strategies", packages)


def resolve_strategy(name: str, strategies: dict[str, Strategy]) -> Strategy:
    if name not in strategies:
        raise ScenarioError(
            [f"strategy: {name!r} is not defined; allowed: {', '.join(strategies)}"]
        )
    return strategies[name]


@dataclass
class IndividualDelivery:
    """Which returnees receive one individual package, and in which month."""

    package: Package
    recipients: np.ndarray  # returnee indices
    month: np.ndarray  # delivery month for each recipient
    unit_cost: float


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


@dataclass
class Plan:
    """A strategy turned into deliveries; its cost never exceeds the budget."""

    budget: float
    individual: list[IndividualDelivery] = field(default_factory=list)
    community: list[CommunityDelivery] = field(default_factory=list)
    structural: list[StructuralDelivery] = field(default_factory=list)

    @property
    def committed(self) -> float:
        return (
            sum(d.unit_cost * len(d.recipients) for d in self.individual)
            + sum(d.package.unit_cost * d.units.sum() for d in self.community)
            + sum(d.monthly_tranche * d.months for d in self.structural)
        )


def eligible_mask(rule: str, returnees) -> np.ndarray:
    """Who needs a package under a needs assessment."""
    if rule == "economic_need":
        return (returnees.savings < 200) | (returnees.debt > 0)
    if rule == "low_skill":
        return returnees.skill < 0.5
    if rule == "distressed":
        return returnees.distress > 0.2
    return np.ones(returnees.n, dtype=bool)


def need_score(returnees) -> np.ndarray:
    """A needs assessment's ranking: vulnerability, distress and lack of means."""
    return (
        returnees.distress
        + 0.3 * (returnees.savings < 200)
        + 0.2 * (returnees.debt > 0)
        + 0.2 * (1 - returnees.skill)
        + 0.2 * returnees.forced
    )


def plan_programme(strategy: Strategy, packages: dict[str, Package], world, params) -> Plan:
    """Turn a strategy and a budget into a delivery plan for this population."""
    plan = Plan(budget=params.budget)
    last_month = params.programme_months - 1
    for name, share in strategy.shares.items():
        pkg, money = packages[name], params.budget * share
        if share <= 0:
            continue
        if pkg.level == "individual":
            plan.individual.append(
                _plan_individual(
                    pkg, money, strategy.targeting, world.returnees, params, last_month
                )
            )
        elif pkg.level == "community":
            plan.community.append(_plan_community(pkg, money, world))
        else:
            months = params.programme_months
            plan.structural.append(StructuralDelivery(pkg, money / months, months))
    return plan


def _plan_individual(pkg, money, targeting, returnees, params, last_month) -> IndividualDelivery:
    tailored = targeting == "needs"
    unit = pkg.unit_cost + (params.needs_assessment_cost if tailored else 0.0)
    due = returnees.arrival_month + pkg.delay_months
    candidates = due <= last_month
    if tailored:
        candidates &= eligible_mask(pkg.eligible, returnees)
    idx = np.flatnonzero(candidates)
    key = -need_score(returnees)[idx] if tailored else returnees.arrival_month[idx]
    order = idx[np.lexsort((idx, key))]
    chosen = np.sort(order[: int(money // unit)])
    return IndividualDelivery(pkg, chosen, due[chosen], unit)


def _plan_community(pkg, money, world) -> CommunityDelivery:
    """Community profiling: most returnees per unit of absorption capacity first."""
    c = world.communities
    pressure = c.expected_returnees / np.maximum(c.jobs_base, 1.0)
    ranked = np.lexsort((np.arange(c.n), -pressure))
    ranked = ranked[c.expected_returnees[ranked] > 0]
    units = np.zeros(c.n, dtype=np.int64)
    affordable = int(money // pkg.unit_cost)
    for _ in range(pkg.max_units_per_community):
        take = ranked[: max(0, affordable - units.sum())]
        units[take] += 1
        if units.sum() >= affordable or len(take) == 0:
            break
    return CommunityDelivery(pkg, units, pkg.delay_months)
