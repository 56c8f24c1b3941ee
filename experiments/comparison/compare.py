"""A comparison: every strategy on the same populations, with 95% intervals.

Replicate k of every strategy (and every budget) runs with seed ``base + k``; the model
draws the population before it looks at the strategy, so replicate k of every strategy
starts from the same returnees, communities and networks (common random numbers). The
difference between a strategy and ``none`` is therefore measured replicate by replicate,
which gives far narrower intervals than comparing two independent averages.

Each run is a :class:`~model.run.RunSpec` with the keys its rows carry (a :class:`Task`); the
tasks go where :func:`experiments.engine.runners.choose_runner` says (this process, local
processes or a Dask scheduler), each made by :func:`model.run.perform`. The results are taken
back in task order and gathered into small per-run tables (summaries, monthly model tables,
who-is-left-behind groups, monitoring-survey views); the large per-returnee tables are
streamed to one Parquet file (:class:`~experiments.engine.parquet.ParquetSink`) as they
arrive. The tables a planner reads are made from these by :mod:`experiments.comparison.summary`.
With plausible worlds (:class:`Worlds`), :mod:`experiments.comparison.robust` runs every
strategy again in each world, in the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.ensemble import Ensemble
from experiments.comparison.worlds import draw_worlds, ranged
from experiments.engine.parquet import ParquetSink
from experiments.engine.runners import Where, choose_runner, in_order, progress
from model.inputs import ScenarioError
from model.mechanisms.remigration import intends_out_of_necessity
from model.outcomes import DECLARED, Outcome, declare
from model.run import SUMMARY_OUTCOMES, RunResult, RunSpec, perform
from model.scenario import ReintegrationScenario
from model.support import Strategy

BASELINE = "none"
#: Outcomes reported per strategy: every outcome of a run's summary.
OUTCOMES = SUMMARY_OUTCOMES
#: The headline outcome a recommendation rests on.
HEADLINE = "share_sustainable"
#: The headline cost: USD per returnee sustainably reintegrated who would not be without it.
HEADLINE_COST = "cost_per_additional_sustainable"
#: What the next 100,000 buys: returnees sustainably reintegrated per extra 100,000 USD.
EXTRA_PER_100K = "extra_sustainable_per_100k"
#: What a comparison adds to a run's outcomes, declared as those are (model.outcomes).
DERIVED = {o.name: o for o in (
    declare(HEADLINE_COST, "cost per additional returnee sustainably reintegrated", "USD", False,
            "cost per additional sustainable returnee"),
    declare("left", "money left", "USD", None, "left"),
    Outcome(EXTRA_PER_100K, "more sustainable returnees per extra 100,000", "returnees", True,
            lambda x, digits=1: "n/a" if pd.isna(x) else f"{x:.{digits}f}"),
)}  # fmt: skip


def outcome(name: str) -> Outcome:
    """An outcome's declaration: a run's (:data:`model.outcomes.DECLARED`) or a comparison's."""
    return DERIVED[name] if name in DERIVED else DECLARED[name]


#: Months after a person's own return at which a monitoring survey would interview them.
SURVEY_MONTHS = (3, 6, 12, 18, 24)
#: Returnee outcomes shown by group and by survey month.
RETURNEE_OUTCOMES = ("share_sustainable", "composite", "economic", "social", "psychosocial",
                     "share_necessity")  # fmt: skip
AGE_BANDS = ([0, 18, 25, 35, 200], ["under 18", "18-24", "25-34", "35 and over"])
#: Who is left behind: dimension -> how a returnee's profile row is labelled.
GROUPINGS = {
    "sex": lambda d: np.where(d.female, "women", "men"),
    "vulnerability": lambda d: np.where(d.vulnerable, "vulnerable", "not vulnerable"),
    "return": lambda d: np.where(d.forced, "forced", "voluntary"),
    "means": lambda d: np.where(d.empty_handed, "empty-handed", "with savings"),
    "age": lambda d: pd.cut(d.age, AGE_BANDS[0], right=False, labels=AGE_BANDS[1]).astype(str),
}
#: Community states shown per place, at the last month.
PLACE_STATES = ("tension", "cohesion", "stigma", "nonmigrant_wellbeing")


@dataclass(frozen=True)
class Task:
    """One run of a comparison, and the keys its rows carry (budget or plausible world,
    strategy, replicate): what a worker process needs, and nothing else."""

    spec: RunSpec
    keys: dict[str, Any]


