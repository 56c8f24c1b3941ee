"""Experiment files and the designs they describe: which runs a sweep makes.

An experiment file (TOML, in ``experiments/files/`` or anywhere) names a scenario, the parameters
that vary and over what, a design (full grid, Latin hypercube, Saltelli/Sobol, Morris), the
strategies, replicates, months, seed and the outcomes to keep. :func:`load_experiment`
validates it against the parameter table and reports every problem as one line
(:class:`~model.scenario.ScenarioError`). :meth:`Experiment.runs` lists the runs: one per
design point, strategy and replicate, each with a run id and a seed that depend only on the
file, so any runner (one process, many, Dask) makes exactly the same runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from scipy.stats import qmc

from experiments import FILES
from model.inputs import ScenarioError, read_toml, shipped_or_path, suggest
from model.parameters import PARAMETERS
from model.run import SUMMARY_OUTCOMES
from model.scenario import ReintegrationScenario, load_scenario, with_overrides

EXPERIMENT_DIR = FILES
METHODS = ("grid", "lhs", "sobol", "morris")
#: Bounds that keep a design's table of runs within one machine's memory.
MAX_SAMPLES, MAX_REPLICATES, MAX_RUNS = 1_000_000, 10_000, 10_000_000
#: Columns of every sweep row besides the varied parameters and the outcomes.
ID_COLUMNS = ("run_id", "point", "strategy", "replicate", "seed")


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


@dataclass(frozen=True)
class Factor:
    """A parameter that varies, with its (validated) range or values."""

    name: str
    low: float
    high: float
    values: tuple | None = None

    @property
    def kind(self) -> type:
        return PARAMETERS[self.name].kind

    def typed(self, x):
        """A plain Python value the scenario validation accepts (ints rounded)."""
        return int(round(float(x))) if self.kind is int else float(x)


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: everything a sweep needs to list and make its runs."""

    name: str
    description: str
    scenario: ReintegrationScenario
    strategies: tuple[str, ...]
    method: str
    samples: int | None
    levels: int
    second_order: bool
    common_seeds: bool
    replicates: int
    months: int
    seed: int
    outcomes: tuple[str, ...]
    factors: tuple[Factor, ...]
    fixed: dict = field(default_factory=dict)
    left_out: dict = field(default_factory=dict)  # parameter -> why vary_all skipped it

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]

    def problem(self) -> dict:
        """The SALib problem: the varied parameters and their bounds."""
        return {
            "num_vars": len(self.factors),
            "names": self.names,
            "bounds": [[f.low, f.high] for f in self.factors],
        }

    def sample(self) -> np.ndarray:
        """The sampler's raw points (rows) over the varied parameters (columns)."""
        return _SAMPLERS[self.method](self)

    def points(self) -> pd.DataFrame:
        """The design points, typed, in the sampler's order (index = point id)."""
        raw = self.sample()
        columns = {
            f.name: [f.typed(x) for x in raw[:, i]] if len(raw) else []
            for i, f in enumerate(self.factors)
        }
        return pd.DataFrame(columns, index=pd.RangeIndex(len(raw), name="point"))

    def runs(self) -> pd.DataFrame:
        """Every run: point x strategy x replicate, with deterministic run id and seed.

        The run id is ``(point * n_strategies + strategy) * replicates + replicate``. The seed
        (:meth:`seed_of`) never depends on the strategy, so strategies are compared on the same
        population and the same luck (common random numbers).
        """
        points = self.points()
        n_p, n_s, n_r = len(points), len(self.strategies), self.replicates
        point, strat, rep = (a.ravel() for a in np.indices((n_p, n_s, n_r)))
        table = pd.DataFrame(
            {
                "run_id": np.arange(n_p * n_s * n_r, dtype=np.int64),
                "point": point.astype(np.int64),
                "strategy": np.asarray(self.strategies, dtype=object)[strat],
                "replicate": rep.astype(np.int64),
                "seed": [self.seed_of(p, r) for p, r in zip(point, rep, strict=True)],
            }
        )
        for name in self.names:
            table[name] = points[name].to_numpy()[point]
        return table

    def seed_of(self, point: int, replicate: int) -> int:
        """A run's seed: by replicate alone with common seeds (the default), else by point too.

        Common seeds give every design point the same populations and luck, so differences
        between points come from the parameters; sensitivity estimators, which difference
        neighbouring points, then see far less noise.
        """
        return run_seed(self.seed, (replicate,) if self.common_seeds else (point, replicate))

    def fingerprint(self) -> str:
        """A hash of everything that decides the runs and their results' meaning."""
        scenario = {
            k: v
            for k, v in self.scenario.to_dict().items()
            if k not in {"model", "_scenario_id", "rng"}
        }
        spec = {
            "scenario": scenario,
            "strategies": self.strategies,
            "design": [
                self.method,
                self.samples,
                self.levels,
                self.second_order,
                self.common_seeds,
            ],
            "replicates": self.replicates,
            "months": self.months,
            "seed": self.seed,
            "outcomes": self.outcomes,
            "factors": [[f.name, f.low, f.high, f.values] for f in self.factors],
        }
        blob = json.dumps(spec, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def run_seed(experiment_seed: int, key: tuple[int, ...]) -> int:
    """A seed from the experiment seed, spawned by key (replicate, or point and replicate)."""
    seq = np.random.SeedSequence(experiment_seed, spawn_key=tuple(int(k) for k in key))
    return int(seq.generate_state(1, np.uint64)[0] >> np.uint64(1))


def _grid(exp: Experiment) -> np.ndarray:
    axes = [
        f.values if f.values is not None else np.linspace(f.low, f.high, exp.levels)
        for f in exp.factors
    ]
    combos = list(itertools.product(*axes))  # one empty point when nothing varies
    return np.array(combos, dtype=float).reshape(len(combos), len(axes))


def _lhs(exp: Experiment) -> np.ndarray:
    unit = qmc.LatinHypercube(d=len(exp.factors), rng=exp.seed).random(exp.samples)
    return qmc.scale(unit, [f.low for f in exp.factors], [f.high for f in exp.factors])


def _sobol(exp: Experiment) -> np.ndarray:
    return sobol_sample.sample(
        exp.problem(), exp.samples, calc_second_order=exp.second_order, seed=exp.seed
    )


def _morris(exp: Experiment) -> np.ndarray:
    return morris_sample.sample(exp.problem(), exp.samples, num_levels=exp.levels, seed=exp.seed)


_SAMPLERS = {"grid": _grid, "lhs": _lhs, "sobol": _sobol, "morris": _morris}


# --- loading and validation -------------------------------------------------------------------


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


def _describe(error: dict, origin: str) -> str:
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
    factors = [
        f for f in (_factor(n, s, base, origin, problems) for n, s in spec.parameters.items()) if f
    ]
    left_out = {}
    if spec.vary_all_behavioural:
        extra, left_out = _behavioural(spec, base, origin, problems)
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


def _hint(name: str) -> str:
    return suggest(name, PARAMETERS, "parameter name")


def _factor(name, spec: FactorSpec, base, origin, problems) -> Factor | None:
    where = f"{origin}: parameters.{name}"
    p = PARAMETERS.get(name)
    if p is None:
        problems.append(f"{where}: unknown parameter; {_hint(name)}")
        return None
    allowed = f"allowed: {p.low:g} to {p.high:g} {p.unit}"
    if spec.spread is not None:
        default = getattr(base, name)
        low, high = (
            max(p.low, default * (1 - spec.spread)),
            min(p.high, default * (1 + spec.spread)),
        )
    elif spec.values is not None:
        low, high = min(spec.values), max(spec.values)
    else:
        low, high = spec.low, spec.high
    bad = [v for v in (spec.values or [low, high]) if not p.low <= v <= p.high]
    if bad:
        problems += [f"{where}: {v:g} is outside the parameter's range; {allowed}" for v in bad]
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


def _behavioural(spec: ExperimentSpec, base, origin, problems) -> tuple[list[Factor], dict]:
    """Every behavioural parameter not listed, over default x (1 +- spread).

    A parameter that cannot vary alone (e.g. dimension weights that must sum to 1) is left
    out and reported, since every run varying it would fail.
    """
    vary = spec.vary_all_behavioural
    unknown = [n for n in vary.exclude if n not in PARAMETERS]
    problems += [
        f"{origin}: vary_all_behavioural.exclude: {n!r} is not a parameter; {_hint(n)}"
        for n in unknown
    ]
    factors, left_out = [], {}
    for p in PARAMETERS.values():
        if not p.behavioural or p.name in {*spec.parameters, *spec.fixed, *vary.exclude}:
            continue
        if getattr(base, p.name) == 0:
            left_out[p.name] = "its default is 0, so a relative spread gives no range"
            continue
        found: list[str] = []
        factor = _factor(p.name, FactorSpec(spread=vary.spread), base, origin, found)
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
