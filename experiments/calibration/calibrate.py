"""Calibration: the behavioural parameters that matter, fitted to published targets by ABC-SMC.

``reintegrate calibrate`` does three things in its output folder, each kept so that a killed
run can go on (``--resume``) from where it was:

1. **Screening** (``screening.csv``, :mod:`.screening`): which behavioural
   parameters move the fit, by a Morris design over their prior ranges.
2. **ABC-SMC** (pyabc, its sqlite history ``abc.db``): priors uniform over each selected
   parameter's prior range (``Setup.prior_range``); one simulation is one replicate of
   every target (:func:`experiments.validation.targets.replicate_values`) with a fresh seed;
   the distance is ``setup.Distance``. Each generation is one ``ABCSMC.run`` on
   the stored history (``load``), so a resumed run and an uninterrupted one take the same
   path, and a kill loses only the generation in flight.
3. **The ensemble** (``posterior.parquet``, via :mod:`experiments.calibration.ensemble`): the last
   generation's particles and weights; plots and ``summary.md`` are written beside it.

pyabc is imported at the top so that the local workers' fork server loads it once; the
command line imports this module only when ``calibrate`` runs (pyabc takes seconds).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from pyabc import ABCSMC, RV, Distribution, History, MedianEpsilon, MultivariateNormalTransition
from pyabc.sampler import ConcurrentFutureSampler, DaskDistributedSampler

from experiments.calibration.ensemble import Ensemble
from experiments.calibration.screening import SCREENING_SEED, screen
from experiments.calibration.setup import Distance, Setup, flatten, typed
from experiments.engine.resumable import ResumableFolder
from experiments.engine.runners import DaskRunner
from experiments.validation.targets import Target, replicate_values
from model.inputs import ScenarioError, suggest
from model.parameters import PARAMETERS

#: Posterior draws (one replicate each) and default-parameter replicates behind fit.png.
FIT_DRAWS = 20
DB, STATE = "abc.db", "calibration.json"


def evaluate(job: tuple[Setup, int, dict[str, float]]) -> dict[str, dict[str, float]]:
    """One replicate of every target at some overrides (what a worker process runs).

    A statistic with no value in a run (e.g. a death rate among no firms) is NaN, quietly:
    the distance counts it as a full miss (``setup.miss``), unwarned.
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


def observed(targets: list[Target], values: dict[str, dict[str, float]]) -> dict[str, float]:
    """What ABC compares with: each level target's figure; 0 for each direction contrast
    (the bound its sign must clear). Contrasts are named from one run (``values``)."""
    figures = {t.id: t.figure for t in targets if t.kind == "level"}
    flat = flatten(values)
    return {k: float(figures.get(k) or 0.0) for k in flat}


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
            transitions=MultivariateNormalTransition(bandwidth_selector=twice_the_variance),
            sampler=sampler,
        )
        if first:
            abc.new(db_url(out), target_values)
        else:
            abc.load(db_url(out), 1)
        abc.run(max_nr_populations=1)
        report(generations_done(out).iloc[-1])


def twice_the_variance(effective_size: float, dimensions: int) -> float:
    """The perturbation kernel's bandwidth: a normal with twice the particles' weighted
    covariance (Beaumont, Cornuet, Marin & Robert 2009, Adaptive approximate Bayesian
    computation, Biometrika 96(4)). pyabc's default (Silverman's rule, about 0.44 times the
    covariance with 12 parameters) explores too little: the last generation of a calibration
    on the shipped targets put 99.98% of its weight on one particle."""
    return float(np.sqrt(2.0))


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


def folder(out: Path) -> ResumableFolder:
    """The calibration's folder: a resumed calibration fits the same targets on the same
    scenario, and keeps its parameters and prior factor unless given again."""
    return ResumableFolder(out, "calibration", STATE,
                           same=("targets_digest", "scenario", "parameters", "prior_factor"),
                           kept=("parameters", "prior_factor"))  # fmt: skip


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


def fit_runs(setup: Setup, particles, weights, runner, progress) -> tuple[list, list]:
    """Replicates at the table's defaults and posterior draws (one replicate each), with the
    same seeds, for the fit plot and verdicts."""
    seeds = range(SCREENING_SEED, SCREENING_SEED + FIT_DRAWS)
    draws = Ensemble(particles, weights / weights.sum(), {}).draws(FIT_DRAWS, SCREENING_SEED)
    jobs: list[tuple[Setup, int, dict]] = [(setup, s, {}) for s in seeds]
    jobs += [(setup, s, d) for s, d in zip(seeds, draws, strict=True)]
    values = progress(runner, jobs, "fit")
    return values[:FIT_DRAWS], values[FIT_DRAWS:]


def check_parameters(names: list[str]) -> None:
    """Parameters given to calibrate: in the table, with a range to draw from."""
    if not names:
        raise ScenarioError(["--parameters: names no parameter; allowed: parameter names, "
                             "e.g. --parameters hire_rate,acceptance_rate"])  # fmt: skip
    for name in names:
        if name not in PARAMETERS:
            raise ScenarioError(
                [f"--parameters: {name!r} is not a parameter; {suggest(name, PARAMETERS)}"]
            )
        if not PARAMETERS[name].low < PARAMETERS[name].high:
            raise ScenarioError([f"--parameters: {name} has no range in the table to fit"])
        if not PARAMETERS[name].behavioural:  # an ensemble holds behaviour only (ensemble.py)
            raise ScenarioError(
                [f"--parameters: {name} describes the context or the programme, not behaviour; "
                 "allowed: behavioural parameters of the table (a budget or a population is "
                 "the comparison's own)"]
            )  # fmt: skip


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
    if parameters:
        table, names = None, parameters
    else:
        table = screen(out, setup, runner, progress)
        names = list(table.index[table["selected"]])
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
