"""Re-migration intention: out of necessity, or by choice.

Necessity grows with the shortfall below the sustainability thresholds: a returnee who
cannot make a living, is shunned or is in distress thinks of leaving because they must.
Choice is opportunity: ties abroad, youth and a long first stay (MAFE, Senegal). Leaving by
choice is not failure; leaving out of necessity is.
"""

import numpy as np

from agents.state import Returnees
from model.parameters import Parameters


def shortfall(r: Returnees, p: Parameters) -> np.ndarray:
    """How far below the thresholds a returnee stands (0 = at or above all of them)."""
    dims = np.stack([r.economic, r.social, r.psychosocial])
    below_floor = np.maximum(0.0, p.dimension_floor - dims).sum(axis=0) / max(
        p.dimension_floor, 1e-9
    )
    below_composite = np.maximum(0.0, p.sustainable_threshold - r.composite) / max(
        p.sustainable_threshold, 1e-9
    )
    return below_composite + below_floor / 3


def necessity_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    return np.clip(p.necessity_sensitivity * shortfall(r, p), 0, 1)


def choice_conditions(r: Returnees, p: Parameters) -> np.ndarray:
    return np.clip(
        p.choice_weight_diaspora * r.diaspora_ties
        + p.choice_weight_youth * (r.age < 35)
        + p.choice_weight_abroad * np.minimum(1.0, r.months_abroad / 60),
        0,
        1,
    )
