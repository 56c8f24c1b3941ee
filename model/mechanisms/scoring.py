"""Scoring: indicators, dimension scores, the composite, sustainability and intentions.

Each month every present returnee's indicators are measured, in the structure of IOM's
Reintegration Sustainability Survey: separate 0-1 indicators per dimension (1 is best), each
from its own state, so that no state counts in two dimensions. A dimension's score moves
towards the weighted mean of its indicators (weights ``social_weight_*``, ``psych_weight_*``;
a first-order lag, :func:`model.mechanisms.approach`); on arrival it starts there. The
composite weights the three dimensions; a returnee counts as sustainably reintegrated when
the composite reaches the threshold and no dimension falls below the floor. The month's
indicators are kept in ``world.indicators`` so the per-returnee table can be compared column
by column with a monitoring dataset.
"""

from __future__ import annotations

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import approach, livelihoods, remigration, weighted_mean
from model.mechanisms.psychosocial import psychosocial_indicators
from model.mechanisms.stigma import social_indicators
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.cohesion", "households.acceptance", "households.income", "households.met",
    "returnees.age", "returnees.arrived", "returnees.business_asset", "returnees.choice",
    "returnees.community", "returnees.composite", "returnees.debt", "returnees.diaspora_ties",
    "returnees.distress", "returnees.earned", "returnees.economic", "returnees.female",
    "returnees.forced", "returnees.household", "returnees.income", "returnees.left",
    "returnees.links", "returnees.months_abroad", "returnees.necessity", "returnees.pressure",
    "returnees.psychosocial", "returnees.service_access", "returnees.shock", "returnees.social",
    "returnees.status", "returnees.stigma", "returnees.sustainable",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.choice", "returnees.composite", "returnees.economic", "returnees.necessity",
    "returnees.psychosocial", "returnees.social", "returnees.sustainable", "world.indicators",
)  # fmt: skip

DIMENSIONS = ("economic", "social", "psychosocial")


def _move(current: np.ndarray, target: np.ndarray, rate: float, arrived: np.ndarray):
    """Arrived returnees' states approach their targets; newcomers start at them."""
    start = arrived & np.isnan(current)
    moved = np.where(start, target, approach(current, target, rate))
    return np.where(arrived, moved, np.nan)


def assess(world: World, p: Parameters) -> None:
    """Update every present returnee's intentions, indicators, scores and composite."""
    r = world.returnees
    rate, arrived = p.adjustment_rate, r.arrived
    r.necessity = _move(
        r.necessity, remigration.necessity_conditions(r, p), p.remigration_rate, arrived
    )
    r.choice = _move(r.choice, remigration.choice_conditions(r, p), p.remigration_rate, arrived)
    social = social_indicators(world, p)
    psychosocial = psychosocial_indicators(world, p)
    economic = livelihoods.economic_indicators(r, p)
    measured = {**economic, **social, **psychosocial}
    world.indicators = {k: np.where(arrived, v, np.nan) for k, v in measured.items()}
    r.economic = _move(r.economic, weighted_mean(economic, "econ", p), rate, arrived)
    r.social = _move(r.social, weighted_mean(social, "social", p), rate, arrived)
    r.psychosocial = _move(r.psychosocial, weighted_mean(psychosocial, "psych", p), rate, arrived)
    r.composite = composite(r.economic, r.social, r.psychosocial, p)
    r.sustainable = sustainable(r, p)


def composite(
    economic: np.ndarray, social: np.ndarray, psychosocial: np.ndarray, p: Parameters
) -> np.ndarray:
    w = np.array([p.weight_economic, p.weight_social, p.weight_psychosocial])
    return (w[0] * economic + w[1] * social + w[2] * psychosocial) / w.sum()


def sustainable(r: Returnees, p: Parameters) -> np.ndarray:
    """Present returnees at the thresholds; a leaver keeps the status they left with (which
    :func:`model.mechanisms.remigration.leave` clears for those who left out of necessity)."""
    floor = np.minimum(np.minimum(r.economic, r.social), r.psychosocial) >= p.dimension_floor
    here = r.arrived & (r.composite >= p.sustainable_threshold) & floor
    return np.where(r.left, r.sustainable, here)


def intends_out_of_necessity(necessity: np.ndarray, p: Parameters):
    """Who intends to leave out of necessity: the one rule, for arrays and table columns.

    A returnee not yet arrived has no intention (NaN), which never reaches the threshold.
    """
    return necessity >= p.necessity_threshold
