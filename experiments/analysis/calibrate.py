"""Calibration: the behavioural parameters that matter, fitted to published targets by ABC-SMC.

``reintegrate calibrate`` does three things in its output folder, each kept so that a killed
run can go on (``--resume``) from where it was:

1. **Screening** (``screening.csv``): a Morris design (SALib) over every behavioural parameter
   of the table, each over its table range, one replicate per point with one seed for all
   (common random numbers: an elementary effect then measures the parameter, not the seed).
   A parameter's score is its mu* on the calibration distance (:class:`Distance`): how far
   it moves the fit; its mu* on each statistic, standardised as the distance sees it
   (:func:`standardised`, in tolerances), is kept beside it. :func:`select` makes the cut:
   the best by score, and each statistic's strongest lever.
2. **ABC-SMC** (pyabc, its sqlite history ``abc.db``): priors uniform over each selected
   parameter's table range; one simulation is one replicate of every target
   (:func:`experiments.analysis.targets.replicate_values`) with a fresh seed; the distance is
   :class:`Distance`. Each generation is one ``ABCSMC.run`` on the stored history (``load``),
   so a resumed run and an uninterrupted one take the same path, and a kill loses only the
   generation in flight.
3. **The ensemble** (``posterior.parquet``, via :mod:`experiments.analysis.ensemble`): the last
   generation's particles and weights; plots and ``summary.md`` are written beside it.

pyabc is imported at the top so that the local workers' fork server loads it once; the
command line imports this module only when ``calibrate`` runs (pyabc takes seconds).
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pyabc import ABCSMC, RV, Distribution, History, MedianEpsilon
from pyabc.sampler import ConcurrentFutureSampler, DaskDistributedSampler
from SALib.analyze import morris
from SALib.sample import morris as morris_sample

from experiments.analysis.ensemble import Ensemble, as_parameter
from experiments.analysis.targets import Target, load_targets, replicate_values
from experiments.engine.runners import DaskRunner
from model.inputs import ScenarioError, suggest
from model.parameters import PARAMETERS, Parameter
from model.scenario import load_scenario, with_overrides

#: Screening: Morris trajectories (each costs one run per parameter, plus one), grid levels,
#: and the seed of the design and of its runs.
TRAJECTORIES, LEVELS, SCREENING_SEED = 3, 4, 20261203
#: A screening run's miss on a statistic counts at most this many tolerances (see standardised).
CLIP = 10.0
#: The cut (:func:`select`): by the distance at most this many, each scoring at least this
#: share of the best; with each statistic's strongest lever, at most this many in all.
MAX_BY_DISTANCE, SHARE_OF_LARGEST, MAX_PARAMETERS = 8, 0.1, 12
#: A direction contrast this far below zero (five points of a 0-1 score) costs as much in
#: the distance as a level target one tolerance off; above zero it costs nothing.
DIRECTION_SCALE = 0.05
#: Posterior draws (one replicate each) and default-parameter replicates behind fit.png.
FIT_DRAWS = 20
DB, STATE, SCREENING = "abc.db", "calibration.json", "screening.csv"
SCREENING_RUNS = "screening_runs.csv"


@dataclass(frozen=True)
class Setup:
    """What every simulation needs, small enough to send to each worker."""

    targets_path: str
    scenario: str
    factor: float | None = None  # priors within default / factor .. default * factor

    def prior_range(self, p: Parameter) -> tuple[float, float]:
        """The range a parameter is drawn from: its table range, or with ``factor`` the part
        of it within a factor of the default (a default of 0 keeps the table's range).

        The table's ranges say what is allowed, not what is plausible: a monthly hazard
        may be anything from 0 to 1, and a uniform prior over that puts nearly all its
        weight on worlds where everyone leaves again within months."""
        if self.factor is None or p.default == 0:
            return p.low, p.high
        ends = sorted((p.default / self.factor, p.default * self.factor))
        return max(p.low, ends[0]), min(p.high, ends[1])

    def targets(self) -> list[Target]:
        return _targets(self.targets_path, self.scenario)


@lru_cache(maxsize=4)
def _targets(path: str, scenario: str) -> list[Target]:
    """The targets file, every target's runs on the calibrated scenario (read once a worker)."""
    return [t.model_copy(update={"scenario": scenario}) for t in load_targets(path)]


def key(target_id: str, component: str) -> str:
    """A summary statistic's name: the target, or the target and its contrast."""
    return target_id if component == "value" else f"{target_id}.{component}"


def flatten(values: dict[str, dict[str, float]]) -> dict[str, float]:
    return {key(t, c): v for t, comps in values.items() for c, v in comps.items()}


def typed(overrides: dict[str, float]) -> dict[str, float]:
    """Overrides as the scenario takes them: integer parameters rounded."""
    return {k: as_parameter(k, v) for k, v in overrides.items()}


def evaluate(job: tuple[Setup, int, dict[str, float]]) -> dict[str, dict[str, float]]:
    """One replicate of every target at some overrides (what a worker process runs).

    A statistic with no value in a run (e.g. a death rate among no firms) is NaN, quietly:
    the distance counts it as a full miss (:func:`miss`), numpy need not warn each time.
    """
    setup, seed, overrides = job
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return replicate_values(setup.targets(), seed, typed(overrides))


@dataclass(frozen=True)
class Simulator:
    """The model as pyabc sees it: parameters in, flat summary statistics out, a new seed
    per simulation (pyabc reseeds numpy in each worker)."""

    setup: Setup

    def __call__(self, parameters) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))
        return flatten(evaluate((self.setup, seed, dict(parameters))))


