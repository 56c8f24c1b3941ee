"""Support packages and strategies as data: the one place that reads and resolves them.

A :class:`Package` is read from ``scenarios/packages.toml`` (and a scenario file's
``[packages.X]``); a :class:`Strategy` (a named allocation of the budget over packages) from
``scenarios/strategies.toml``, a scenario file's ``[strategies.X]`` or a user's strategies
file. :func:`resolve_strategy` turns a name, or a strategy made in code, into the strategy a
run follows; :mod:`model.plan` turns it into deliveries. Mechanisms see only the effects in
that plan, never the strategy's name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from model.inputs import SCENARIO_DIR, ScenarioError, check_file, read_toml, suggest
from model.parameters import PARAMETERS

Level = Literal["individual", "community", "structural"]
Eligibility = Literal["any", "economic_need", "in_debt", "low_skill", "distressed", "minor"]


#: Strict: TOML has real types, so ``true`` or ``"400"`` is not a number; ``inf`` and ``nan``
#: are no amount either.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)
#: The most a package or its cash may cost: the largest budget the parameter table allows
#: (a bigger number is a typo, and near 1e308 sums of it overflow to inf).
MOST_USD = PARAMETERS["budget"].high
#: The longest a package's effect may last: the longest programme of the parameter table.
MOST_MONTHS = PARAMETERS["programme_months"].high


class Effects(BaseModel):
    """What a package does; every field defaults to no effect (units in packages.toml)."""

    model_config = STRICT
    cash_usd: float = Field(0.0, ge=0, le=MOST_USD)
    business_asset_usd: float = Field(0.0, ge=0, le=MOST_USD)
    debt_relief_usd: float = Field(0.0, ge=0, le=MOST_USD)
    skill_gain: float = Field(0.0, ge=0, le=1)
    counselling_months: int = Field(0, ge=0, le=MOST_MONTHS)
    referral: int = Field(0, ge=0, le=1)
    case_management_months: int = Field(0, ge=0, le=MOST_MONTHS)
    school_support_months: int = Field(0, ge=0, le=MOST_MONTHS)
    labour_share: float = Field(0.0, ge=0, le=1)
    work_months: int = Field(0, ge=0, le=MOST_MONTHS)
    capital_share: float = Field(0.0, ge=0, le=1)
    asset_decay: float = Field(0.0, ge=0, le=1)
    contact: float = Field(0.0, ge=0, le=1)
    dialogue: float = Field(0.0, ge=0, le=1)
    effect_months: int = Field(0, ge=0, le=MOST_MONTHS)
    participants_per_unit: float = Field(0.0, ge=0)
    service_users: float = Field(0.0, ge=0)
    shock_protected_jobs: float = Field(0.0, ge=0)
    service_strength: float = Field(0.0, ge=0)
    employment_strength: float = Field(0.0, ge=0)

    @property
    def visible_usd(self) -> float:
        """Cash and goods handed to a recipient, which neighbours see (and may resent)."""
        return self.cash_usd + self.business_asset_usd


class Package(BaseModel):
    model_config = STRICT
    name: str
    #: The package's plain name, as pages and plots show it (its name, spaced, if none).
    label: str = ""
    level: Level
    description: str = ""
    unit_cost: float = Field(gt=0, le=MOST_USD)
    delay_months: int = Field(0, ge=0, le=MOST_MONTHS)
    eligible: Eligibility = "any"
    max_units_per_community: int = Field(1, ge=1)
    #: A service the returnee must go to, run by a partner (counselling sessions, services
    #: referred to): it acts only if taken up (:mod:`model.mechanisms.delivery`).
    attended: bool = False
    effects: Effects = Effects()

    @property
    def plain_name(self) -> str:
        """What a reader sees: the label, else the name with spaces (``cash grant``)."""
        return self.label or self.name.replace("_", " ")

    def work_jobs(self, wage_usd: float) -> float:
        """Jobs one unit pays while its work runs: the wage bill it buys (``labour_share`` of
        the cost) over the months of work, at the local wage. A number of jobs, whatever the
        village's size: a project is as large as its money."""
        e = self.effects
        if not e.work_months or wage_usd <= 0:
            return 0.0
        return self.unit_cost * e.labour_share / (wage_usd * e.work_months)

    def asset_jobs(self, wage_usd: float, monthly_return: float) -> float:
        """Jobs one unit's asset sustains once the work ends: the income the capital it leaves
        (``capital_share`` of the cost) earns a month, at the return small-business capital
        earns, in monthly wages. It then wears out at ``asset_decay`` a month."""
        if wage_usd <= 0:
            return 0.0
        return self.unit_cost * self.effects.capital_share * monthly_return / wage_usd

    def mean_jobs(self, wage_usd: float, monthly_return: float, months: int) -> float:
        """Jobs one unit opens on average over ``months`` from its delivery (works, then the
        asset, worn as it goes): what a planner sets against a village's jobless."""
        e, months = self.effects, max(months, 1)
        working = min(e.work_months, months)
        after = months - working
        kept = (1 - e.asset_decay) ** np.arange(after)
        job_months = self.work_jobs(wage_usd) * working + self.asset_jobs(
            wage_usd, monthly_return
        ) * float(kept.sum())
        return job_months / months


