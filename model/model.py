"""The reintegration model: one step is one month of return and reintegration."""

from __future__ import annotations

from pathlib import Path

import mesa

from agents import Community, Household, Returnee
from model.mechanisms import (
    ageing,
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
        self.datacollector = mesa.DataCollector(
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
        w, p = self.world, self.p
        ageing.grow_older(w)
        arrivals.arrive(w, p)
        planning.commit(w, self.plan, p)
        casework.review(w, self.plan, p)
        delivery.deliver(w, self.plan, p)
        structural.build(w.structure, p)
        shocks.strike(w, p, self.rng)
        livelihoods.work(w, p, self.rng)
        own_account.work(w, p, self.rng)
        household_economy.pool(w, p)
        debt.press(w, p)
        services.serve(w, p)
        stigma.spread(w, p)
        resentment.resent(w, p)
        resentment.strain(w, p)
        resentment.live(w, p)
        psychosocial.heal(w, p)
        schooling.attend(w, p, self.rng)
        scoring.assess(w, p)
        remigration.leave(w, p, self.rng)
        self._summarise()
        self.datacollector.collect(self)
        if self.record is not None:  # only runs whose tables are asked keep one
            self.record.take(w)
        w.month += 1
        if self.months is not None and w.month >= self.months:
            self.running = False


def _reporter(key: str):
    def report(model: ReintegrationModel) -> float:
        return model.current[key]

    report.__name__ = key
    return report
