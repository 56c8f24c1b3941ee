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

from model.scenario import SCENARIO_DIR, ScenarioError, read_toml, suggest

Level = Literal["individual", "community", "structural"]
Eligibility = Literal["any", "economic_need", "low_skill", "distressed"]


#: Strict: TOML has real types, so ``true`` or ``"400"`` is not a number.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


class Effects(BaseModel):
    """What a package does; every field defaults to no effect (units in packages.toml)."""

    model_config = STRICT
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
    model_config = STRICT
    name: str
    level: Level
    description: str = ""
    unit_cost: float = Field(gt=0)
    delay_months: int = Field(0, ge=0)
    eligible: Eligibility = "any"
    max_units_per_community: int = Field(1, ge=1)
    effects: Effects = Effects()


class Strategy(BaseModel):
    model_config = STRICT
    name: str
    description: str = ""
    targeting: Literal["needs", "standard"] = "needs"
    shares: dict[str, float] = {}


def _fields(kind: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` inside a package or strategy table."""
    model = kind
    for part in loc[:-1]:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        model = annotation
    return [f for f in model.model_fields if f != "name"]


def _describe(kind: type[BaseModel], error: dict, path: str) -> str:
    """One line for one pydantic error: the field's path, the value and what is allowed."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown field; {suggest(str(loc[-1]), _fields(kind, loc))}"
    if error["type"] == "missing":
        return f"{path}: missing; a {kind.__name__.lower()} needs it"
    return f"{path}: {error['input']!r} is not allowed ({error['msg'].lower()})"


def _parse(kind, doc: dict, prefix: str, known: dict | None = None) -> dict:
    """Validate tables of packages or strategies; ``prefix`` starts each problem's path."""
    problems, parsed = [], {}
    for name, entry in doc.items():
        if not isinstance(entry, dict):
            problems.append(f"{prefix}{name}: {entry!r} is not allowed; allowed: a table")
            continue
        try:
            parsed[name] = kind.model_validate({"name": name, **entry})
        except ValidationError as err:
            problems += [
                _describe(kind, e, ".".join([f"{prefix}{name}", *map(str, e["loc"])]))
                for e in err.errors()
            ]
    if kind is Strategy:
        problems += _check_shares(parsed, prefix, known or {})
    if problems:
        raise ScenarioError(problems)
    return parsed


def _check_shares(strategies: dict, prefix: str, packages: dict) -> list[str]:
    problems = []
    for s in strategies.values():
        for pkg, share in s.shares.items():
            path = f"{prefix}{s.name}.shares.{pkg}"
            if pkg not in packages:
                problems.append(f"{path}: unknown package; {suggest(pkg, packages, 'package')}")
            elif not 0 <= share <= 1:
                problems.append(f"{path}: {share!r} is not allowed; allowed: 0 to 1")
        total = sum(s.shares.values())
        if total > 1 + 1e-9:
            problems.append(
                f"{prefix}{s.name}.shares: the shares sum to {total:g}; allowed: at most 1"
            )
    return problems


def _parse_all(kind, sources: list[tuple[dict, str]], known: dict | None = None) -> dict:
    """Parse several sources (later ones override), collecting every source's problems."""
    problems, parsed = [], {}
    for doc, prefix in sources:
        try:
            parsed.update(_parse(kind, doc, prefix, known))
        except ScenarioError as err:
            problems += err.problems
    if problems:
        raise ScenarioError(problems)
    return parsed


def load_packages(extra: dict | None = None) -> dict[str, Package]:
    """The shipped packages plus a scenario file's ``[packages.X]`` tables."""
    shipped = read_toml(SCENARIO_DIR / "packages.toml")
    return _parse_all(Package, [(shipped, "packages.toml: "), (extra or {}, "packages.")])


def load_strategies(
    packages: dict[str, Package], extra: dict | None = None, path: str | Path | None = None
) -> dict[str, Strategy]:
    """The shipped strategies, plus those of a scenario file and of a user's strategies file.

    Each problem names where the strategy was defined: ``strategies.X...`` for a scenario
    file's ``[strategies.X]``, ``FILE: X...`` for a strategies file.
    """
    sources = [
        (read_toml(SCENARIO_DIR / "strategies.toml"), "strategies.toml: "),
        (extra or {}, "strategies."),
    ]
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ScenarioError([f"strategies file: {str(path)!r} does not exist"])
        sources.append((read_toml(path), f"{path.name}: "))
    return _parse_all(Strategy, sources, packages)


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


def needs(returnees, p) -> dict[str, np.ndarray]:
    """What a needs assessment finds, per eligibility rule of the package catalogue."""
    return {
        "any": np.ones(returnees.n, dtype=bool),
        "economic_need": (returnees.savings < p.savings_need_usd) | (returnees.debt > 0),
        "low_skill": returnees.skill < p.low_skill_threshold,
        "distressed": returnees.distress > p.distress_threshold,
    }


def need_score(returnees, p) -> np.ndarray:
    """A needs assessment's ranking: how many kinds of need a returnee has, then distress."""
    found = needs(returnees, p)
    count = sum(found[k].astype(float) for k in ("economic_need", "low_skill", "distressed"))
    return count + returnees.forced + returnees.distress


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
        candidates &= needs(returnees, params)[pkg.eligible]
    idx = np.flatnonzero(candidates)
    key = -need_score(returnees, params)[idx] if tailored else returnees.arrival_month[idx]
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
