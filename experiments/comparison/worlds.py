"""Plausible worlds: one design that varies every assumption the model makes.

A plausible world is a set of values for the parameters nobody has measured. Three kinds of
input are varied at once, so that what flips the ranking can be any of them:

* the **calibrated** parameters, drawn from the calibrated ensemble's posterior (by weight,
  :meth:`~experiments.calibration.ensemble.Ensemble.draws`) where the scenario ships one;
* every other **assumed** parameter, behavioural or a condition of the context (how many
  come back forced, the villages' attitude, skills, remittances...), over its plausible range
  (``plausible=`` in :mod:`model.parameters`), by a seeded Latin hypercube
  (:class:`scipy.stats.qmc.LatinHypercube`): with a hundred-odd inputs and a hundred-odd worlds,
  each input's range is covered evenly, which independent uniform draws do not promise;
* the **analysis choices** among them (:data:`ANALYSIS_CHOICES`: the bar of sustainability,
  the floor of each dimension and the dimension weights), whose plausible ranges are the
  choices other analysts make. The three dimension weights are drawn in their ranges and
  scaled to sum to 1, as the score requires.

Not varied: the planner's own (:data:`THE_PLANNERS_OWN`: the size of the return and of the
villages, the budget and the programme's length, the region structural work reaches, who
counts as a child: what a planner states, not an uncertainty), sourced parameters (their
figure is the evidence), and any parameter the scenario itself sets away from its default
(the scenario's author chose it). Values are uniform within each range: the ranges say where
the value plausibly lies, not which part of it is likelier. The same seed gives the same worlds.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.stats import qmc

from experiments.calibration.ensemble import Ensemble, as_parameter
from model.parameters import PARAMETERS
from model.scenario import ReintegrationScenario

#: The analysis's own choices among the varied parameters: how sustainability is counted.
ANALYSIS_CHOICES = ("sustainable_threshold", "dimension_floor", "weight_economic",
                    "weight_social", "weight_psychosocial")  # fmt: skip
#: What a planner states about their programme rather than guesses: never varied.
THE_PLANNERS_OWN = ("n_returnees", "n_communities", "households_per_community", "household_size",
                    "max_returnees_per_household", "budget", "programme_months",
                    "structural_region_population", "age_max", "minor_age_min")  # fmt: skip
#: Weights that must sum to 1 (model/checks.py refuses others): scaled after drawing.
DIMENSION_WEIGHTS = ("weight_economic", "weight_social", "weight_psychosocial")


def ranged(scenario: ReintegrationScenario, calibrated: Iterable[str] = ()) -> list[str]:
    """The parameters a world draws from their plausible ranges: every assumed one but the
    planner's own, less the calibrated ones (the posterior's) and those the scenario sets
    itself."""
    posterior = set(calibrated)
    names = [
        p.name
        for p in PARAMETERS.values()
        if p.assumed and p.plausible is not None and p.name not in posterior
        and p.name not in THE_PLANNERS_OWN
        and getattr(scenario, p.name) == p.default
    ]  # fmt: skip
    whole = set(DIMENSION_WEIGHTS) <= set(names)  # all three or none: they must sum to 1
    return [n for n in names if whole or n not in DIMENSION_WEIGHTS]


def latin_hypercube(names: list[str], n: int, seed: int) -> list[dict[str, float]]:
    """``n`` sets of values, each parameter's range cut into ``n`` equal strata and each
    stratum used once (a seeded Latin hypercube); integers rounded, dimension weights summing
    to 1."""
    if not names:
        return [{} for _ in range(n)]
    lows = np.array([PARAMETERS[k].plausible[0] for k in names])  # type: ignore[index]
    highs = np.array([PARAMETERS[k].plausible[1] for k in names])  # type: ignore[index]
    unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(seed)).random(n)
    values = lows + unit * (highs - lows)
    worlds = [dict(zip(names, row, strict=True)) for row in values.tolist()]
    return [_as_scenario_takes(w) for w in worlds]


def _as_scenario_takes(world: dict[str, float]) -> dict[str, float]:
    """Integers rounded; the dimension weights, if drawn, scaled to sum to 1."""
    weights = [k for k in DIMENSION_WEIGHTS if k in world]
    if len(weights) == len(DIMENSION_WEIGHTS):
        total = sum(world[k] for k in weights)
        world = world | {k: world[k] / total for k in weights}
    return {k: as_parameter(k, v) for k, v in world.items()}


def draw_worlds(
    scenario: ReintegrationScenario, ensemble: Ensemble | None, n: int, seed: int
) -> list[dict[str, float]]:
    """``n`` plausible worlds for a scenario: the posterior's draws (if an ensemble is given)
    joined to a Latin hypercube over every other assumed parameter (but the planner's own)."""
    calibrated = list(ensemble.parameters.columns) if ensemble is not None else []
    posterior = ensemble.draws(n, seed) if ensemble is not None else [{} for _ in range(n)]
    ranges = latin_hypercube(ranged(scenario, calibrated), n, seed)
    return [r | p for r, p in zip(ranges, posterior, strict=True)]
