"""The reintegration model: one step is one month of return and reintegration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import TypeVar

import mesa
import numpy as np
import scipy.sparse as sp

from agents import Community, Household, Returnee
from agents.state import POINTERS, STRUCTURAL, Structure, Table, World
from model.mechanisms import (
    Random,
    Streams,
    ageing,
    apprenticeship,
    arrivals,
    casework,
    debt,
    delivery,
    household_economy,
    livelihoods,
    own_account,
    planning,
    psychosocial,
    remigration,
    resentment,
    schooling,
    scoring,
    services,
    shocks,
    stigma,
    structural,
)
from model.outcomes import Record, model_summary
from model.parameters import Parameters
from model.plan import start_plan
from model.population import build_world
from model.scenario import ReintegrationScenario, load_scenario, with_overrides
from model.support import Strategy, load_strategies, resolve_strategy


class ReintegrationModel(mesa.Model):
    """Returnees, households and communities on social networks, under a support strategy.

    Args:
        scenario: a ``ReintegrationScenario``, or the name or path of a scenario file.
        strategy: the strategy to run: a name (see ``scenarios/strategies.toml``) or a
            ``Strategy`` made in code (say, from the trainer's sliders).
        rng: seed; the same scenario, strategy and seed give identical results.
        months: stop after this many months (``running`` turns False); None runs on.
        strategies_file: a TOML file with more strategies.
        create_agents: make Mesa agent handles (turn off for the fastest sweeps).
        record: where the per-returnee and per-community rows of each month go; None (runs
            that need summaries only, the trainer's page) keeps no per-returnee history.
        **parameters: parameter overrides by name, as ``mesa.batch_run`` passes them.
    """

    def __init__(
        self,
        scenario: ReintegrationScenario | str | Path | None = None,
        *,
        strategy: str | Strategy = "integrated",
        rng: int | None = None,
        months: int | None = None,
        strategies_file: str | Path | None = None,
        create_agents: bool = True,
        record: Record | None = None,
        **parameters,
    ):
        if not isinstance(scenario, ReintegrationScenario):
            scenario = load_scenario(scenario or "default", parameters or None, rng=rng)
        elif parameters or (rng is not None and rng != scenario.rng):
            scenario = with_overrides(scenario, parameters, rng)
        super().__init__(scenario=scenario)
        p = self.p = scenario
        self.packages = p.packages
        strategies = p.strategies
        if strategies_file is not None:
            strategies = load_strategies(p.packages, path=strategies_file, base=strategies)
        self.strategy = resolve_strategy(strategy, p.packages, strategies)
        self.months = months
        self.world = build_world(p, self.rng)
        self.plan = start_plan(self.strategy, self.packages, self.world, p, scenario.rng)
        self.record = record
        self.current: dict[str, float] = {}
        if create_agents:
            self._create_agent_handles()
        self.datacollector = MonthlyOutcomes(
            model_reporters={key: _reporter(key) for key in self._summarise()}
        )
        self.running = True

    def _create_agent_handles(self) -> None:
        w = self.world
        self.communities_list = [Community(self, i) for i in range(w.communities.n)]
        self.households_list = [Household(self, i) for i in range(w.households.n)]
        self.returnees_list = [Returnee(self, i) for i in range(w.returnees.n)]

    def _summarise(self) -> dict[str, float]:
        self.current = model_summary(self.world, self.p, self.packages)
        return self.current

    @property
    def month(self) -> int:
        return self.world.month

    def step(self) -> None:
        """One month, always in this order (the ODD's process overview)."""
        self.organise()
        live(self.world, self.p, self.rng)
        self.close_month()

    def organise(self) -> None:
        """The month's arrivals, and the programme's work: its plan and money are this
        world's own (in a batch, the world's block of rows)."""
        w, p = self.world, self.p
        ageing.grow_older(w)
        arrivals.arrive(w, p)
        planning.commit(w, self.plan, p)
        casework.review(w, self.plan, p)
        delivery.deliver(w, self.plan, p)
        structural.build(w.structure, p)

    def close_month(self) -> None:
        """The month's outcomes recorded; on to the next month."""
        self._summarise()
        self.datacollector.collect(self)
        if self.record is not None:  # only runs whose tables are asked keep one
            self.record.take(self.world)
        self.world.month += 1
        if self.months is not None and self.world.month >= self.months:
            self.running = False


class MonthlyOutcomes(mesa.DataCollector):
    """Mesa's DataCollector of the month's model outcomes (its table, its reporters), each
    month's values appended as :func:`model.outcomes.model_summary` made them: a new dict of
    numbers every month, which nothing changes later, so Mesa's deep copy of each value (some
    50 a month, 5% of a calibration simulation) copies nothing that needs it."""

    def collect(self, model: ReintegrationModel) -> None:
        self._collection_steps.append(model.time)
        for key, values in self.model_vars.items():
            values.append(model.current[key])


def _reporter(key: str):
    def report(model: ReintegrationModel) -> float:
        return model.current[key]

    report.__name__ = key
    return report


def live(w: World, p: Parameters, rng: Random) -> np.ndarray:
    """The month's lives, after the programme's work: the same for one world or a batch of
    worlds stepped together (one block of rows each). Returns the month's leavers."""
    shocks.strike(w, p, rng)
    livelihoods.work(w, p, rng)
    apprenticeship.learn(w, p, rng)
    own_account.work(w, p, rng)
    need = household_economy.pool(w, p)  # the households' need, the same all month
    household_economy.spend(w, p, debt.press(w, p, need), need)
    services.serve(w, p)
    stigma.spread(w, p)
    resentment.resent(w, p)
    resentment.strain(w, p)
    resentment.live(w, p)
    psychosocial.heal(w, p)
    schooling.attend(w, p, rng)
    remigration.adapt(w, p, need)
    scoring.assess(w, p)
    return remigration.leave(w, p, rng)


T = TypeVar("T", bound=Table)
#: The state tables of a world, in the order ``World`` takes them.
TABLES = ("returnees", "households", "communities")


class Batch:
    """Many worlds stepped together: independent runs (replicates, strategies) of one
    scenario and length, their state one set of arrays, one block of rows per world.

    Each world is a :class:`ReintegrationModel` built as it would be alone (its population,
    generator, plan and records its own). The batch concatenates their tables (pointers
    offset by each block's start, ties block-diagonal, each world its own district) and runs
    the month's lives on all of them at once, each world drawing from its own generator
    (:class:`Streams`); the programme's work and the outcomes are each world's own, on views
    of its block. A world's results are the same alone or in any batch
    (tests/model/test_batch.py).
    """

    def __init__(self, models: list[ReintegrationModel]):
        self.models = models
        self.p = models[0].p
        if any(_settings(m) != _settings(models[0]) for m in models[1:]):
            raise ValueError("a batch steps worlds of one scenario and length only")
        worlds = [m.world for m in models]
        self.tables = {name: [getattr(w, name) for w in worlds] for name in TABLES}
        self.starts = {
            name: np.cumsum([0] + [t.n for t in tables]) for name, tables in self.tables.items()
        }
        self.world = World(
            self._joined("returnees", [w.returnees for w in worlds]),
            self._joined("households", [w.households for w in worlds]),
            self._joined("communities", [w.communities for w in worlds]),
            structure=Structure(residents=0.0),
            ties=_block_diagonal([w.ties for w in worlds]),
            month=worlds[0].month,
        )
        counts = np.diff(self.starts["communities"])
        self.world.communities.district = np.repeat(np.arange(len(worlds)), counts)  # one each
        self.rng = Streams(
            [m.rng for m in models],
            {type(ts[0]): [t.n for t in ts] for ts in self.tables.values()},
        )
        self.views: list[dict[str, dict[str, np.ndarray]]] = []
        #: The fields each world's tables take as views of the batch's (not its pointers).
        self.lent = {
            name: tuple(f.name for f in fields(ts[0]) if POINTERS.get(f.name, name) == name)
            for name, ts in self.tables.items()
        }

    @property
    def running(self) -> bool:
        return self.models[0].running

    def _joined(self, name: str, tables: list[T]) -> T:
        """One table of every world's rows, pointers offset by their blocks' starts."""
        columns: dict[str, np.ndarray] = {}
        for f in fields(tables[0]):
            pieces = [getattr(t, f.name) for t in tables]
            if f.name in POINTERS and POINTERS[f.name] != name:
                offsets = self.starts[POINTERS[f.name]]
                pieces = [piece + offset for piece, offset in zip(pieces, offsets, strict=False)]
            columns[f.name] = np.concatenate(pieces)
        return type(tables[0])(**columns)

    def step(self) -> None:
        self._lend()
        for m in self.models:
            m.organise()
        self._take_back()
        self._hand_out(live(self.world, self.p, self.rng))
        self._lend()
        for m in self.models:
            m.close_month()
        self.world.month = self.models[0].world.month

    def _lend(self) -> None:
        """Each world's tables become views of its block (its own pointers kept), and the
        month's per-returnee indicators its own."""
        whole = self.world
        self.views = []
        for i, m in enumerate(self.models):
            views: dict[str, dict[str, np.ndarray]] = {}
            for name, lent in self.lent.items():
                lo, hi = self.starts[name][i], self.starts[name][i + 1]
                joined = vars(getattr(whole, name))
                views[name] = {key: joined[key][lo:hi] for key in lent}
                vars(getattr(m.world, name)).update(views[name])  # the fields, as setattr would
            lo, hi = self.starts["returnees"][i], self.starts["returnees"][i + 1]
            m.world.indicators = _rows(whole.indicators, lo, hi)
            self.views.append(views)

    def _take_back(self) -> None:
        """What the worlds' own work replaced (rather than changed in place) goes back into
        the batch's arrays; the structure each world built is felt per community."""
        whole = self.world
        for i, m in enumerate(self.models):
            for name, views in self.views[i].items():
                lo, hi = self.starts[name][i], self.starts[name][i + 1]
                table, joined = vars(getattr(m.world, name)), vars(getattr(whole, name))
                for key, view in views.items():
                    now = table[key]
                    if now is not view:
                        joined[key][lo:hi] = now
        counts = np.diff(self.starts["communities"])
        whole.structure.strength = {
            kind: np.repeat([m.world.structure.strength[kind] for m in self.models], counts)
            for kind in STRUCTURAL
        }

    def _hand_out(self, leavers: np.ndarray) -> None:
        """Each world's share of what the month's lives left at batch level: its leavers by
        reason, and the jobs a community shock took from its villages for some months."""
        whole = self.world
        for i, m in enumerate(self.models):
            lo, hi = self.starts["returnees"][i], self.starts["returnees"][i + 1]
            mine = leavers[(leavers >= lo) & (leavers < hi)]
            m.world.departures = remigration.departures(whole.returnees, mine)
            lo, hi = self.starts["communities"][i], self.starts["communities"][i + 1]
            for jobs, end in whole.temporary_jobs:
                if jobs[lo:hi].any():
                    m.world.temporary_jobs.append((jobs[lo:hi].copy(), end))
        whole.temporary_jobs = []


def _rows(indicators: Mapping[str, np.ndarray], lo: int, hi: int) -> Mapping[str, np.ndarray]:
    """One world's rows of the batch's indicators: still masked when first read
    (:class:`model.mechanisms.scoring.Measured`), so a batch keeping summaries only masks none."""
    if isinstance(indicators, scoring.Measured):
        return indicators.block(lo, hi)
    return {k: v[lo:hi] for k, v in indicators.items()}


def _settings(model: ReintegrationModel) -> tuple:
    """What worlds stepped together share: the scenario's parameters but the seed, and the
    number of months."""
    values = model.p.to_dict()
    return model.months, {
        k: v for k, v in values.items() if k not in {"rng", "_scenario_id", "model"}
    }


def _block_diagonal(ties: list[sp.csr_matrix]) -> sp.csr_matrix:
    """The worlds' ties as one matrix, each world's a block on the diagonal: every row keeps
    its entries in their order, so ``ties @ x`` sums each row as the world alone does."""
    sizes = [t.shape[0] for t in ties]
    starts = np.cumsum([0] + sizes)
    indptr = np.concatenate(
        [[0]]
        + [
            t.indptr[1:] + n
            for t, n in zip(ties, np.cumsum([0] + [t.nnz for t in ties]), strict=False)
        ]
    )
    indices = np.concatenate([t.indices + s for t, s in zip(ties, starts, strict=False)])
    data = np.concatenate([t.data for t in ties])
    return sp.csr_matrix((data, indices, indptr), shape=(starts[-1], starts[-1]))
