"""Experiment files: their schema, and the checks that turn one into an :class:`Experiment`.

An experiment file (TOML, in ``experiments/files/`` or anywhere) names a scenario, the parameters
that vary and over what, a design (full grid, Latin hypercube, Saltelli/Sobol, Morris), the
strategies, replicates, months, seed and the outcomes to keep. :func:`load_experiment`
validates it against the parameter table and reports every problem as one line
(:class:`~model.inputs.ScenarioError`). What the validated experiment then runs is
:mod:`experiments.sweeps.designs`; the file's checks are apart from it because they are most
of the code and change with the file's format, not with how runs are drawn.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from experiments import FILES
from experiments.sweeps.designs import Experiment, Factor
from model.inputs import ScenarioError, read_toml, shipped_or_path, suggest
from model.parameters import PARAMETERS
from model.run import SUMMARY_OUTCOMES
from model.scenario import load_scenario, with_overrides

EXPERIMENT_DIR = FILES
#: Bounds that keep a design's table of runs within one machine's memory.
MAX_SAMPLES, MAX_REPLICATES, MAX_RUNS = 1_000_000, 10_000, 10_000_000


class _Strict(BaseModel):
    """TOML has real types: ``true`` is no number, ``"3"`` no month, ``inf`` no spread."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


#: An experiment's name is the folder of its results (results/sweeps/NAME): one plain name.
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$"
NAME_ALLOWED = "letters, digits, _ . - (1 to 100, not starting with . or -)"


class FactorSpec(_Strict):
    """How one parameter varies: listed values, a range, or a spread around its default."""

    values: list[float] | None = Field(None, min_length=1)
    low: float | None = None
    high: float | None = None
    spread: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_form(self):
        forms = [self.values is not None, self.low is not None or self.high is not None]
        forms.append(self.spread is not None)
        if sum(forms) != 1:
            raise ValueError("give exactly one of: values = [...], low and high, or spread")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high")
        return self


class DesignSpec(_Strict):
    method: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(None, ge=1, le=MAX_SAMPLES)
    levels: int = Field(4, ge=2, le=1000)
    second_order: bool = False
    common_seeds: bool = True


class VaryAllSpec(_Strict):
    spread: float = Field(0.5, gt=0)
    exclude: list[str] = []


class ExperimentSpec(_Strict):
    """The shape of an experiment file (see docs/researchers.md)."""

    name: str
    description: str = ""
    scenario: str = "default"

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        if not re.fullmatch(NAME_PATTERN, name):
            raise ValueError(f"allowed: {NAME_ALLOWED}, as it names the results folder")
        return name

    design: DesignSpec
    strategies: list[str] = Field(min_length=1)
    replicates: int = Field(1, ge=1, le=MAX_REPLICATES)
    months: int = Field(24, ge=1, le=600)
    seed: int = Field(0, ge=0)
    outcomes: list[str] | None = Field(None, min_length=1)
    fixed: dict[str, Any] = {}
    parameters: dict[str, FactorSpec] = {}
    vary_all_behavioural: VaryAllSpec | None = None


def experiment_path(name_or_path: str | Path) -> Path:
    """A shipped experiment by name (``experiments/files/NAME.toml``) or a path to a TOML file."""
    shipped = ", ".join(sorted(p.stem for p in EXPERIMENT_DIR.glob("*.toml")))
    return shipped_or_path(name_or_path, EXPERIMENT_DIR, "experiment", shipped)


def load_experiment(
    name_or_path: str | Path, *, samples: int | None = None, replicates: int | None = None
) -> Experiment:
    """Read and validate an experiment file; ``samples``/``replicates`` scale its design."""
    path = experiment_path(name_or_path)
    doc = read_toml(path)
    if samples is not None:
        doc.setdefault("design", {})["samples"] = samples
    if replicates is not None:
        doc["replicates"] = replicates
    try:
        spec = ExperimentSpec.model_validate(doc)
    except ValidationError as err:
        raise ScenarioError([_describe(e, path.name) for e in err.errors()]) from None
    return _resolve(spec, path.name)


def _describe(error: ErrorDetails, origin: str) -> str:
    where = ".".join(str(x) for x in error["loc"]) or "file"
    if error["type"] == "extra_forbidden":
        return f"{origin}: {where}: unknown field; see docs/researchers.md for the allowed ones"
    value = "" if error["type"] == "missing" else f"{error['input']!r} "
    msg = error["msg"].removeprefix("Value error, ")
    return f"{origin}: {where}: {value}is not allowed ({msg.lower()})"


