"""One run specification and one run function: the single unit of work every runner calls.

A :class:`RunSpec` says everything a run needs (scenario, strategy, seed, months, parameter
overrides, extra strategies, and what to record) and :func:`perform` makes it: it builds the
model, steps it month by month and returns its tables. A comparison's tasks, a sweep's points
and the targets' arms (so a calibration's particles) are lists of run specifications, sent
where :func:`experiments.engine.runners.choose_runner` decides (this process, a pool or Dask),
as ``mesa.batch_run`` runs its list of runs; ``run(scenario, strategy, seed)`` makes one by
hand (the command line's ``run``, ``mesa.batch_run`` and the EMA Workbench wrapper call it).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from agents.state import Table, World
from model.model import Batch, ReintegrationModel
from model.outcomes import DECLARED, REPORT_MONTHS, Record, forced_gap, profile_table
from model.parameters import PARAMETERS
from model.plan import Allocation
from model.scenario import ReintegrationScenario
from model.support import Package, Strategy

#: The outcomes of a run's summary: the last month's model outcomes, and the share
#: sustainably reintegrated at each report month (:data:`model.outcomes.REPORT_MONTHS`).
SUMMARY_OUTCOMES = tuple(DECLARED)
TABLE_FILES = {
    "returnee_table": "returnees.parquet",
    "community_table": "communities.parquet",
    "profiles": "profiles.parquet",
    "received": "received.parquet",
}


#: What a run keeps besides its monthly model table and summary: nothing more ("summary": no
#: per-returnee history at all), the per-returnee, per-community and profile tables
#: ("tables"), or every month's returnee and household arrays and indicators ("months": what
#: the targets' statistics read).
Keep = Literal["summary", "tables", "months"]


@dataclass
class MonthState:
    """The returnees' and households' arrays and the indicators at the end of one month."""

    returnees: dict[str, np.ndarray]
    households: dict[str, np.ndarray]
    indicators: dict[str, np.ndarray]

    @classmethod
    def of(cls, world: World) -> MonthState:
        return cls(_arrays(world.returnees), _arrays(world.households),
                   {k: np.array(v) for k, v in world.indicators.items()})  # fmt: skip


def _arrays(table: Table) -> dict[str, np.ndarray]:
    return {f.name: np.array(getattr(table, f.name)) for f in fields(table)}


@dataclass(frozen=True)
class RunSpec:
    """One run, as data: what a worker needs to make it, and nothing else (picklable)."""

    scenario: ReintegrationScenario | str | Path = "default"
    strategy: str | Strategy = "integrated"  # a name, or a strategy made in code
    seed: int = 0
    months: int = 24
    overrides: Mapping[str, Any] = field(default_factory=dict)  # parameter -> value
    strategies_file: str | Path | None = None  # a TOML file of more strategies
    record: Keep = "tables"


@dataclass
class RunResult:
    scenario: str
    strategy: str
    seed: int
    months: int
    summary: dict
    model_table: pd.DataFrame
    returnee_table: pd.DataFrame | None = None
    community_table: pd.DataFrame | None = None
    profiles: pd.DataFrame | None = None
    received: pd.DataFrame | None = None  # who received what: per returnee, per community
    parameters: dict = field(default_factory=dict)
    allocations: list[Allocation] = field(default_factory=list)  # the plan's money, by package
    packages: dict[str, Package] = field(default_factory=dict)  # the scenario's
    states: list[MonthState] = field(default_factory=list)  # per month, if recorded


def run(
    scenario: ReintegrationScenario | str | Path = "default",
    strategy: str = "integrated",
    seed: int = 0,
    months: int = 24,
    *,
    overrides: dict | None = None,
    strategies_file: str | Path | None = None,
    tables: bool = True,
    write_returnees: Callable[[pa.Table], None] | None = None,
) -> RunResult:
    """Run one scenario under one strategy with one seed for ``months`` months."""
    record: Keep = "tables" if tables else "summary"
    spec = RunSpec(scenario, strategy, seed, months, overrides or {}, strategies_file, record)
    return perform(spec, write_returnees)


def perform(spec: RunSpec, write_returnees: Callable[[pa.Table], None] | None = None) -> RunResult:
    """Make one run: the work every runner does, once per run specification.

    With ``write_returnees`` (and tables recorded), each month's per-returnee rows go there as
    the run makes them, and the result holds no returnee table: ``reintegrate run`` writes
    them to Parquet month by month, never holding the whole history."""
    together = getattr(_asking, "together", None)
    if together is not None and write_returnees is None:
        return together.perform(spec)
    model = start(spec, write_returnees)
    states: list[MonthState] = []
    while model.running:
        model.step()
        keep_state(spec, model, states)
    return finish(spec, model, states, write_returnees)


def perform_batch(specs: Sequence[RunSpec]) -> list[RunResult]:
    """Make runs of one scenario and length together (:class:`model.model.Batch`): one
    result per specification, each the same as :func:`perform` makes it alone."""
    models = [start(spec) for spec in specs]
    batch = Batch(models)
    states: list[list[MonthState]] = [[] for _ in specs]
    while batch.running:
        batch.step()
        for spec, model, kept in zip(specs, models, states, strict=True):
            keep_state(spec, model, kept)
    return [finish(*run) for run in zip(specs, models, states, strict=True)]


def perform_each(specs: Sequence[RunSpec]) -> list[RunResult]:
    """Runs one job needs at once (a calibration simulation's arms): those :func:`batchable`
    together, :data:`BATCH` at most to a batch, the rest alone; one result per
    specification, in order, each the same as :func:`perform` makes it alone. A job of
    :class:`Together` asks them all there, where they meet the other jobs' runs."""
    together = getattr(_asking, "together", None)
    if together is not None:
        return together.perform_each(specs)
    made = _make_all(dict(enumerate(specs)), BATCH)
    return _or_raise([made[i] for i in range(len(specs))])


#: Runs stepped together at most, by default: from 4 to 64 a run costs the same share of its
#: time alone (benchmarks/bench_batch.py, docs/batching.md), while what a worker holds grows
#: with the jobs it takes at once (ten replicates of the validation targets at once held
#: 3.9 GB, four 1.9 GB), and smaller tasks keep the progress bar moving.
BATCH = 4
#: The :class:`Together` a thread asks its runs from, if any.
_asking = threading.local()


class Together:
    """Jobs worked on side by side, their runs made together in batches.

    Each job (a comparison's task, a sweep's batch, a target's replicate) runs in a thread
    of its own and asks for its runs with :func:`perform` as ever (or several at once with
    :func:`perform_each`). When every job is waiting
    for a run or done, the runs asked are made together (:func:`perform_batch`), grouped by
    :func:`batchable` into batches of at most ``size``, and each job gets its own result: the
    same as alone, so nothing depends on which runs meet in a batch. A batch that fails is
    made again run by run, so each job sees its own run's error."""

    def __init__(self, size: int):
        self.size = size
        self.ready = threading.Condition()
        self.asked: dict[int, list[RunSpec]] = {}
        self.made: dict[int, list[RunResult | Exception]] = {}
        self.working = 0

    def work(self, work: Callable[[Any], Any], jobs: Sequence) -> list:
        """Each job's result, in job order (the first job's error raised, as alone); ``size``
        jobs at a time, so no more worlds than a batch's are held at once."""
        results = []
        for i in range(0, len(jobs), self.size):
            results += self._side_by_side(work, jobs[i : i + self.size])
        return results

    def _side_by_side(self, work: Callable[[Any], Any], jobs: Sequence) -> list:
        if len(jobs) == 1:
            return [work(jobs[0])]
        done: list[tuple[bool, Any]] = [(False, None)] * len(jobs)

        def job(i: int) -> None:
            _asking.together = self
            try:
                done[i] = (True, work(jobs[i]))
            except Exception as err:  # handed to the caller below, in job order
                done[i] = (False, err)
            finally:
                with self.ready:
                    self.working -= 1
                    self.ready.notify_all()

        threads = [threading.Thread(target=job, args=(i,), daemon=True) for i in range(len(jobs))]
        self.working = len(jobs)
        for thread in threads:
            thread.start()
        self._serve()
        for thread in threads:
            thread.join()
        for ok, value in done:
            if not ok:
                raise value
        return [value for _, value in done]

    def perform(self, spec: RunSpec) -> RunResult:
        """A job's run: asked, and waited for until the batch it is in has been made."""
        return self.perform_each([spec])[0]

    def perform_each(self, specs: Sequence[RunSpec]) -> list[RunResult]:
        """A job's runs asked at once, waited for until the batches they are in are made
        (the first run's error raised, as alone)."""
        me = threading.get_ident()
        with self.ready:
            self.asked[me] = list(specs)
            self.ready.notify_all()
            self.ready.wait_for(lambda: me in self.made)
            made = self.made.pop(me)
        return _or_raise(made)

    def _serve(self) -> None:
        while True:
            with self.ready:
                self.ready.wait_for(lambda: len(self.asked) == self.working)
                if not self.working:
                    return
                asked, self.asked = self.asked, {}
            made = self._make(asked)
            with self.ready:
                self.made.update(made)
                self.ready.notify_all()

    def _make(self, asked: dict[int, list[RunSpec]]) -> dict[int, list[RunResult | Exception]]:
        flat = {(who, k): spec for who, specs in asked.items() for k, spec in enumerate(specs)}
        made = _make_all(flat, self.size)
        return {who: [made[(who, k)] for k in range(len(specs))] for who, specs in asked.items()}


def _make_all[Who: Hashable](
    asked: Mapping[Who, RunSpec], size: int
) -> dict[Who, RunResult | Exception]:
    """Runs asked, keyed by who asked (a job's thread and which of its runs): grouped by
    :func:`batchable` into batches of at most ``size`` (a group of one made alone: a batch of
    one only costs more). A batch that fails is made again run by run, so each asker gets
    its own run's error."""
    groups: dict[Hashable, list[Who]] = {}
    for who, spec in asked.items():
        groups.setdefault(batchable(spec), []).append(who)
    made: dict[Who, RunResult | Exception] = {}
    for group in groups.values():
        for i in range(0, len(group), size):
            whose = group[i : i + size]
            if len(whose) == 1:
                made[whose[0]] = _alone(asked[whose[0]])
                continue
            try:
                made.update(zip(whose, perform_batch([asked[w] for w in whose]), strict=True))
            except Exception:  # noqa: BLE001 - each asker gets its own run's error
                made.update((w, _alone(asked[w])) for w in whose)
    return made


def _or_raise(made: list[RunResult | Exception]) -> list[RunResult]:
    """The results, or the first run's error raised (as the runs alone would)."""
    results = []
    for result in made:
        if isinstance(result, Exception):
            raise result
        results.append(result)
    return results


def _alone(spec: RunSpec) -> RunResult | Exception:
    try:
        return perform(spec)
    except Exception as err:  # noqa: BLE001 - handed to the job that asked
        return err


def batchable(spec: RunSpec) -> Hashable:
    """What runs stepped together must share: everything but the seed and the strategy
    (its extra strategies too, as their file says them). Runs of equal keys form a batch."""
    overrides = tuple(sorted((k, repr(v)) for k, v in spec.overrides.items()))
    return (repr(spec.scenario), spec.months, overrides, str(spec.strategies_file))


def start(spec: RunSpec, write_returnees: Callable[[pa.Table], None] | None = None):
    """The model of a run, built as its specification says, before its first month."""
    record = Record(write_returnees) if spec.record == "tables" else None
    return ReintegrationModel(
        spec.scenario,
        strategy=spec.strategy,
        rng=spec.seed,
        months=spec.months,
        strategies_file=spec.strategies_file,
        create_agents=False,
        record=record,
        **spec.overrides,
    )


def keep_state(spec: RunSpec, model: ReintegrationModel, states: list[MonthState]) -> None:
    if spec.record == "months":
        states.append(MonthState.of(model.world))


def finish(
    spec: RunSpec,
    model: ReintegrationModel,
    states: list[MonthState],
    write_returnees: Callable[[pa.Table], None] | None = None,
) -> RunResult:
    """A run's result from its model after the last month."""
    model_table = model.datacollector.get_model_vars_dataframe()
    model_table.insert(0, "month", np.arange(1, len(model_table) + 1))
    result = RunResult(
        scenario=model.p.name,
        strategy=model.strategy.name,
        seed=spec.seed,
        months=spec.months,
        summary=summarise(model, model_table),
        model_table=model_table.reset_index(drop=True),
        parameters=parameters_of(model.p),
        allocations=model.plan.allocations,
        packages=model.packages,
        states=states,
    )
    record = model.record
    if record is not None:
        result.returnee_table = None if write_returnees else record.returnee_table()
        result.community_table = record.community_table()
        result.profiles = profile_table(model.world)
    if record is not None or states:  # a survey of who was assisted reads it (targets)
        result.received = model.plan.received(model.world.returnees.community)
    return result


def parameters_of(scenario: ReintegrationScenario) -> dict:
    return {name: getattr(scenario, name) for name in PARAMETERS}


def summarise(model: ReintegrationModel, table: pd.DataFrame) -> dict:
    """Final outcomes, the share sustainable at the report months, how far forced returnees
    trail voluntary ones (:func:`model.outcomes.forced_gap`), spending by package."""
    last = table.iloc[-1].to_dict() if len(table) else {}
    out: dict[str, Any] = {
        "scenario": model.p.name,
        "strategy": model.strategy.name,
        "seed": int(model.p.rng) if model.p.rng is not None else None,
        "months": int(model.month),
        "budget": float(model.p.budget),
        "n_returnees": int(model.world.returnees.n),
    }
    out.update({k: _plain(v) for k, v in last.items() if not k.startswith("spent_")})
    for m in REPORT_MONTHS:
        value = table["share_sustainable"].iloc[m - 1] if len(table) >= m else float("nan")
        out[f"share_sustainable_m{m}"] = _plain(value)
    out["gap_forced_voluntary"] = _plain(forced_gap(model.world))
    out["spent_by_package"] = {
        k.removeprefix("spent_"): _plain(v) for k, v in last.items() if k.startswith("spent_") and v
    }
    return out


def _plain(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def write(result: RunResult, out: str | Path) -> dict[str, Path]:
    """Write a run's tables (Parquet) and ``summary.json`` under ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"model": out / "model.parquet", "summary": out / "summary.json"}
    result.model_table.to_parquet(paths["model"], index=False)
    for name, filename in TABLE_FILES.items():
        table = getattr(result, name)
        if table is not None:
            paths[name] = out / filename
            table.to_parquet(paths[name], index=False)
    summary = {**result.summary, "parameters": result.parameters}
    paths["summary"].write_text(json.dumps(summary, indent=2, default=_plain))
    return paths
