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

from collections.abc import Iterator, Mapping

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import (
    approach_or_start,
    livelihoods,
    remigration,
    weighted_mean,
    weighted_sum,
)
from model.mechanisms.psychosocial import psychosocial_indicators
from model.mechanisms.stigma import social_indicators
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.cohesion", "households.acceptance", "households.income", "households.met",
    "returnees.age", "returnees.arrival_month", "returnees.arrived", "returnees.business_asset",
    "returnees.choice",
    "returnees.community", "returnees.composite", "returnees.debt", "returnees.diaspora_ties",
    "returnees.distress", "returnees.earned", "returnees.economic", "returnees.farmed",
    "returnees.female",
    "returnees.forced", "returnees.household", "returnees.in_school", "returnees.income",
    "returnees.left", "returnees.links", "returnees.minor", "returnees.months_abroad",
    "returnees.necessity", "returnees.pressure", "returnees.psychosocial", "returnees.savings",
    "returnees.service_access", "returnees.shock", "returnees.social", "returnees.status",
    "returnees.stigma", "returnees.sustainable", "returnees.usual_need_met", "world.month",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.choice", "returnees.composite", "returnees.economic", "returnees.necessity",
    "returnees.psychosocial", "returnees.social", "returnees.sustainable", "world.indicators",
)  # fmt: skip

DIMENSIONS = ("economic", "social", "psychosocial")


def _move(current: np.ndarray, target: np.ndarray, rate: float, arrived: np.ndarray):
    """Arrived returnees' states approach their targets; newcomers (a state not yet set, NaN)
    start at them; everyone else's state is NaN."""
    moved = approach_or_start(current, target, rate)
    np.copyto(moved, np.nan, where=~arrived)
    return moved


def assess(world: World, p: Parameters) -> None:
    """Update every present returnee's intentions, indicators, scores and composite."""
    r = world.returnees
    rate, arrived = p.adjustment_rate, r.arrived
    r.necessity = _move(
        r.necessity, remigration.necessity_conditions(world, p), p.remigration_rate, arrived
    )
    r.choice = _move(r.choice, remigration.choice_conditions(world, p), p.remigration_rate, arrived)
    social = social_indicators(world, p)
    psychosocial = psychosocial_indicators(world, p)
    economic = livelihoods.economic_indicators(r, p)
    social_score = social_score_with_school(social, r, p)
    economic_score = np.where(
        r.minor, world.households.income[r.household], weighted_mean(economic, "econ", p)
    )
    world.indicators = Measured(economic, {**social, **psychosocial}, r)
    r.economic = _move(r.economic, economic_score, rate, arrived)
    r.social = _move(r.social, social_score, rate, arrived)
    r.psychosocial = _move(r.psychosocial, weighted_mean(psychosocial, "psych", p), rate, arrived)
    r.composite = composite(r.economic, r.social, r.psychosocial, p)
    r.sustainable = sustainable(r, p)


class Measured(Mapping[str, np.ndarray]):
    """The month's indicators as a survey records them: the present returnees' (NaN for
    anyone not here), the economic ones the adults' only and school attendance the
    children's only. Economic self-sufficiency is not asked of a child: their economic
    indicators are undefined (NaN), and their economic score is their household's share of
    need met. Each indicator is masked once, by who it is measured for.

    They are masked when first read: only a run that keeps per-returnee rows or monthly
    states reads them, so the others (sweeps, calibration, summaries) skip a pass per
    indicator and month. Read later, they are the month's numbers: the indicators are new
    arrays of this month's values that nothing else holds, and who was here, who is an adult
    and which children were in school is taken when they are measured (leaving changes
    those in place)."""

    def __init__(
        self, economic: dict[str, np.ndarray], others: dict[str, np.ndarray], r: Returnees
    ):
        self.parts: tuple[tuple[dict[str, np.ndarray], np.ndarray], ...] = (
            (economic, r.arrived & ~r.minor),
            (others, r.arrived.copy()),
        )
        self.school = np.where(r.arrived & r.minor, r.in_school, np.nan)
        self.masked: dict[str, np.ndarray] | None = None

    def block(self, lo: int, hi: int) -> Measured:
        """Rows ``lo`` to ``hi`` (one world's block of a batch of worlds), masked when first
        read like the whole: the same numbers as the whole's rows."""
        part = object.__new__(Measured)
        part.parts = tuple(
            ({k: v[lo:hi] for k, v in group.items()}, who[lo:hi]) for group, who in self.parts
        )
        part.school = self.school[lo:hi]
        part.masked = None if self.masked is None else {k: v[lo:hi] for k, v in self.masked.items()}
        return part

    def _read(self) -> dict[str, np.ndarray]:
        if self.masked is None:
            self.masked = {
                k: np.where(who, v, np.nan) for group, who in self.parts for k, v in group.items()
            }
            self.masked["school"] = self.school
        return self.masked

    def __getitem__(self, key: str) -> np.ndarray:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())


def social_score_with_school(
    social: dict[str, np.ndarray], r: Returnees, p: Parameters
) -> np.ndarray:
    """The social score the indicators support; a child's also counts school attendance
    (weight ``social_weight_school`` beside the other social weights)."""
    total, weights = weighted_sum(social, "social", p)
    school = p.social_weight_school  # the child's mean: the adult's sum, school added last
    child = (total + school * r.in_school.astype(float)) / sum([*weights, school])
    return np.where(r.minor, child, total / sum(weights))


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