def _resolve(spec: ExperimentSpec, origin: str) -> Experiment:
    """Check names, ranges and combinations against the model; collect every problem."""
    problems: list[str] = []
    unknown_fixed = [k for k in spec.fixed if k not in PARAMETERS]
    problems += [f"{origin}: fixed.{k}: unknown parameter; {_hint(k)}" for k in unknown_fixed]
    try:
        base = load_scenario(
            spec.scenario, {k: v for k, v in spec.fixed.items() if k in PARAMETERS} or None
        )
    except ScenarioError as err:
        raise ScenarioError([*problems, *(f"{origin}: {p}" for p in err.problems)]) from None
    problems += [
        f"{origin}: fixed.{n}: {spec.fixed[n]!r} is not allowed in a sweep; {_at_least(n)}"
        for n, least in AT_LEAST.items()
        if n in spec.fixed and getattr(base, n) < least
    ]
    factors = [
        f for f in (_factor(n, s, base, origin, problems) for n, s in spec.parameters.items()) if f
    ]
    left_out: dict[str, str] = {}
    if spec.vary_all_behavioural:
        extra, left_out = _behavioural(spec, spec.vary_all_behavioural, base, origin, problems)
        factors += extra
    problems += _design_problems(spec, factors, origin)
    problems += _size_problems(spec, factors, origin)
    problems += _strategy_problems(spec, base, origin)
    outcomes = tuple(spec.outcomes or SUMMARY_OUTCOMES)
    problems += [
        f"{origin}: outcomes: {o!r} is not an outcome; allowed: {', '.join(SUMMARY_OUTCOMES)}"
        for o in outcomes
        if o not in SUMMARY_OUTCOMES
    ]
    problems += _listed_twice(f"{origin}: outcomes", list(outcomes))
    problems += [
        f"{origin}: parameters.{n}: also in [fixed] with {spec.fixed[n]!r}; allowed: fixed "
        "or varied, not both"
        for n in (f.name for f in factors)
        if n in spec.fixed
    ]
    if problems:
        raise ScenarioError(problems)
    return Experiment(
        name=spec.name,
        description=spec.description,
        scenario=base,
        strategies=tuple(spec.strategies),
        method=spec.design.method,
        samples=spec.design.samples,
        levels=spec.design.levels,
        second_order=spec.design.second_order,
        common_seeds=spec.design.common_seeds,
        replicates=spec.replicates,
        months=spec.months,
        seed=spec.seed,
        outcomes=outcomes,
        factors=tuple(factors),
        fixed=dict(spec.fixed),
        left_out=left_out,
    )


#: Values the parameter table allows but a sweep cannot summarise: its outcomes are shares
#: of returnees (as ``run`` and ``compare`` refuse them too).
AT_LEAST = {"n_returnees": 1}


def _at_least(name: str) -> str:
    return f"allowed: at least {AT_LEAST[name]}, as the outcomes are shares of returnees"


def _hint(name: str) -> str:
    return suggest(name, PARAMETERS, "parameter name")


def _factor(name, spec: FactorSpec, base, origin, problems, *, clip=False) -> Factor | None:
    """One listed parameter's range or values, checked against the parameter table. A spread
    that reaches beyond the table's range is refused (the file asks for default x (1 +-
    spread), and a clipped range would be another, lopsided design), except under
    ``clip``: ``vary_all_behavioural`` clips, as documented."""
    where = f"{origin}: parameters.{name}"
    p = PARAMETERS.get(name)
    if p is None:
        problems.append(f"{where}: unknown parameter; {_hint(name)}")
        return None
    allowed = f"allowed: {p.low:g} to {p.high:g} {p.unit}"
    if spec.spread is not None:
        default = getattr(base, name)
        wide = sorted((default * (1 - spec.spread), default * (1 + spec.spread)))
        low, high = max(p.low, wide[0]), min(p.high, wide[1])
        if not clip and (low, high) != tuple(wide):
            problems.append(
                f"{where}: spread {spec.spread:g} gives {wide[0]:g} to {wide[1]:g}, beyond the "
                f"parameter's range; {allowed} (or give low and high)"
            )
            return None
    elif spec.values is not None:
        low, high = min(spec.values), max(spec.values)
    else:
        low, high = spec.low, spec.high
    bad = [v for v in (spec.values or [low, high]) if not p.low <= v <= p.high]
    if bad:
        problems += [f"{where}: {v:g} is outside the parameter's range; {allowed}" for v in bad]
        return None
    if p.kind is int and any(v != int(v) for v in spec.values or ()):
        problems += [f"{where}: {v:g} is not a whole number; {allowed}, whole numbers"
                     for v in spec.values or () if v != int(v)]  # fmt: skip
        return None
    if low < AT_LEAST.get(name, low):
        problems.append(f"{where}: {low:g} is not allowed in a sweep; {_at_least(name)}")
        return None
    if spec.values is None and not low < high:
        problems.append(f"{where}: low {low:g} must be below high {high:g}; {allowed}")
        return None
    values = tuple(spec.values) if spec.values is not None else None
    factor = Factor(name, float(low), float(high), values)
    for v in values or (low, high):
        try:
            with_overrides(base, {name: factor.typed(v)})
        except ScenarioError as err:
            problems += [
                f"{where}: cannot take {v:g} with the other parameters: {e}" for e in err.problems
            ]
            return None
    return factor


