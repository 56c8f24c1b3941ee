"""The designs an experiment describes: which runs a sweep makes.

:class:`Experiment` is an experiment file once validated (see
:mod:`experiments.sweeps.experiment_file`). :meth:`Experiment.runs` lists the runs: one per
design point, strategy and replicate, drawn by the design's sampler (full grid, Latin
hypercube, Saltelli/Sobol, Morris), each with a run id and a seed that depend only on the
file, so any runner (one process, many, Dask) makes exactly the same runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from scipy.stats import qmc

from model.parameters import PARAMETERS
from model.scenario import ReintegrationScenario

#: Columns of every sweep row besides the varied parameters and the outcomes.
ID_COLUMNS = ("run_id", "point", "strategy", "replicate", "seed")


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
        columns = {
            "run_id": np.arange(n_p * n_s * n_r, dtype=np.int64),
            "point": point.astype(np.int64),
            "strategy": np.asarray(self.strategies, dtype=object)[strat],
            "replicate": rep.astype(np.int64),
            "seed": [self.seed_of(p, r) for p, r in zip(point, rep, strict=True)],
        }
        # one frame built at once: adding a column at a time fragments it (pandas warns)
        return pd.DataFrame(columns | {n: points[n].to_numpy()[point] for n in self.names})

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
