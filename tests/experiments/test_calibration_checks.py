"""What a calibration says of itself: a posterior held up by a prior bound is flagged, each
target is predicted by the fit without it (on a stand-in whose answer is known), priors come
from the table's plausible ranges, and the intention thresholds are always fitted."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import checks, screening
from experiments.calibration import setup as cm
from experiments.validation.targets import Target
from model.parameters import PARAMETERS


def level(target_id: str, figure: float, tolerance: float) -> Target:
    return Target(
        id=target_id, kind="level", figure=figure, tolerance=tolerance, unit="u", source="s",
        wording="w", population="p", after_return="a", confidence="C",
        statistic="share_left_again", arms={"main": {"strategy": "none", "months": 1}},
    )  # fmt: skip


def test_a_posterior_piled_against_a_bound_is_flagged_and_a_spread_one_is_not():
    rng = np.random.default_rng(0)
    spread = rng.uniform(0, 1, 1000)
    planted = np.where(rng.uniform(size=1000) < 0.35, rng.uniform(0.9, 1.0, 1000), spread)
    particles = pd.DataFrame({"a": spread, "b": planted, "c": 1 - planted})
    ranges = {"a": (0.0, 1.0), "b": (0.0, 1.0), "c": (0.0, 1.0)}
    found = checks.piles(particles, np.ones(1000), ranges)
    assert {(p.parameter, p.end) for p in found} == {("b", "high"), ("c", "low")}
    assert all(0.35 < p.weight < 0.5 for p in found)
    # the weights, not the particles' count, decide: down-weight the edge and nothing binds
    weights = np.where(planted >= 0.9, 0.1, 1.0)
    assert not checks.piles(particles[["b"]], weights, {"b": (0.0, 1.0)})
    assert "No posterior piles" in checks.pile_lines([])[0]
    assert "`b` piles against its high bound" in checks.pile_lines(found)[0]


def test_leaving_a_target_out_recovers_the_posterior_of_the_others():
    """A stand-in with a known answer: theta uniform, two targets that each read theta (no
    noise), figures +1 and -1 with tolerance 1. The fit to both centres theta at 0; without
    the first, theta's posterior is N(-1, 1), so the first is predicted at -1 (a miss of two
    tolerances), and without the second at +1."""
    rng = np.random.default_rng(1)
    theta = rng.uniform(-6, 6, 40_000)
    stats = pd.DataFrame({"up": theta, "down": theta})
    targets = [level("up", 1.0, 1.0), level("down", -1.0, 1.0)]
    weights = np.exp(-((theta - 1) ** 2) / 2 - (theta + 1) ** 2 / 2)  # what ABC's terms say
    up, down = checks.leave_one_out(targets, stats, weights)
    assert up.full["up"] == pytest.approx(0, abs=0.03)
    assert up.left_out["up"] == pytest.approx(-1, abs=0.05)
    assert down.left_out["down"] == pytest.approx(1, abs=0.05)
    assert not up.passed and not down.passed  # two tolerances off
    assert 0 < up.effective_size < len(theta)
    # a wide tolerance forgives the same miss
    wide = checks.leave_one_out([level("up", 1.0, 2.5), level("down", -1.0, 1.0)],
                                stats, weights)  # fmt: skip
    assert wide[0].passed


def test_a_heavy_particle_is_truncated_and_a_prediction_it_carries_says_so():
    ratios = np.array([1.0] * 99 + [50.0])
    w = checks.truncated(ratios)
    cap = ratios.mean() * np.sqrt(ratios.size)  # Ionides (2008): mean x sqrt(n)
    assert w[-1] / w[0] == pytest.approx(cap)  # 50 cut to about 14.9 times the others
    assert w.sum() == pytest.approx(1)
    # a ratio so extreme that even truncated it dominates: the effective size says so
    assert checks.ess(checks.truncated(np.array([1.0] * 99 + [1e9]))) < 1.01


def test_a_prior_is_the_plausible_range_where_the_table_gives_one():
    setup = cm.Setup("unused", "default", 4.0)
    p = dataclasses.replace(PARAMETERS["hire_rate"], plausible=None)
    assert setup.prior_range(p) == (p.default / 4, p.default * 4)  # the factor rule
    sourced = dataclasses.replace(p, plausible=(0.1, 0.3))
    assert setup.prior_range(sourced) == (0.1, 0.3)
    beyond = dataclasses.replace(p, plausible=(-1.0, 99.0))  # kept within the table's range
    assert setup.prior_range(beyond) == (p.low, p.high)


def test_the_intention_thresholds_are_fitted_whatever_the_screening_scores():
    names = ["hire_rate", "necessity_threshold", "choice_threshold"]
    table = pd.DataFrame(
        {"t1": [5.0, 0.0, 0.0], "score": [5.0, 0.0, 0.0], "selected": False},
        index=pd.Index(names, name="parameter"),
    )
    cut = screening.select(table, {"t1"})
    assert cut[:2] == ["necessity_threshold", "choice_threshold"] and "hire_rate" in cut


def test_weight_outside_the_plausible_range_is_reported_by_side():
    particles = pd.DataFrame({"a": [0.1, 0.5, 0.9, 0.95], "b": [0.5, 0.5, 0.5, 0.5]})
    spans = {"a": (0.2, 0.8), "b": (0.2, 0.8)}
    lines = checks.outside_plausible(particles, np.ones(4), spans, {"a": (0, 1), "b": (0, 1)})
    assert len(lines) == 1 and "`a`: 75% of the weight" in lines[0]
    assert "25% below, 50% above; the prior alone: 40%" in lines[0]
