"""Plausible worlds that vary every assumption: which parameters vary, over which ranges,
reproducibly; every scenario has worlds; and scenario discovery finds a planted flip among a
hundred inputs that do nothing."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest

from experiments.calibration.ensemble import Ensemble
from experiments.cli.compare import plausible_worlds
from experiments.comparison.robust import flip_rules, margin_drivers
from experiments.comparison.worlds import (
    ANALYSIS_CHOICES,
    DIMENSION_WEIGHTS,
    THE_PLANNERS_OWN,
    draw_worlds,
)
from model.parameters import PARAMETERS
from model.scenario import load_scenario

ASSUMED = {n for n, p in PARAMETERS.items() if p.assumed and n not in THE_PLANNERS_OWN}


def test_every_assumed_parameter_but_the_planners_own_is_varied_within_its_plausible_range():
    scenario = load_scenario("default")
    worlds = pd.DataFrame(draw_worlds(scenario, None, 30, seed=1))
    own = {n for n in ASSUMED if getattr(scenario, n) != PARAMETERS[n].default}
    assert set(worlds.columns) == ASSUMED - own
    assert {"initial_attitude", "return_concentration", "skill_mean"} <= set(worlds.columns)
    assert set(ANALYSIS_CHOICES) <= set(worlds.columns)
    for name in worlds.columns.difference(DIMENSION_WEIGHTS):
        lo, hi = PARAMETERS[name].plausible
        assert worlds[name].between(lo, hi).all(), name
        assert worlds[name].nunique() > 1, name
    assert worlds[list(DIMENSION_WEIGHTS)].sum(axis=1).to_numpy() == pytest.approx(1.0)
    assert not (set(THE_PLANNERS_OWN) & set(worlds.columns))


def test_a_latin_hypercube_fills_each_range_evenly():
    """Each of n equal strata of a range holds exactly one world."""
    worlds = pd.DataFrame(draw_worlds(load_scenario("default"), None, 10, seed=4))
    lo, hi = PARAMETERS["sustainable_threshold"].plausible
    strata = np.floor((worlds.sustainable_threshold - lo) / (hi - lo) * 10)
    assert sorted(strata) == list(range(10))


def test_the_same_seed_gives_the_same_worlds_and_another_seed_others():
    scenario = load_scenario("default")
    assert draw_worlds(scenario, None, 5, seed=7) == draw_worlds(scenario, None, 5, seed=7)
    assert draw_worlds(scenario, None, 5, seed=7) != draw_worlds(scenario, None, 5, seed=8)


def test_the_posterior_gives_the_calibrated_parameters_and_the_ranges_the_rest():
    particles = pd.DataFrame({"hire_rate": [0.05, 0.5]})
    ensemble = Ensemble(particles, np.array([0.5, 0.5]), {})
    worlds = pd.DataFrame(draw_worlds(load_scenario("default"), ensemble, 12, seed=2))
    assert set(worlds.hire_rate) <= {0.05, 0.5}  # the particles', not the range's
    assert "sustainable_threshold" in worlds and worlds.sustainable_threshold.nunique() == 12


def test_a_scenario_sets_its_own_values_and_they_are_not_varied():
    urban = load_scenario("urban")  # sets the wage and the cost of living of a town
    worlds = pd.DataFrame(draw_worlds(urban, None, 5, seed=0))
    assert "wage_usd" not in worlds and "monthly_need_usd" not in worlds
    assert "hire_rate" in worlds


@pytest.mark.parametrize("name", ["urban", "post_conflict", "dispersed"])
def test_a_scenario_without_a_calibrated_ensemble_gets_worlds(name):
    args = argparse.Namespace(no_worlds=False, ensemble=None, draws=6, draw_replicates=None,
                              seed=0)  # fmt: skip
    worlds = plausible_worlds(args, load_scenario(name))
    assert worlds is not None and worlds.ensemble is None and worlds.draws == 6
    assert len(worlds.values(load_scenario(name), 0)) == 6


def planted(n_worlds: int, n_noise: int, seed: int) -> pd.DataFrame:
    """A stand-in for the model: B beats A exactly when X < 0.4, whatever the hundred other
    inputs are; 'none' trails both."""
    rng = np.random.default_rng(seed)
    inputs = pd.DataFrame(rng.uniform(0, 1, (n_worlds, n_noise)),
                          columns=[f"noise_{i}" for i in range(n_noise)])  # fmt: skip
    inputs["X"] = rng.uniform(0, 1, n_worlds)
    a = 0.5 + 0.02 * inputs.noise_0  # A's outcome moves with an input; the ranking does not
    b = np.where(inputs.X < 0.4, a + 0.05, a - 0.05)
    rows = [{"draw": d, "strategy": s, "share_sustainable": v, **inputs.iloc[d].to_dict()}
            for s, values in {"none": a - 0.2, "A": a, "B": b}.items()
            for d, v in enumerate(values)]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_discovery_finds_the_planted_flip_among_a_hundred_idle_inputs(seed):
    worlds = planted(120, 100, seed)
    flips = flip_rules(worlds, "share_sustainable")
    assert set(flips.parameter) == {"X"}
    rule = flips.iloc[0]
    assert (rule.leader, rule.runner_up, rule.side) == ("A", "B", "below")
    x = worlds.drop_duplicates("draw").X
    assert x[x < 0.4].max() <= rule.high < x[x >= 0.4].min()
    assert rule.runner_up_wins == rule.worlds_in_rule == (x < 0.4).sum()


def test_no_flip_is_found_where_the_ranking_hangs_on_nothing():
    """B wins a third of the worlds at random: no input explains it, and none is named."""
    worlds = planted(120, 100, 5)
    rng = np.random.default_rng(9)
    luck = np.repeat(rng.uniform(0, 1, 120) < 0.35, 1)
    a = worlds[worlds.strategy == "A"].share_sustainable.to_numpy()
    worlds.loc[worlds.strategy == "B", "share_sustainable"] = np.where(luck, a + 0.05, a - 0.05)
    worlds = worlds.drop(columns="X")
    assert flip_rules(worlds, "share_sustainable").empty


def test_what_the_margin_moves_with_is_found_and_noise_is_not():
    """A's margin over B grows with X and with nothing else of a hundred inputs."""
    worlds = planted(120, 100, 3)
    x = worlds.drop_duplicates("draw").X.to_numpy()
    a = worlds.strategy == "A"
    worlds.loc[a, "share_sustainable"] = worlds.loc[worlds.strategy == "B", "share_sustainable"
                                                    ].to_numpy() + 0.1 * x  # fmt: skip
    drivers = margin_drivers(worlds, "share_sustainable", "A", "B")
    assert list(drivers.index) == ["X"] and drivers["X"] > 0.9