def miss(z: float) -> float:
    """A miss in tolerances as the fit counts it: at most CLIP, and CLIP when undefined.

    Without the cap a run where everyone has left (no firm, no earnings: several statistics
    undefined) would be infinitely far, and with half the prior like that ABC's median
    threshold would stay infinite; beyond CLIP tolerances how far off a run is tells the
    fit nothing it needs.
    """
    return min(abs(z), CLIP) if math.isfinite(z) else CLIP


def _shortfall(contrast: float) -> float:
    """How far a contrast falls below zero (NaN stays NaN: undefined is a full miss)."""
    return 0.0 if contrast > 0 else contrast


@dataclass(frozen=True)
class Distance:
    """Squared capped misses (:func:`miss`): ``(value - figure) / tolerance`` per level
    target, plus ``shortfall below zero / DIRECTION_SCALE`` per direction contrast."""

    levels: dict[str, tuple[float, float]]
    directions: tuple[str, ...]

    @classmethod
    def of(cls, targets: list[Target], observed: dict[str, float]) -> Distance:
        levels = {
            t.id: (float(t.figure), float(t.tolerance))
            for t in targets
            if t.kind == "level" and t.figure is not None and t.tolerance is not None
        }
        return cls(levels, tuple(k for k in observed if k not in levels))

    def terms(self, x: dict[str, float]) -> dict[str, float]:
        out = {k: miss((x[k] - f) / tol) ** 2 for k, (f, tol) in self.levels.items()}
        out.update({k: miss(_shortfall(x[k]) / DIRECTION_SCALE) ** 2 for k in self.directions})
        return out

    def __call__(self, x: dict[str, float], x_0: dict | None = None) -> float:
        return sum(self.terms(x).values())


def observed(targets: list[Target], values: dict[str, dict[str, float]]) -> dict[str, float]:
    """What ABC compares with: each level target's figure; 0 for each direction contrast
    (the bound its sign must clear). Contrasts are named from one run (``values``)."""
    figures = {t.id: t.figure for t in targets if t.kind == "level"}
    flat = flatten(values)
    return {k: float(figures.get(k) or 0.0) for k in flat}


# --- screening ---------------------------------------------------------------------------------


def candidates(setup: Setup) -> list[Parameter]:
    """Behavioural parameters the scenario accepts at both ends of their prior range alone
    (the dimension weights, which must sum to 1, cannot vary alone)."""
    base = load_scenario(setup.scenario)
    found = []
    for p in PARAMETERS.values():
        low, high = setup.prior_range(p)
        if not p.behavioural or not low < high:
            continue
        try:
            for end in (low, high):
                with_overrides(base, typed({p.name: end}))
        except ScenarioError:
            continue
        found.append(p)
    return found


def morris_problem(setup: Setup, parameters: list[Parameter]) -> dict:
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [list(setup.prior_range(p)) for p in parameters],
    }


