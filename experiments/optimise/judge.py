"""Judging a candidate mix: every candidate on the same populations and plausible worlds.

Replicate k in world d runs with seed ``seed + d * replicates + k`` for every candidate and
for no programme (common random numbers, as :mod:`experiments.comparison.robust` does), so
two candidates differ only by their mix, and each is compared with no programme on the same
people. A candidate's verdict reads its runs world by world (the mean of the world's
replicates):

- **objectives**: the share sustainably reintegrated at the horizon in the worst tenth of
  the worlds (:data:`LOW_QUANTILE`; with one world, that world's mean), to be raised; and how
  far forced returnees trail voluntary ones (points, the mean over worlds), to be narrowed;
- **do-no-harm constraints** (Optuna counts a candidate feasible when each is <= 0):
  non-migrants' well-being no lower than with no programme by more than the tolerance, and
  community tension no higher by more than it, in the worst tenth of the worlds too; and the
  budget spent, all but ``max_unspent`` of it, judged only where the horizon reaches the
  programme's end (before it, money not yet spent is not money left).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from experiments.comparison.compare import BASELINE, Task, lost
from experiments.engine.runners import Where, in_order, progress
from model.run import RunSpec, perform
from model.scenario import ReintegrationScenario, with_overrides
from model.support import Strategy

#: The share of worlds a robust statistic guards against: the worst tenth.
LOW_QUANTILE = 0.1
#: What each run is reduced to.
OUTCOMES = ("share_sustainable", "nonmigrant_wellbeing", "tension", "gap_forced_voluntary", "spent")
#: The objectives (Optuna's directions, in order) and the constraints, by name.
DIRECTIONS: tuple[Literal["maximize", "minimize"], ...] = ("maximize", "minimize")
CONSTRAINTS = ("harm_to_wellbeing", "harm_to_tension", "unspent_beyond")


@dataclass(frozen=True)
class Design:
    """Where every candidate is judged: the scenario at the budget searched, the plausible
    worlds (parameter values; ``{}`` is the table's own), replicates, horizon and seed."""

    scenario: ReintegrationScenario
    worlds: tuple[dict, ...]
    replicates: int
    months: int
    seed: int
    where: Where = Where(1)
    harm_tolerance: float = 0.005  # on the 0-1 scales: half a point
    max_unspent: float = 0.1
    progress: bool = True  # progress bars for the confirmation and sensitivity runs
    _scenarios: tuple[ReintegrationScenario, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        each = tuple(with_overrides(self.scenario, w) if w else self.scenario for w in self.worlds)
        object.__setattr__(self, "_scenarios", each)

    def reseeded(self, seed: int, replicates: int) -> Design:
        """The same worlds on other seeds: a confirmation free of the search's luck."""
        return replace(self, seed=seed, replicates=replicates)

    def tasks(self, index: int, strategy: Strategy | str) -> list[Task]:
        return [
            Task(
                RunSpec(
                    world,
                    strategy,
                    self.seed + d * self.replicates + k,
                    self.months,
                    record="summary",
                ),
                {"candidate": index, "world": d, "replicate": k},
            )
            for d, world in enumerate(self._scenarios)
            for k in range(self.replicates)
        ]


def run_one(task: Task) -> dict:
    """One run, reduced to the outcomes a verdict reads (what a worker process runs)."""
    summary = perform(task.spec).summary
    return task.keys | {k: summary.get(k) for k in OUTCOMES}


def run_candidates(
    design: Design, strategies: Sequence[Strategy | str], runner, desc: str = ""
) -> pd.DataFrame:
    """Every candidate's runs (one row per candidate, world and replicate) on ``runner``
    (one held for the whole search, of :func:`run_one`); candidates are numbered in the order
    given; a progress bar when ``desc`` names the work."""
    tasks = [task for i, s in enumerate(strategies) for task in design.tasks(i, s)]
    shown = desc if design.progress else ""
    rows = list(progress(in_order(runner.results(tasks, lost)), len(tasks), shown))
    return pd.DataFrame(rows).astype({k: float for k in OUTCOMES})


@dataclass(frozen=True)
class Verdict:
    """A candidate judged: its objectives (in :data:`DIRECTIONS`' order), its constraints
    (feasible when each is <= 0) and the figures behind them, per world."""

    objectives: tuple[float, float]
    constraints: tuple[float, float, float]
    figures: dict

    @property
    def feasible(self) -> bool:
        return all(c <= 0 for c in self.constraints)


def per_world(runs: pd.DataFrame) -> pd.DataFrame:
    """Each world's mean over its replicates."""
    return runs.groupby("world")[list(OUTCOMES)].mean()


def verdict(runs: pd.DataFrame, baseline: pd.DataFrame, design: Design) -> Verdict:
    """A candidate's verdict from its runs and no programme's on the same seeds."""
    mine, none = per_world(runs), per_world(baseline)
    share = mine.share_sustainable
    wellbeing = mine.nonmigrant_wellbeing - none.nonmigrant_wellbeing
    tension = mine.tension - none.tension
    budget = float(design.scenario.budget)
    ended = design.months >= design.scenario.programme_months
    unspent = 1 - float(mine.spent.mean()) / budget if budget > 0 and ended else 0.0
    figures = {
        "share_low": float(share.quantile(LOW_QUANTILE)),
        "share_mean": float(share.mean()),
        "gain_mean": float((share - none.share_sustainable).mean()),
        "gap_mean": float(np.nanmean(mine.gap_forced_voluntary)),
        "wellbeing_low": float(wellbeing.quantile(LOW_QUANTILE)),
        "tension_high": float(tension.quantile(1 - LOW_QUANTILE)),
        "unspent": unspent,
    }
    tolerance = design.harm_tolerance
    return Verdict(
        objectives=(figures["share_low"], figures["gap_mean"]),
        constraints=(
            -figures["wellbeing_low"] - tolerance,
            figures["tension_high"] - tolerance,
            unspent - design.max_unspent,
        ),
        figures=figures,
    )


def judge(
    design: Design, strategies: list[Strategy], baseline: pd.DataFrame, runner
) -> list[Verdict]:
    """Verdicts on candidates, run together (one batch of jobs), in the order given."""
    runs = run_candidates(design, list(strategies), runner)
    return [verdict(runs[runs.candidate == i], baseline, design) for i in range(len(strategies))]


def baseline_runs(design: Design, runner) -> pd.DataFrame:
    """No programme on the design's seeds: what every candidate is compared with."""
    return run_candidates(design, [BASELINE], runner)
