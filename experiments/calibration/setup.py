"""The calibration's model and distance: what one simulation is, and how far it is from the
published figures (used by the screening and by ABC-SMC, see :mod:`.calibrate`)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from experiments.calibration.ensemble import as_parameter
from experiments.validation.targets import DEFAULT_SCENARIO, Target, load_targets
from model.parameters import Parameter

#: A miss counts at most this many tolerances (see :func:`miss`).
CLIP = 10.0
#: A direction contrast this far below zero (five points of a 0-1 score) costs as much in
#: the distance as a level target one tolerance off; above zero it costs nothing.
DIRECTION_SCALE = 0.05


@dataclass(frozen=True)
class Setup:
    """What every simulation needs, small enough to send to each worker."""

    targets_path: str
    scenario: str
    factor: float | None = None  # priors within default / factor .. default * factor

    def prior_range(self, p: Parameter) -> tuple[float, float]:
        """The range a parameter is drawn from: its plausible range where the table gives
        one (a sourced parameter's source interval, an assumed one's documented range);
        else its table range, or with ``factor`` the part of it within a factor of the
        default (a default of 0 keeps the table's range).

        The table's ranges say what is allowed, not what is plausible: a monthly hazard
        may be anything from 0 to 1, and a uniform prior over that puts nearly all its
        weight on worlds where everyone leaves again within months."""
        if p.plausible is not None:
            return max(p.low, p.plausible[0]), min(p.high, p.plausible[1])
        if self.factor is None or p.default == 0:
            return p.low, p.high
        ends = sorted((p.default / self.factor, p.default * self.factor))
        return max(p.low, ends[0]), min(p.high, ends[1])

    def targets(self) -> list[Target]:
        return _targets(self.targets_path, self.scenario)


@lru_cache(maxsize=4)
def _targets(path: str, scenario: str) -> list[Target]:
    """The targets file's targets to fit (not those held out to test the model), read once a
    worker: a target that names the scenario matching its survey's population runs there; one
    that names none (``default``) runs on the calibrated scenario. The calibrated parameters
    are behavioural, shared by every context; each scenario keeps its own context."""
    return [
        t if t.scenario != DEFAULT_SCENARIO else t.model_copy(update={"scenario": scenario})
        for t in load_targets(path)
        if t.role == "fit"
    ]


def key(target_id: str, component: str) -> str:
    """A summary statistic's name: the target, or the target and its contrast."""
    return target_id if component == "value" else f"{target_id}.{component}"


def flatten(values: dict[str, dict[str, float]]) -> dict[str, float]:
    return {key(t, c): v for t, comps in values.items() for c, v in comps.items()}


def typed(overrides: dict[str, float]) -> dict[str, float]:
    """Overrides as the scenario takes them: integer parameters rounded."""
    return {k: as_parameter(k, v) for k, v in overrides.items()}


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
    def of(cls, targets: list[Target], observed: Iterable[str]) -> Distance:
        """The distance over the ``observed`` targets' ids (a level's figure, else a direction)."""
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