def screening_jobs(setup: Setup, parameters: list[Parameter]) -> tuple[np.ndarray, list]:
    """The Morris design's points, and one job (same seed throughout) per point."""
    problem = morris_problem(setup, parameters)
    x = morris_sample.sample(problem, TRAJECTORIES, num_levels=LEVELS, seed=SCREENING_SEED)
    names = problem["names"]
    return x, [(setup, SCREENING_SEED, dict(zip(names, row, strict=True))) for row in x]


def standardised(targets: list[Target], runs: pd.DataFrame) -> pd.DataFrame:
    """Each run's misses as the distance sees them (:func:`miss`), but signed: a level
    target's (value - figure) / tolerance, a contrast's value / DIRECTION_SCALE, within
    +-CLIP, and +CLIP where undefined. Without the cap a few explosive runs (a slope over a
    near-constant) would decide the ranking alone."""
    levels = {t.id: (t.figure, t.tolerance) for t in targets if t.kind == "level"}
    centre = [levels.get(c, (0.0, 0.0))[0] for c in runs.columns]
    scale = [levels.get(c, (0.0, DIRECTION_SCALE))[1] for c in runs.columns]
    frame = ((runs - centre) / scale).replace([np.inf, -np.inf], np.nan)
    return frame.fillna(CLIP).clip(-CLIP, CLIP)


def morris_table(problem: dict, x: np.ndarray, y: pd.DataFrame) -> pd.DataFrame:
    """mu* of every parameter on every column of ``y``; the score is its mu* on the
    ``distance`` column (how far the parameter moves the fit), the others are to read."""
    table = pd.DataFrame(index=pd.Index(problem["names"], name="parameter"))
    for column in y.columns:
        values = y[column].to_numpy(float)
        varies = np.ptp(values) > 0
        si = varies and morris.analyze(problem, x, values, num_levels=LEVELS, seed=SCREENING_SEED)
        table[column] = si["mu_star"] if varies else 0.0
    table = table.rename(columns={"distance": "score"}).sort_values("score", ascending=False)
    table["selected"] = False
    table.loc[select(table), "selected"] = True
    return table


def select(table: pd.DataFrame) -> list[str]:
    """The named cut: by the distance, the best MAX_BY_DISTANCE scoring at least
    SHARE_OF_LARGEST of the best; then each statistic's strongest lever not yet in, by its
    mu* on that statistic, up to MAX_PARAMETERS in all.

    The distance alone is dominated by runs where nearly everyone leaves (every statistic a
    full miss), so it ranks the parameters that cause that first; the levers make sure each
    target keeps the one parameter that moves it most (the grant's return, the neighbours).
    """
    score = table["score"]
    if not score.max() > 0:
        raise ScenarioError(["screening: no parameter moves any target; nothing to calibrate"])
    kept = score[score >= SHARE_OF_LARGEST * score.max()].sort_values(ascending=False)
    chosen = list(kept.index[:MAX_BY_DISTANCE])
    statistics = table.drop(columns=["score", "selected"], errors="ignore")
    levers = statistics.idxmax()[statistics.max() > 0]
    strength = statistics.max()[levers.index]
    for statistic in strength.sort_values(ascending=False).index:
        if len(chosen) < MAX_PARAMETERS and levers[statistic] not in chosen:
            chosen.append(levers[statistic])
    return chosen


# --- ABC-SMC -----------------------------------------------------------------------------------


def prior(setup: Setup, names: list[str]):
    """Uniform over each parameter's prior range: all we know is the range."""
    ranges = {n: setup.prior_range(PARAMETERS[n]) for n in names}
    return Distribution(**{n: RV("uniform", low, high - low) for n, (low, high) in ranges.items()})


def db_url(out: Path) -> str:
    return f"sqlite:///{(out / DB).absolute()}"


def generations_done(out: Path) -> pd.DataFrame:
    """The stored generations: t, epsilon, simulations, particles, wall time (none if new)."""
    if not (out / DB).is_file():
        return pd.DataFrame(columns=["t", "epsilon", "samples", "particles", "wall_time"])
    table = History(db_url(out), _id=1).get_all_populations()
    return table[table["t"] >= 0].reset_index(drop=True)


