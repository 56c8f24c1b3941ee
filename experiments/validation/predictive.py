"""Posterior predictive checks: quantities no target constrains, against bands written down in
advance (``experiments/files/validation/predictive_checks.toml``).

A calibration can meet its targets through worlds nobody would recognise: tension already
high before anyone returns, villages pinned at the tension index's ceiling, nobody working.
No target looks at these, so the fit is free to push them anywhere; each check states where a
plausible world must keep them and why, and ``reintegrate targets`` computes them at the
table's defaults and over the calibrated ensemble's draws (issue 22 item 3). A check passes
when the mean over its runs lies inside its band.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator

from experiments.validation.targets import VALIDATION, StrictModel, field_problem, mean_interval
from model.inputs import ScenarioError, read_toml, shipped_or_path
from model.model import ReintegrationModel
from model.run import RunSpec, perform

#: A village counts as at the tension ceiling (1) from this level up.
AT_CEILING = 0.95


class Check(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    quantity: str
    scenario: str
    strategy: str
    month: int = Field(ge=1, le=600)
    band: list[float] = Field(min_length=2, max_length=2)
    unit: str
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Check:
        if not self.band[0] < self.band[1]:
            raise ValueError(f"band {list(self.band)} must run from low to high")
        return self


class ChecksFile(StrictModel):
    check: list[Check] = Field(min_length=1)


def load_checks(name_or_path: str | Path | None = None) -> list[Check]:
    """Read the checks (the shipped ``predictive_checks`` by default): every problem one line."""
    path = shipped_or_path(name_or_path or "predictive_checks", VALIDATION, "checks",
                           "predictive checks")  # fmt: skip
    try:
        checks = ChecksFile.model_validate(read_toml(path)).check
    except ValidationError as err:
        raise ScenarioError([field_problem(e, path.name) for e in err.errors()]) from None
    problems = [
        f"{path.name}: check {c.id}.quantity: {c.quantity!r} is not allowed; allowed: "
        f"{', '.join(QUANTITIES)}"
        for c in checks
        if c.quantity not in QUANTITIES
    ]
    if problems:
        raise ScenarioError(problems)
    return checks


@dataclasses.dataclass(frozen=True)
class Observed:
    """What a quantity may read of one run: the monthly table, the villages' monthly panel,
    and the villages' tension before anyone returned (households' mean)."""

    table: pd.DataFrame
    villages: pd.DataFrame
    tension_before: float


def pre_return_tension(run: Observed, month: int) -> float:
    """Village tension before the first arrival (``month`` is not read: it is month 0)."""
    return run.tension_before


def share_villages_at_ceiling(run: Observed, month: int) -> float:
    """Share of villages whose tension is at :data:`AT_CEILING` or above in ``month``."""
    villages = run.villages[run.villages["month"] == month - 1]  # the panel counts from 0
    return float((villages["tension"] >= AT_CEILING).mean())


def _monthly(column: str) -> Callable[[Observed, int], float]:
    def read(run: Observed, month: int) -> float:
        return float(run.table.iloc[month - 1][column])

    read.__name__ = f"share_{column}"
    return read


def share_left_again(run: Observed, month: int) -> float:
    """Share of everyone who returned who has left again by ``month``."""
    row = run.table.iloc[month - 1]
    return float(row["left_necessity"] + row["left_choice"])


QUANTITIES: dict[str, Callable[[Observed, int], float]] = {
    "pre_return_tension": pre_return_tension,
    "share_villages_at_ceiling": share_villages_at_ceiling,
    "share_employed": _monthly("share_employed"),
    "share_needs_met": _monthly("share_needs_met"),
    "share_funded_running": _monthly("share_funded_running"),
    "share_left_again": share_left_again,
}


def observe(scenario: str, strategy: str, seed: int, months: int, overrides: dict) -> Observed:
    """One run with its tables, and the villages' tension in the world it started from."""
    start = ReintegrationModel(scenario, strategy=strategy, rng=seed, months=months,
                               create_agents=False, **overrides)  # fmt: skip
    c = start.world.communities
    before = float(np.average(c.tension, weights=c.households))
    result = perform(RunSpec(scenario, strategy, seed, months, overrides, None, "tables"))
    assert result.community_table is not None
    return Observed(result.model_table, result.community_table, before)


def check_values(
    checks: Iterable[Check], seed: int, overrides: dict | None = None
) -> dict[str, float]:
    """Every check's value in one replicate: each scenario and strategy run once, to the
    latest month any check reads."""
    checks = list(checks)
    longest: dict[tuple[str, str], int] = {}
    for c in checks:
        longest[(c.scenario, c.strategy)] = max(c.month, longest.get((c.scenario, c.strategy), 0))
    runs = {k: observe(*k, seed, months, overrides or {}) for k, months in longest.items()}
    return {c.id: QUANTITIES[c.quantity](runs[(c.scenario, c.strategy)], c.month) for c in checks}


@dataclasses.dataclass(frozen=True)
class Outcome:
    """A check over runs: mean, 95% interval of the mean, the range of 90% of runs, verdict."""

    check: Check
    mean: float
    interval: tuple[float, float]
    spread: tuple[float, float]
    passed: bool


def outcome(check: Check, values: list[float]) -> Outcome:
    array = np.asarray(values, float)
    mean, interval = mean_interval(array)
    low, high = np.percentile(array, (5, 95))
    inside = check.band[0] <= mean <= check.band[1]
    return Outcome(check, mean, interval, (float(low), float(high)), bool(inside))
