"""The calibration's screening: which behavioural parameters move the fit (Morris, SALib).

A Morris design over every behavioural parameter that can vary alone, each over its prior
range, one replicate per point with one seed for all (common random numbers: an elementary
effect then measures the parameter, not the seed). A parameter's score is its mu* on the
calibration distance (:class:`.setup.Distance`): how far it moves the fit; its
mu* on each statistic, standardised as the distance sees it (:func:`standardised`, in
tolerances), is kept beside it. :func:`select` makes the cut.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris
from SALib.sample import morris as morris_sample

from experiments.calibration.setup import (
    CLIP,
    DIRECTION_SCALE,
    Distance,
    Setup,
    flatten,
    typed,
)
from experiments.validation.targets import Target
from model.inputs import ScenarioError
from model.parameters import PARAMETERS, Parameter
from model.scenario import load_scenario, with_overrides

#: Morris trajectories (each costs one run per parameter, plus one), grid levels, and the
#: seed of the design and of its runs.
TRAJECTORIES, LEVELS, SCREENING_SEED = 3, 4, 20261203
#: The cut (:func:`select`): by the distance, those scoring at least this share of the best;
#: with the targets' strongest levers, at most this many in all.
SHARE_OF_LARGEST, MAX_PARAMETERS = 0.1, 12
SCREENING, SCREENING_RUNS = "screening.csv", "screening_runs.csv"
#: Fitted whatever the screening scores (issue 20): the bars at which pressure or wish
#: counts as an intention to leave decide the level of every intention figure, and no
#: source sizes them; the level targets on intentions are what should.
ALWAYS_FITTED = ("necessity_threshold", "choice_threshold")


def screen(out: Path, setup: Setup, runner, progress: Callable) -> pd.DataFrame:
    """The Morris screening, or the one kept in ``out`` from an earlier start."""
    path = out / SCREENING
    if path.is_file():
        return pd.read_csv(path, index_col="parameter")
    parameters = candidates(setup)
    x, jobs = screening_jobs(setup, parameters)
    runs = pd.DataFrame([flatten(v) for v in progress(runner, jobs, "screening")])
    runs.to_csv(out / SCREENING_RUNS, index=False)  # to read, not read back
    distance = Distance.of(setup.targets(), runs.columns)
    y = standardised(setup.targets(), runs)
    y["distance"] = [distance(r) for r in runs.to_dict("records")]
    levels = {t.id for t in setup.targets() if t.kind == "level"}
    table = morris_table(morris_problem(setup, parameters), x, y, levels)
    table.to_csv(path)
    return table


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


def morris_table(problem: dict, x: np.ndarray, y: pd.DataFrame, levels: set[str]) -> pd.DataFrame:
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
    table.loc[select(table, levels), "selected"] = True
    return table


def select(table: pd.DataFrame, levels: set[str]) -> list[str]:
    """The named cut, up to MAX_PARAMETERS: first :data:`ALWAYS_FITTED`; then each level
    target's strongest lever (its largest mu*), strongest first; then the best by the
    distance, each scoring at least SHARE_OF_LARGEST of the best; then each direction
    contrast's strongest lever.

    The level targets are the published numbers the fit is judged on, so each keeps the one
    parameter that moves it most (the grant's return, the neighbours' loss). The distance
    alone would not do: it is dominated by runs where nearly everyone leaves (every statistic
    a full miss), so it ranks the parameters that cause that first.
    """
    score = table["score"]
    if not score.max() > 0:
        raise ScenarioError(["screening: no parameter moves any target; nothing to calibrate"])
    statistics = table.drop(columns=["score", "selected"], errors="ignore")
    levers = statistics.idxmax()[statistics.max() > 0]
    by_strength = statistics.max()[levers.index].sort_values(ascending=False).index
    by_distance = score[score >= SHARE_OF_LARGEST * score.max()].sort_values(ascending=False)
    ranked = [
        *(name for name in ALWAYS_FITTED if name in table.index),
        *(levers[s] for s in by_strength if s in levels),
        *by_distance.index,
        *(levers[s] for s in by_strength if s not in levels),
    ]
    return list(dict.fromkeys(ranked))[:MAX_PARAMETERS]