@dataclass(frozen=True)
class Budget:
    """Particles per generation; generations at most; no new generation once this many
    simulations are done (the one in flight finishes)."""

    population: int
    generations: int
    simulations: int


def run_abc(
    out: Path,
    setup: Setup,
    names: list[str],
    target_values: dict[str, float],
    sampler,
    budget: Budget,
    report: Callable[[pd.Series], None],
) -> pd.DataFrame:
    """Generations one at a time on the stored history until the budget is spent; each is
    reported as it is stored. Returns the stored generations."""
    logging.getLogger("ABC").setLevel(logging.WARNING)  # ``report`` says what matters, once
    distance = Distance.of(setup.targets(), target_values)
    while True:
        done = generations_done(out)
        if len(done) >= budget.generations or done["samples"].sum() >= budget.simulations:
            return done
        first = not (out / DB).is_file()
        abc = ABCSMC(
            Simulator(setup),
            prior(setup, names),
            distance,
            population_size=budget.population,
            # the first generation takes the prior sample whole; later ones the median
            # distance of the generation before (pyabc's adaptive epsilon)
            eps=MedianEpsilon(np.inf if done.empty else "from_sample"),
            sampler=sampler,
        )
        if first:
            abc.new(db_url(out), target_values)
        else:
            abc.load(db_url(out), 1)
        abc.run(max_nr_populations=1)
        report(generations_done(out).iloc[-1])


class _DaskSampler(DaskDistributedSampler):
    """pyabc's Dask sampler told the cluster's size once: pyabc's own asks the scheduler for
    it at every turn of its 10 ms loop, a round trip each time."""

    def __init__(self, runner: DaskRunner):
        super().__init__(dask_client=runner.client)
        self.cores = runner.slots

    def client_cores(self) -> int:
        return self.cores


def sampler(runner):
    """pyabc's dynamic scheduling (a new simulation as soon as one ends; a generation closes
    at its n-th acceptance in start order) on the runner's workers: the Dask client, or the
    project's own pool of warm local processes. Not pyabc's multicore sampler: it forks this
    (threaded) process at every generation, and no worker here is such a fork (runners)."""
    if isinstance(runner, DaskRunner):
        return _DaskSampler(runner)
    return ConcurrentFutureSampler(runner.pool, client_max_jobs=runner.slots)


def posterior(out: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """The last generation's particles and their weights."""
    frame, weights = History(db_url(out), _id=1).get_distribution(m=0)
    return frame.reset_index(drop=True), np.asarray(weights, float)


# --- the state kept between runs ---------------------------------------------------------------


def save_state(out: Path, state: dict) -> None:
    tmp = out / f".{STATE}.tmp"
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(out / STATE)


def load_state(out: Path) -> dict | None:
    path = out / STATE
    return json.loads(path.read_text()) if path.is_file() else None


def prepare(out: Path, wanted: dict, resume: bool, force: bool) -> dict:
    """Make ``out`` ready: new or empty; an earlier calibration of the same targets and
    scenario with ``--resume``; any earlier calibration, cleared, with ``--force``. A folder
    of other files is never touched. Returns the settings kept in it (a resumed run keeps
    its parameters)."""
    if out.exists() and not out.is_dir():
        raise _refuse(out, "is a file; allowed: a folder (new, empty, or an earlier calibration)")
    if out.is_dir() and any(out.iterdir()):
        state = load_state(out)
        if state is None:
            raise _refuse(out, "holds files reintegrate calibrate did not write; allowed: a "
                               "new or empty folder, or an earlier calibration")  # fmt: skip
        if force:
            shutil.rmtree(out)
        elif not resume:
            raise _refuse(out, "holds an earlier calibration; allowed: --resume to go on with "
                               "it, --force to start again, or another --out")  # fmt: skip
        else:
            kept = {k: wanted[k] or state.get(k) for k in ("parameters", "prior_factor")}
            wanted = {**wanted, **kept}
            _check_same(out, state, wanted)
    out.mkdir(parents=True, exist_ok=True)
    save_state(out, wanted)
    return wanted


def _check_same(out: Path, state: dict, wanted: dict) -> None:
    """A resumed calibration fits the same targets on the same scenario."""
    for field in ("targets_digest", "scenario", "parameters", "prior_factor"):
        if state.get(field) != wanted[field]:
            used, asked = state.get(field), wanted[field]
            raise _refuse(out, f"its calibration used {field} {used!r}, not {asked!r}; "
                               "allowed: the same, or --force to start again")  # fmt: skip


def _refuse(out: Path, why: str) -> ScenarioError:
    return ScenarioError([f"--out {out}: {why}"])


def elapsed(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))