#: Whom business grants go to unless a strategy says: realistic plans first, as IOM's
#: business development support screens them (IOM Reintegration Handbook 2019, Annex 2;
#: ``plan.realistic_first``).
BusinessPlans = Literal["by_need", "screened"]
BUSINESS_PLANS: BusinessPlans = "screened"


class Strategy(BaseModel):
    model_config = STRICT
    name: str
    description: str = ""
    targeting: Literal["needs", "needs_uncoordinated", "standard"] = "needs"
    business_plans: BusinessPlans = BUSINESS_PLANS
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


def _describe(kind: type[BaseModel], error: ErrorDetails, path: str) -> str:
    """One line for one pydantic error: the field's path, the value and what is allowed."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown field; {suggest(str(loc[-1]), _fields(kind, loc))}"
    if error["type"] == "missing":
        return f"{path}: missing; a {kind.__name__.lower()} needs it"
    return f"{path}: {error['input']!r} is not allowed ({error['msg'].lower()})"


#: A package's or strategy's name: it becomes a command argument, a column and a file name.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _parse(kind: type[BaseModel], doc: dict, prefix: str, known: dict | None = None) -> dict:
    """Validate tables of packages or strategies; ``prefix`` starts each problem's path."""
    problems, parsed = [], {}
    for name, entry in doc.items():
        if not NAME.fullmatch(name):
            problems.append(
                f"{prefix}{name!r}: the name is not allowed; allowed: letters, digits, _ and - "
                "(names become command arguments, columns and file names)"
            )
            continue
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


def _parse_all(
    kind: type[BaseModel], sources: list[tuple[dict, str]], known: dict | None = None
) -> dict:
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
    packages: dict[str, Package],
    extra: dict | None = None,
    path: str | Path | None = None,
    base: dict[str, Strategy] | None = None,
) -> dict[str, Strategy]:
    """The shipped strategies (or ``base``, already loaded), plus those of a scenario file and
    of a user's strategies file.

    Each problem names where the strategy was defined: ``strategies.X...`` for a scenario
    file's ``[strategies.X]``, ``FILE: X...`` for a strategies file.
    """
    shipped = {} if base is not None else read_toml(SCENARIO_DIR / "strategies.toml")
    sources = [(shipped, "strategies.toml: "), (extra or {}, "strategies.")]
    if path is not None:
        path = Path(path)
        check_file(path, "strategies file")
        sources.append((read_toml(path), f"{path.name}: "))
    _refuse_reserved(sources[1:])
    return {**(base or {}), **_parse_all(Strategy, sources, packages)}


#: The counterfactual every comparison measures against: no programme, whatever a file says.
RESERVED = "none"


def _refuse_reserved(sources: list[tuple[dict, str]]) -> None:
    """Only the shipped file defines ``none``; a redefined one would make the baseline spend."""
    problems = [
        f"{prefix}{RESERVED}: the name is reserved for no programme, the counterfactual; "
        "allowed: any other name"
        for doc, prefix in sources
        if RESERVED in doc
    ]
    if problems:
        raise ScenarioError(problems)


LEVELS: tuple[Level, ...] = ("individual", "community", "structural")


def check_strategy(strategy: Strategy, packages: dict[str, Package]) -> Strategy:
    """A strategy made in code, checked like one read from a file."""
    problems = _check_shares({strategy.name: strategy}, "strategy ", packages)
    if problems:
        raise ScenarioError(problems)
    return strategy


def resolve_strategy(
    strategy: str | Strategy, packages: dict[str, Package], strategies: dict[str, Strategy]
) -> Strategy:
    """The strategy a run follows: one of ``strategies`` by name, or a strategy object."""
    if isinstance(strategy, Strategy):
        return check_strategy(strategy, packages)
    if strategy not in strategies:
        raise ScenarioError(
            [f"strategy: {strategy!r} is not defined; allowed: {', '.join(strategies)}"]
        )
    return strategies[strategy]


def level_shares(strategy: Strategy, packages: dict[str, Package]) -> dict[str, float]:
    """How a strategy's budget divides over the three levels of support."""
    return {
        level: sum(s for name, s in strategy.shares.items() if packages[name].level == level)
        for level in LEVELS
    }


def split_by_level(
    name: str, weights: dict[str, float], packages: dict[str, Package], base: Strategy
) -> Strategy:
    """A strategy giving each level of support its weight's share of what ``base`` spends.

    Within a level the money is divided as ``base`` divides it, so the weights change only the
    balance between individual, community and structural support. The weights are relative;
    together the levels spend what ``base`` spends.
    """
    weights = {level: weights.get(level, 0.0) for level in LEVELS}
    total = sum(weights.values())
    spend = sum(base.shares.values())
    shares = {}
    for level, weight in weights.items():
        if total <= 0 or weight <= 0:
            continue
        in_level = [n for n, p in packages.items() if p.level == level]
        mix = {n: base.shares[n] for n in in_level if base.shares.get(n, 0) > 0}
        mix = mix or dict.fromkeys(in_level, 1.0)
        for package, share in mix.items():
            shares[package] = spend * weight / total * share / sum(mix.values())
    balance = " / ".join(f"{100 * weights[lv] / total:.0f}% {lv}" for lv in LEVELS if total)
    return Strategy(
        name=name,
        description=f"Your split of the budget: {balance or 'nothing spent'}",
        targeting=base.targeting,
        shares=shares,
    )