def _behavioural(
    spec: ExperimentSpec, vary: VaryAllSpec, base, origin, problems
) -> tuple[list[Factor], dict[str, str]]:
    """Every behavioural parameter not listed, over default x (1 +- spread).

    A parameter that cannot vary alone (e.g. dimension weights that must sum to 1) is left
    out and reported, since every run varying it would fail.
    """
    unknown = [n for n in vary.exclude if n not in PARAMETERS]
    problems += [
        f"{origin}: vary_all_behavioural.exclude: {n!r} is not a parameter; {_hint(n)}"
        for n in unknown
    ]
    factors: list[Factor] = []
    left_out: dict[str, str] = {}
    for p in PARAMETERS.values():
        if not p.behavioural or p.name in {*spec.parameters, *spec.fixed, *vary.exclude}:
            continue
        if getattr(base, p.name) == 0:
            left_out[p.name] = "its default is 0, so a relative spread gives no range"
            continue
        found: list[str] = []
        factor = _factor(p.name, FactorSpec(spread=vary.spread), base, origin, found, clip=True)
        if factor is None:
            left_out[p.name] = found[0].split(": ", 2)[-1]
        else:
            factors.append(factor)
    return factors, left_out


def _design_problems(spec: ExperimentSpec, factors: list[Factor], origin: str) -> list[str]:
    d, where = spec.design, f"{origin}: design"
    if d.method == "grid":
        return [] if d.samples is None else [f"{where}.samples: a grid takes no samples; remove it"]
    problems = []
    if not spec.parameters and not spec.vary_all_behavioural:
        problems.append(f"{where}.method: {d.method!r} needs at least one parameter to vary")
    if d.samples is None:
        problems.append(f"{where}.samples: missing; {d.method} needs a number of samples")
    elif d.method == "sobol" and d.samples & (d.samples - 1):
        problems.append(
            f"{where}.samples: {d.samples} is not allowed; Saltelli sampling needs a power of 2"
        )
    listed = [f.name for f in factors if f.values is not None]
    problems += [
        f"{origin}: parameters.{n}: {d.method} samples a range; give low and high or spread"
        for n in listed
    ]
    return problems


def _size_problems(spec: ExperimentSpec, factors: list[Factor], origin: str) -> list[str]:
    """The number of runs, counted before the design is drawn: one table row per run."""
    d, k = spec.design, len(factors)
    points = {
        "grid": math.prod(len(f.values) if f.values else d.levels for f in factors),
        "lhs": d.samples or 0,
        "sobol": (d.samples or 0) * (2 * k + 2 if d.second_order else k + 2),
        "morris": (d.samples or 0) * (k + 1),
    }[d.method]
    runs = points * len(spec.strategies) * spec.replicates
    if runs <= MAX_RUNS:
        return []
    return [f"{origin}: design: {runs:,} runs (points x strategies x replicates) is not "
            f"allowed; allowed: at most {MAX_RUNS:,}"]  # fmt: skip


def _strategy_problems(spec: ExperimentSpec, base, origin: str) -> list[str]:
    known = base.strategies
    return [
        f"{origin}: strategies: {s!r} is not defined; allowed: {', '.join(known)}"
        for s in spec.strategies
        if s not in known
    ] + _listed_twice(f"{origin}: strategies", spec.strategies)


def _listed_twice(where: str, names: list[str]) -> list[str]:
    """Each name listed more than once: a sweep's columns and rows are keyed by names."""
    dupes = sorted({n for n in names if names.count(n) > 1})
    return [f"{where}: {n!r} is listed twice; allowed: each name once" for n in dupes]