# --- the whole calibration ---------------------------------------------------------------------


@dataclass
class Calibration:
    """What a finished calibration hands to its report."""

    setup: Setup
    screening: pd.DataFrame | None  # None: the parameters were given
    generations: pd.DataFrame
    particles: pd.DataFrame
    weights: np.ndarray
    at_defaults: list[dict]
    at_posterior: list[dict]
    seconds: float


def screen(out: Path, setup: Setup, runner, progress: Callable) -> pd.DataFrame:
    """The Morris screening, or the one kept in ``out`` from an earlier start."""
    path = out / SCREENING
    if path.is_file():
        return pd.read_csv(path, index_col="parameter")
    parameters = candidates(setup)
    x, jobs = screening_jobs(setup, parameters)
    runs = pd.DataFrame([flatten(v) for v in progress(runner, jobs, "screening")])
    runs.to_csv(out / SCREENING_RUNS, index=False)  # to read, not read back
    distance = Distance.of(setup.targets(), dict.fromkeys(runs.columns))
    y = standardised(setup.targets(), runs)
    y["distance"] = [distance(r) for r in runs.to_dict("records")]
    table = morris_table(morris_problem(setup, parameters), x, y)
    table.to_csv(path)
    return table


def fit_runs(setup: Setup, particles, weights, runner, progress) -> tuple[list, list]:
    """Replicates at the table's defaults and posterior draws (one replicate each), with the
    same seeds, for the fit plot and verdicts."""
    seeds = range(SCREENING_SEED, SCREENING_SEED + FIT_DRAWS)
    draws = Ensemble(particles, weights / weights.sum(), {}).draws(FIT_DRAWS, SCREENING_SEED)
    jobs = [(setup, s, {}) for s in seeds]
    jobs += [(setup, s, d) for s, d in zip(seeds, draws, strict=True)]
    values = progress(runner, jobs, "fit")
    return values[:FIT_DRAWS], values[FIT_DRAWS:]


def check_parameters(names: list[str]) -> None:
    """Parameters given to calibrate: in the table, with a range to draw from."""
    for name in names:
        if name not in PARAMETERS:
            raise ScenarioError(
                [f"--parameters: {name!r} is not a parameter; {suggest(name, PARAMETERS)}"]
            )
        if not PARAMETERS[name].low < PARAMETERS[name].high:
            raise ScenarioError([f"--parameters: {name} has no range in the table to fit"])


def calibrate(
    out: Path,
    setup: Setup,
    runner,
    sampler,
    budget: Budget,
    progress: Callable,
    say: Callable,
    parameters: list[str] | None = None,
) -> Calibration:
    """Screen (unless ``parameters`` are given), fit, and draw from the fit, in ``out``; each
    step kept for ``--resume``."""
    start = time.perf_counter()
    table = None if parameters else screen(out, setup, runner, progress)
    names = parameters or list(table.index[table["selected"]])
    say(f"calibrating {len(names)} parameters: {', '.join(names)}")
    target_values = observed(setup.targets(), evaluate((setup, SCREENING_SEED, {})))

    def report(row: pd.Series) -> None:
        say(
            f"generation {int(row['t'])}: epsilon {row['epsilon']:.4g}, accepted "
            f"{int(row['particles'])} of {int(row['samples'])} "
            f"({row['particles'] / row['samples']:.0%}), {elapsed(row['wall_time'])}"
        )

    generations = run_abc(out, setup, names, target_values, sampler, budget, report)
    particles, weights = posterior(out)
    at_defaults, at_posterior = fit_runs(setup, particles, weights, runner, progress)
    return Calibration(
        setup, table, generations, particles, weights, at_defaults, at_posterior,
        seconds=time.perf_counter() - start,
    )  # fmt: skip
