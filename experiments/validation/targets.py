"""Published figures as targets: how the model's value of each is computed, and how close.

A target (``experiments/files/validation/targets.toml``) is a figure from the literature with
its source, wording, population and timing, and a *statistic*: a function below that maps one
replicate's paired runs (one per arm, same seed: common random numbers) to the model's value,
computed the way the study computed its figure (a trial's intention-to-treat difference, a
survey's group gap, a panel's firm deaths). A ``level`` target passes when the mean over
replicates lies within its tolerance of the figure; a ``direction`` target (a qualitative
finding) when every contrast it names is above zero with 95% confidence.

:func:`replicate_values` is the unit of work: one seed, every arm any target needs run once,
every statistic computed, only numbers returned. The ``targets`` command and calibration both
stand on it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy import stats

from experiments import FILES
from model.inputs import ScenarioError, read_toml, shipped_or_path, suggest
from model.mechanisms.household_economy import NEEDS_MET
from model.parameters import PARAMETERS
from model.run import RunResult, RunSpec, perform, perform_each
from model.support import load_packages

VALIDATION = FILES / "validation"
#: The scenario a target runs on when it names none (its population unspecified).
DEFAULT_SCENARIO = "default"
TARGETS_FILE = VALIDATION / "targets.toml"
#: Strategies only targets use, beside the scenario's own.
STRATEGIES_FILE = VALIDATION / "strategies.toml"
#: Returnee and household fields whose wealth the neighbours see (USD).
WEALTH = ("savings", "cash", "business_asset")
#: The shipped individual and community packages a target's arguments may name.
PACKAGES = tuple(load_packages())


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Arm(StrictModel):
    """One run a target needs: a strategy for some months, optionally with overrides."""

    strategy: str
    months: int = Field(ge=1, le=600)
    overrides: dict[str, float | int] = {}

    @property
    def run(self) -> tuple:
        """Arms with the same run differ only in horizon: they share one run (the longest)."""
        return (self.strategy, tuple(sorted(self.overrides.items())))


class Target(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal["level", "direction"]
    figure: float | None = None
    tolerance: float | None = Field(None, gt=0)
    unit: str
    source: str
    wording: str
    population: str
    after_return: str
    confidence: str
    statistic: str
    arms: dict[str, Arm] = Field(min_length=1)
    args: dict[str, Any] = {}
    scenario: str = DEFAULT_SCENARIO
    #: "sizes": a parameter was set from the figure (named in ``sizes``): a consistency
    #: check, reported apart, never fitted; "fit": independent evidence the calibration fits;
    #: "test": independent evidence held out, never fitted (a figure cannot both size and
    #: test the model)
    role: Literal["sizes", "fit", "test"] = "fit"
    #: the parameters set from this figure (a ``sizes`` target's, and only its)
    sizes: list[str] = []
    note: str = ""


class TargetsFile(StrictModel):
    target: list[Target] = Field(min_length=1)


def targets_path(name_or_path: str | Path | None) -> Path:
    """The shipped targets (``targets``) by name or any TOML file of the same shape."""
    return shipped_or_path(name_or_path or "targets", VALIDATION, "targets", "targets")


def load_targets(name_or_path: str | Path | None = None) -> list[Target]:
    """Read and check a targets file: every problem one line, naming the field."""
    path = targets_path(name_or_path)
    try:
        targets = TargetsFile.model_validate(read_toml(path)).target
    except ValidationError as err:
        raise ScenarioError([field_problem(e, path.name) for e in err.errors()]) from None
    problems = [problem for t in targets for problem in _target_problems(t, path.name)]
    ids = [t.id for t in targets]
    problems += [
        f"{path.name}: target id {i!r} appears twice" for i in set(ids) if ids.count(i) > 1
    ]
    if problems:
        raise ScenarioError(problems)
    return targets


def field_problem(error, label: str) -> str:
    """One pydantic error as one line naming the field, the value and what is allowed."""
    field = ".".join([label, *(str(x) for x in error["loc"])])
    if error["type"] == "missing":
        return f"{field}: missing; allowed: see experiments/files/validation/targets.toml"
    if error["type"] == "extra_forbidden":
        return f"{field}: unknown field; allowed: the fields of the shipped targets.toml"
    return f"{field}: {error['input']!r} is not allowed; allowed: {error['msg'].lower()}"


def _target_problems(t: Target, label: str) -> list[str]:
    where = f"{label}: target {t.id}"
    problems = []
    if t.statistic not in STATISTICS:
        problems.append(
            f"{where}.statistic: {t.statistic!r} is not allowed; allowed: {', '.join(STATISTICS)}"
        )
    if t.kind == "level" and (t.figure is None or t.tolerance is None):
        problems.append(f"{where}: a level target needs figure and tolerance")
    if t.kind == "direction" and t.figure is not None:
        problems.append(f"{where}.figure: a direction target has no figure; its sign is > 0")
    problems += _role_problems(t, where)
    problems += [
        f"{where}.args.packages: {name!r} is not a package; {suggest(name, PACKAGES)}"
        for name in t.args.get("packages", [])
        if name not in PACKAGES
    ]
    if t.statistic in STATISTICS:
        try:
            inspect.signature(STATISTICS[t.statistic]).bind(t.arms, **t.args)
        except TypeError as err:
            problems.append(f"{where}.args: {t.args!r} is not allowed; allowed: {err}")
    return problems


def _role_problems(t: Target, where: str) -> list[str]:
    """A ``sizes`` target names the parameters set from it, each in the table; no other
    target names any (it would be fitted or held out while restating a parameter)."""
    if t.role != "sizes":
        return [f"{where}.sizes: only a target with role = \"sizes\" names parameters; "
                "allowed: [] or role = \"sizes\""] if t.sizes else []  # fmt: skip
    if not t.sizes:
        return [f"{where}.sizes: missing; allowed: the parameters set from this figure "
                "(names of model/parameters.py)"]  # fmt: skip
    return [
        f"{where}.sizes: {name!r} is not a parameter; {suggest(name, PARAMETERS)}"
        for name in t.sizes
        if name not in PARAMETERS
    ]


def digest(path: Path) -> str:
    """A short fingerprint of a targets file and of the strategies its arms use: the
    validation page says which it read."""
    text = path.read_bytes() + STRATEGIES_FILE.read_bytes()
    return hashlib.sha256(text).hexdigest()[:12]


# --- runs -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    """What a statistic may read of one run: the monthly table, the returnees' and households'
    arrays and indicators at every month (index 0 is month 1), the packages' effects."""

    table: Any
    returnees: list[dict[str, np.ndarray]]
    households: list[dict[str, np.ndarray]]
    indicators: list[dict[str, np.ndarray]]
    package_effects: dict[str, dict[str, float]]
    unit_costs: dict[str, float]
    received: Any = None  # who received which individual package, due when (Plan.received)
    depreciation: float = 0.0  # monthly share of business assets lost to wear
    survey_usd: float = 1.0  # USD at the HRS survey's prices per USD at the model's

    def until(self, months: int) -> Run:
        """The same run as if it had stopped after ``months``: a run's horizon only says when
        it stops, so its first months are those of a shorter run with the same seed."""
        extra = len(self.returnees) - months
        if extra == 0:
            return self
        return dataclasses.replace(
            self,
            table=self.table.iloc[: len(self.table) - extra],
            returnees=self.returnees[:months],
            households=self.households[:months],
            indicators=self.indicators[:months],
        )

    def at(self, month: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Returnee arrays (indicators as ``ind_<name>``) and household arrays at ``month``,
        with what a survey asks of assistance received: ``direct_aid`` (cash or business
        assets handed over) and ``assisted`` (that or a referral); and of work and needs:
        ``working`` (a job, or a business with the assets of a viable one: the economic
        ``employment`` indicator at half or more), ``needs_met`` (the household's resources
        cover its basic needs, :data:`NEEDS_MET`), ``adult`` and ``man`` (an adult man); and
        ``cash_earned``, what a survey of cash earnings counts: ``earned`` less the value of
        own-use farm work (``farmed``), which the family eats and nobody is paid for."""
        r = {**self.returnees[month - 1]}
        h = self.households[month - 1]
        r.update({f"ind_{k}": v for k, v in self.indicators[month - 1].items()})
        if "visible_aid" in r:
            r["direct_aid"] = r["visible_aid"] > 0
            r["assisted"] = r["direct_aid"] | r["referred"]
        if "minor" in r:
            r["working"] = np.nan_to_num(r.get("ind_employment", 0.0)) >= 0.5
            r["needs_met"] = h["income"][r["household"]] >= NEEDS_MET
            r["adult"] = ~r["minor"]
            r["man"] = r["adult"] & ~r["female"]
        if "farmed" in r:
            r["cash_earned"] = r["earned"] - r["farmed"]
        return r, h

    def present(self, field: str, among: str | None = None) -> np.ndarray:
        """``field`` over the returnees present at the last month (a survey's respondents),
        only those in the group ``among`` (a flag such as ``female``) if given."""
        r, _ = self.at(len(self.returnees))
        keep = r["arrived"] & r[among] if among else r["arrived"]
        return r[field][keep].astype(float)


def arm_spec(scenario: str, arm: Arm, seed: int, overrides: dict | None = None) -> RunSpec:
    """The run an arm stands for, keeping each month's state for the statistics."""
    return RunSpec(scenario, arm.strategy, seed, arm.months, {**(overrides or {}), **arm.overrides},
                   STRATEGIES_FILE, record="months")  # fmt: skip


def simulate(scenario: str, arm: Arm, seed: int, overrides: dict | None = None) -> Run:
    """One run of an arm, as the statistics read it."""
    return read(perform(arm_spec(scenario, arm, seed, overrides)))


def read(result: RunResult) -> Run:
    """A run's result as the statistics read it."""
    return Run(
        table=result.model_table.drop(columns="month"),
        returnees=[s.returnees for s in result.states],
        households=[s.households for s in result.states],
        indicators=[s.indicators for s in result.states],
        package_effects={n: p.effects.model_dump() for n, p in result.packages.items()},
        unit_costs={n: p.unit_cost for n, p in result.packages.items()},
        received=result.received,
        depreciation=result.parameters["asset_depreciation"],
        survey_usd=result.parameters["envy_reference_need_usd"]
        / result.parameters["monthly_need_usd"],
    )


# --- statistics: one replicate's paired runs -> the model's value ------------------------------


def monthly_level(runs: dict[str, Run], columns: list[str]) -> float:
    """A survey's share read from the monthly table at the last month: the sum of the named
    model outcomes (such as ``share_necessity`` and ``share_choice``, one reason each, for
    everyone intending to leave again)."""
    last = runs["main"].table.iloc[-1]
    return float(sum(last[c] for c in columns))


def share_present(runs: dict[str, Run], field: str, among: str | None = None) -> float:
    """A survey's share: the mean of a flag (such as ``working`` or ``needs_met``) over the
    returnees present at the last month, only those in the group ``among`` if given."""
    return float(runs["main"].present(field, among).mean())


def share_left_again(runs: dict[str, Run]) -> float:
    """Share of everyone who returned who has left again by the last month (MAFE's stock)."""
    last = runs["main"].table.iloc[-1]
    return float(last["left_necessity"] + last["left_choice"])


#: How a trial's effect is expressed: as the difference of means, relative to the control's
#: mean ("earnings +38%"), or in SD of the control's (a standardised mean difference, Cohen's d).
SCALES = ("difference", "relative", "sd")


def contrast(
    runs: dict[str, Run], field: str, scale: str = "difference", among: str | None = None
) -> float:
    """A trial's intention-to-treat effect on ``field`` among the returnees present at the
    end (the trial's respondents): treated arm minus control, on the ``scale`` the study used,
    only in the group ``among`` if given (as a trial's subgroup result)."""
    if scale not in SCALES:
        raise ValueError(f"scale: {scale!r} is not allowed; allowed: {', '.join(SCALES)}")
    treated = runs["treated"].present(field, among)
    control = runs["control"].present(field, among)
    effect = treated.mean() - control.mean()
    if scale == "relative":
        return float(effect / control.mean())
    if scale == "sd":
        return float(effect / control.std())
    return float(effect)


def return_on_grants(runs: dict[str, Run], grant_package: str) -> float:
    """A trial's annual return on capital: 12 x the intention-to-treat difference in mean
    monthly cash earnings (``cash_earned``, the trial's measure) of the returnees present, over
    the grant per returnee who returned."""
    gain = contrast(runs, "cash_earned")
    treated = runs["treated"]
    last = treated.table.iloc[-1]
    units = last[f"spent_{grant_package}"] / treated.unit_costs[grant_package]
    effects = treated.package_effects[grant_package]
    per_unit = effects["cash_usd"] + effects["business_asset_usd"]  # the grant, in cash or kind
    capital = units * per_unit / last["returned"]
    return float(12 * gain / capital)


def firm_death_rate(runs: dict[str, Run], start: int, end: int) -> float:
    """Annual death rate of the returnees' firms operating at ``start``: a firm died in a month
    its assets fell below half of what wear alone leaves (a closure sells them off; cash still
    being invested can restart a business, but not at half its size: it is a new firm), among
    returnees still present at ``end``. Assets at zero at the end of a month are not the test:
    a grant's cash, spent down over months, is reinvested in the month the firm closes."""
    main = runs["main"]
    assets = [main.at(month)[0]["business_asset"] for month in range(start, end + 1)]
    first, _ = main.at(start)
    last, _ = main.at(end)
    followed = first["arrived"] & (assets[0] > 0) & last["arrived"]
    closed = np.zeros_like(followed)
    for before, after in itertools.pairwise(assets):
        closed |= after < (1 - main.depreciation) * before / 2
    dead = float(closed[followed].mean())
    return 1 - (1 - dead) ** (12 / (end - start))


def neighbour_spillover(runs: dict[str, Run]) -> float:
    """Slope across villages: non-migrants' well-being (treated minus control, in SD of the
    control's) on the returnees' wealth per household (treated minus control, per 100 USD at
    the survey's prices, as :func:`model.mechanisms.resentment.survey_usd`), over the villages
    that have non-migrants."""
    grant, control = runs["treated"], runs["control"]
    month = len(grant.returnees)
    (gr, gh), (cr, ch) = grant.at(month), control.at(month)
    n = int(gh["community"].max()) + 1
    households = np.bincount(ch["community"], minlength=n)
    wealth = sum(gr[k] - cr[k] for k in WEALTH) * gr["arrived"]
    extra = np.bincount(gr["community"], weights=wealth, minlength=n) / households / 100
    extra *= grant.survey_usd
    nonmigrant = ch["returnees"] == 0
    sd = ch["wellbeing"][nonmigrant].std()

    def village_mean(h):
        sums = np.bincount(h["community"], weights=h["wellbeing"] * nonmigrant, minlength=n)
        with np.errstate(invalid="ignore"):  # no non-migrants: NaN, left out below
            return sums / np.bincount(h["community"], weights=nonmigrant, minlength=n)

    change = (village_mean(gh) - village_mean(ch)) / sd
    asked = np.isfinite(change)  # a village where every household received has no neighbours
    return float(stats.linregress(extra[asked], change[asked]).slope)


def score_difference(runs: dict[str, Run], fields: list[str]) -> dict[str, float]:
    """Mean of each field over the returnees present at the end, treated arm minus control."""
    return {f: contrast(runs, f) for f in fields}


def group_gap(
    runs: dict[str, Run], by: str, fields: list[str], among: str | None = None
) -> dict[str, float]:
    """A survey's gap: mean of each field over the returnees present at the end, outside
    minus inside the group ``by`` (a flag such as ``forced``, ``female`` or ``referred``),
    among those in the group ``among`` only if given (such as ``assisted``)."""
    main = runs["main"]
    inside = main.present(by, among).astype(bool)
    gaps = {}
    for f in fields:
        values = main.present(f, among)  # NaN where not asked (a child's economic indicators)
        gaps[f] = float(np.nanmean(values[~inside]) - np.nanmean(values[inside]))
    return gaps


def package_gap(runs: dict[str, Run], packages: list[str], fields: list[str]) -> dict[str, float]:
    """A programme's survey of its own caseload: mean of each field over the returnees present
    at the end who had been given any individual package by then, those given one of
    ``packages`` minus the rest (IOM compares beneficiaries of economic activities with the
    others it assisted, who were mostly given counselling and referral too)."""
    main = runs["main"]
    month = len(main.returnees)
    r, _ = main.at(month)
    given = main.received
    given = given[(given["level"] == "individual") & (given["month"] <= month)]

    def flag(rows) -> np.ndarray:
        out = np.zeros(len(r["arrived"]), dtype=bool)
        out[rows["returnee"].to_numpy()] = True
        return out

    caseload = flag(given) & r["arrived"]
    inside = flag(given[given["package"].isin(packages)])[caseload]
    gaps = {}
    for f in fields:
        values = r[f][caseload].astype(float)  # NaN where not asked (a child's economic ones)
        gaps[f] = float(np.nanmean(values[inside]) - np.nanmean(values[~inside]))
    return gaps


STATISTICS: dict[str, Callable[..., float | dict[str, float]]] = {
    f.__name__: f
    for f in (
        monthly_level,
        share_present,
        share_left_again,
        contrast,
        return_on_grants,
        firm_death_rate,
        neighbour_spillover,
        score_difference,
        group_gap,
        package_gap,
    )
}


def replicate_values(
    targets: Iterable[Target], seed: int, overrides: dict | None = None
) -> dict[str, dict[str, float]]:
    """Every target's value in one replicate: each distinct arm run once with this seed, to
    the longest horizon any target asks of it (a shorter arm reads its first months); arms
    of one scenario and horizon stepped together (:func:`model.run.perform_each`), each run
    the same as alone.

    A level target's value is ``{"value": x}``; a direction target's one entry per contrast.
    """
    targets = list(targets)
    longest: dict[tuple, Arm] = {}
    for t in targets:
        for arm in t.arms.values():
            key = (t.scenario, *arm.run)
            if key not in longest or arm.months > longest[key].months:
                longest[key] = arm
    specs = [arm_spec(key[0], arm, seed, overrides) for key, arm in longest.items()]
    cache = dict(zip(longest, map(read, perform_each(specs)), strict=True))
    out = {}
    for t in targets:
        runs = {
            name: cache[(t.scenario, *arm.run)].until(arm.months) for name, arm in t.arms.items()
        }
        value = STATISTICS[t.statistic](runs, **t.args)
        out[t.id] = value if isinstance(value, dict) else {"value": value}
    return out


# --- verdicts ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Verdict:
    """A target's value over replicates: per component the mean and 95% interval of the mean."""

    target: Target
    means: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    passed: bool


def mean_interval(values: np.ndarray) -> tuple[float, tuple[float, float]]:
    """Mean and 95% t-interval of the mean over replicates (none with one replicate)."""
    mean = float(np.mean(values))
    if len(values) < 2:
        return mean, (float("nan"), float("nan"))
    half = stats.t.ppf(0.975, len(values) - 1) * stats.sem(values)
    return mean, (mean - half, mean + half)


def verdict(target: Target, replicates: list[dict[str, float]]) -> Verdict:
    means, intervals = {}, {}
    for key in replicates[0]:
        means[key], intervals[key] = mean_interval(np.array([r[key] for r in replicates]))
    if target.kind == "level":
        assert target.figure is not None and target.tolerance is not None
        passed = abs(means["value"] - target.figure) <= target.tolerance
    else:
        passed = all(low > 0 for low, _ in intervals.values())
    return Verdict(target, means, intervals, passed)