@dataclass(frozen=True)
class Worlds:
    """The plausible worlds a robust comparison runs (:mod:`experiments.comparison.worlds`):
    the calibrated ensemble's draws, if one is used, and every other assumed behavioural
    parameter over its plausible range."""

    path: Path | None  # the ensemble's folder, named in the report; None: ranges alone
    ensemble: Ensemble | None
    draws: int  # how many plausible worlds are drawn
    replicates: int  # replicates per strategy in each world

    def values(self, scenario: ReintegrationScenario, seed: int) -> list[dict[str, float]]:
        """Each world's parameter values, as ``--set`` overrides; the same seed, the same."""
        return draw_worlds(scenario, self.ensemble, self.draws, seed)

    def source(self, scenario: ReintegrationScenario) -> str:
        """Where the worlds' values come from, in words a report can quote."""
        calibrated = list(self.ensemble.parameters.columns) if self.ensemble is not None else []
        ranges = len(ranged(scenario, calibrated))
        if self.ensemble is None:
            return (f"the plausible ranges of {ranges} assumed parameters (no calibrated "
                    "ensemble is used)")  # fmt: skip
        return (f"the calibrated ensemble in {self.path} ({len(calibrated)} parameters) and the "
                f"plausible ranges of {ranges} other assumed parameters")  # fmt: skip


@dataclass
class Settings:
    scenario: ReintegrationScenario  # at the scenario's own (or --set) budget
    scenarios: dict[float, ReintegrationScenario]  # one per budget
    strategies: dict[str, Strategy]  # the ones compared, baseline first
    months: int
    replicates: int
    seed: int
    workers: int
    strategies_file: str | None = None
    scheduler: str | None = None  # a Dask scheduler's address, else local processes
    worlds: Worlds | None = None  # a robust comparison over plausible worlds, if asked

    @property
    def budgets(self) -> list[float]:
        return list(self.scenarios)

    @property
    def reference_budget(self) -> float:
        """The budget the non-budget sections show: the scenario's own, else the largest."""
        own = self.scenario.budget
        return own if own in self.scenarios else max(self.scenarios)

    @property
    def where(self) -> Where:
        return Where(self.workers, self.scheduler)

    def tasks(self) -> list[Task]:
        return [
            Task(RunSpec(s, name, self.seed + k, self.months, {}, self.strategies_file),
                 {"budget": float(s.budget), "strategy": name, "replicate": k})
            for s in self.scenarios.values()
            for name in self.strategies
            for k in range(self.replicates)
        ]  # fmt: skip


@dataclass
class Comparison:
    """Everything a comparison produced, as tables (one row per run, month or group)."""

    settings: Settings
    runs: pd.DataFrame  # one row per run: outcomes at the last month
    model: pd.DataFrame  # monthly model-level outcomes of every run
    communities: pd.DataFrame  # monthly community states of every run
    profiles: pd.DataFrame  # who each returnee is, per run
    groups: pd.DataFrame  # outcomes at the last month by group, per run
    monitoring: pd.DataFrame  # outcomes by months since return, per run
    places: pd.DataFrame  # per community at the last month, ranked by returnees received
    allocations: pd.DataFrame  # per package, per run: planned, committed, spent, why any left
    worlds: pd.DataFrame | None = None  # per plausible world and strategy (robust comparison)
    foresight: pd.DataFrame | None = None  # per strategy and replicate, the plan that knew

    @property
    def reference_budget(self) -> float:
        """The budget the non-budget sections (and the plausible worlds) are at."""
        return self.settings.reference_budget


# ---------------------------------------------------------------------------- one run


def run_task(task: Task) -> dict:
    """Run one strategy on one replicate and reduce it to the tables a comparison needs."""
    spec, keys = task.spec, task.keys
    result = perform(spec)
    assert result.returnee_table is not None  # a comparison's runs record their tables
    returnees = result.returnee_table.astype(
        {"month": "int16", "returnee": "int32", "months_since_return": "int16"}
    )
    scenario = spec.scenario
    assert isinstance(scenario, ReintegrationScenario)  # Settings.tasks gives it whole
    returnees["intends_necessity"] = intends_out_of_necessity(returnees.necessity, scenario)
    last = returnees[returnees.month == spec.months - 1].merge(result.profiles, on="returnee")
    summary = {**keys, "seed": spec.seed, "n_returnees": result.summary["n_returnees"]}
    summary.update({k: result.summary.get(k) for k in OUTCOMES})
    return {
        "summary": summary,
        "model": _tag(result.model_table, keys),
        "communities": _tag(result.community_table, keys),
        "profiles": _tag(result.profiles, keys),
        "groups": _tag(_by_group(last), keys),
        "monitoring": _tag(_by_survey_month(returnees), keys),
        "places": _tag(_by_place(last, result.community_table, spec.months), keys),
        "allocations": _tag(_allocations(result), keys),
        "returnees": _tag(returnees, keys),
    }


