"""Scoring: dimension scores, the composite, sustainability and intentions, each month.

Each month every arrived returnee's three dimension scores move towards the level their
situation supports (a first-order lag, :func:`model.mechanisms.approach`); on arrival they
start at it. The composite weights them like IOM's Reintegration Sustainability Survey; a
returnee counts as sustainably reintegrated when the composite reaches the threshold and no
dimension falls below the floor.
"""

from __future__ import annotations

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import approach, remigration
from model.mechanisms.livelihoods import economic_conditions
from model.mechanisms.psychosocial import psychosocial_conditions
from model.mechanisms.stigma import social_conditions
from model.parameters import Parameters

DIMENSIONS = ("economic", "social", "psychosocial")


def _move(current: np.ndarray, target: np.ndarray, rate: float, arrived: np.ndarray):
    """Arrived returnees' states approach their targets; newcomers start at them."""
    start = arrived & np.isnan(current)
    moved = np.where(start, target, approach(current, target, rate))
    return np.where(arrived, moved, np.nan)


def assess(world: World, p: Parameters) -> None:
    """Update every arrived returnee's dimension scores, composite and intentions."""
    r, h = world.returnees, world.households
    rate, arrived = p.adjustment_rate, r.arrived
    r.economic = _move(r.economic, economic_conditions(r, p), rate, arrived)
    r.social = _move(r.social, social_conditions(r, h.acceptance[r.household], p), rate, arrived)
    r.psychosocial = _move(r.psychosocial, psychosocial_conditions(r, p), rate, arrived)
    r.composite = composite(r.economic, r.social, r.psychosocial, p)
    r.sustainable = sustainable(r, p)
    r.necessity = _move(
        r.necessity, remigration.necessity_conditions(r, p), p.remigration_rate, arrived
    )
    r.choice = _move(r.choice, remigration.choice_conditions(r, p), p.remigration_rate, arrived)


def composite(
    economic: np.ndarray, social: np.ndarray, psychosocial: np.ndarray, p: Parameters
) -> np.ndarray:
    w = np.array([p.weight_economic, p.weight_social, p.weight_psychosocial])
    return (w[0] * economic + w[1] * social + w[2] * psychosocial) / w.sum()


def sustainable(r: Returnees, p: Parameters) -> np.ndarray:
    floor = np.minimum(np.minimum(r.economic, r.social), r.psychosocial) >= p.dimension_floor
    return r.arrived & (r.composite >= p.sustainable_threshold) & floor


def intends_out_of_necessity(necessity: np.ndarray, p: Parameters):
    """Who intends to leave out of necessity: the one rule, for arrays and table columns.

    A returnee not yet arrived has no intention (NaN), which never reaches the threshold.
    """
    return necessity >= p.necessity_threshold