def _allocations(result: RunResult) -> pd.DataFrame:
    """The plan's allocations with what the run spent on each package."""
    spent = result.summary["spent_by_package"]
    rows = [{"package": a.package, "level": a.level, "planned": a.planned,
             "redirected": a.redirected, "committed": a.committed,
             "spent": spent.get(a.package, 0.0), "reason": a.reason, "units": a.units,
             "places": a.places}
            for a in result.allocations]  # fmt: skip
    return pd.DataFrame(rows, columns=["package", "level", "planned", "redirected", "committed",
                                       "spent", "reason", "units", "places"])  # fmt: skip


def _tag(frame: pd.DataFrame, keys: dict) -> pd.DataFrame:
    return pd.concat([pd.DataFrame(keys, index=frame.index), frame], axis=1)


#: Returnee-table columns averaged into RETURNEE_OUTCOMES (booleans become shares).
_MEANS = {"sustainable": "share_sustainable", "composite": "composite", "economic": "economic",
          "social": "social", "psychosocial": "psychosocial",
          "intends_necessity": "share_necessity"}  # fmt: skip


def _outcomes(frame: pd.DataFrame, by) -> pd.DataFrame:
    grouped = frame.groupby(by, observed=True)[list(_MEANS)]
    table = grouped.mean().rename(columns=_MEANS)
    table.insert(0, "n", grouped.size())
    return table


def _by_group(last: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for dimension, label in GROUPINGS.items():
        table = _outcomes(last.assign(group=label(last)), "group").reset_index()
        parts.append(table.assign(dimension=dimension))
    return pd.concat(parts, ignore_index=True)


def _by_place(last: pd.DataFrame, communities: pd.DataFrame, months: int) -> pd.DataFrame:
    """Each community's returnee outcomes and states; ranked, since which village receives
    most is drawn anew in each replicate while "the busiest village" means the same."""
    states = communities[communities.month == months - 1].set_index("community")
    table = states[list(PLACE_STATES)].join(_outcomes(last, "community"))
    table["returnees"] = states.arrived_returnees
    table["rank"] = np.lexsort((table.index, -table.returnees.to_numpy())).argsort() + 1
    return table.drop(columns="n").rename_axis("community").reset_index()


def _by_survey_month(returnees: pd.DataFrame) -> pd.DataFrame:
    surveyed = returnees[returnees.months_since_return.isin(SURVEY_MONTHS)]
    table = _outcomes(surveyed, "months_since_return").reindex(SURVEY_MONTHS)
    table["n"] = table["n"].fillna(0).astype(int)
    return table.rename_axis("months_since_return").reset_index()


# ---------------------------------------------------------------------------- many runs


def run_comparison(settings: Settings, out: Path) -> Comparison:
    """Run every task, stream returnee tables to ``out/returnees.parquet``, gather the rest."""
    out.mkdir(parents=True, exist_ok=True)
    tasks = settings.tasks()
    parts: dict[str, list] = {k: [] for k in ("summary", "model", "communities", "profiles",
                                              "groups", "monitoring", "places",
                                              "allocations")}  # fmt: skip
    with (
        choose_runner(run_task, settings.where, len(tasks)) as runner,
        ParquetSink(out / "returnees.parquet") as sink,
    ):
        results = in_order(runner.results(tasks, lost))
        for result in progress(results, len(tasks), "compare"):
            sink.write(result.pop("returnees"))
            for key, value in result.items():
                parts[key].append(value)
    return Comparison(
        settings=settings,
        runs=pd.DataFrame(parts["summary"]),
        **{k: pd.concat(parts[k], ignore_index=True) for k in parts if k != "summary"},
    )


def lost(task: Task, why: str):
    """A run the workers could not make, every time it was tried: the comparison stops."""
    where = ", ".join(f"{k} {v!r}" for k, v in task.keys.items())
    raise ScenarioError([f"compare: {why} running {where}, every time it was tried"])
