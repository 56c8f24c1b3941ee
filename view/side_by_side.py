"""The model the page drives: two reintegration models on the very same population.

The page is thin over the model: :class:`SideBySide` steps two ``ReintegrationModel``\\ s
together and records their reporters; the budget-split sliders become one more strategy
(:func:`model.support.split_by_level`), handed to the model as a ``Strategy`` object.
"""

from __future__ import annotations

import hashlib

import mesa
import numpy as np

from model.inputs import ScenarioError
from model.model import ReintegrationModel
from model.parameters import DEFAULTS
from model.scenario import DEFAULT_SCENARIO, load_scenario
from model.support import split_by_level
from view.kept_figure import hand_over

SIDES = ("A", "B")
#: The strategy the budget-split sliders define, and the shipped one whose mix it rescales.
YOUR_SPLIT = "your split"
SPLIT_BASE = "integrated"
#: Months shown after the programme ends, so the room sees what lasts: two years, as
#: ``make report``'s comparison (48 months for a two-year programme), so the page's last
#: month is the report's.
MONTHS_AFTER_PROGRAMME = 24
#: What the returnees' colours show by default (else one of the three dimension scores).
STATE = "reintegration state"


class SideBySide(mesa.Model):
    """Two reintegration models on the very same population, stepped together.

    Both sides load the same scenario with the same seed, so they start from identical
    returnees, households and networks; only the strategy differs. Bad input (say, more
    returnees than a scenario's households can hold) is kept in ``problems`` — one line per
    problem, shown on the page — instead of raising, and the model then does not run.
    """

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        strategy_a: str = "individual",
        strategy_b: str = YOUR_SPLIT,
        budget: float = DEFAULTS["budget"],
        individual: float = 1.0,
        community: float = 1.0,
        structural: float = 1.0,
        n_returnees: int = int(DEFAULTS["n_returnees"]),
        arrival_months: int = int(DEFAULTS["arrival_months"]),
        job_capacity: float = DEFAULTS["job_capacity"],
        initial_attitude: float = DEFAULTS["initial_attitude"],
        share_forced: float = DEFAULTS["share_forced"],
        seed: int = 0,
        colour_by: str = STATE,
    ):
        super().__init__(rng=seed)
        self.scenario_name = scenario_name
        self.colour_by = colour_by
        self.strategies = {"A": strategy_a, "B": strategy_b}
        self.weights = {"individual": individual, "community": community, "structural": structural}
        overrides = {
            "budget": budget,
            "n_returnees": n_returnees,
            "arrival_months": arrival_months,
            "job_capacity": job_capacity,
            "initial_attitude": initial_attitude,
            "share_forced": share_forced,
        }
        self.problems: list[str] = []
        self.sides: dict[str, ReintegrationModel] = {}
        try:
            self.sides = {s: self._side(self.strategies[s], overrides, seed) for s in SIDES}
        except ScenarioError as err:
            self.problems = err.problems
        self.population = population_print(self.sides["A"].world) if self.sides else ""
        keys = self.sides["A"].current if self.sides else {}
        self.datacollector = mesa.DataCollector(
            model_reporters={f"{s}: {key}": _reporter(s, key) for s in self.sides for key in keys}
        )
        self.running = bool(self.sides)

    def _side(self, strategy: str, overrides: dict, seed: int) -> ReintegrationModel:
        """One side, on its own scenario object (a Mesa scenario belongs to one model)."""
        scenario = load_scenario(self.scenario_name, overrides, rng=seed)
        base = scenario.strategies[SPLIT_BASE]
        split = split_by_level(YOUR_SPLIT, self.weights, scenario.packages, base)
        months = scenario.programme_months + MONTHS_AFTER_PROGRAMME
        chosen = split if strategy == YOUR_SPLIT else strategy
        return ReintegrationModel(scenario, strategy=chosen, months=months)

    @property
    def month(self) -> int:
        return self.sides["A"].month if self.sides else 0

    @property
    def horizon(self) -> int:
        """Months the page runs: the programme, then two years to see what lasts."""
        months = self.sides["A"].months
        assert months is not None  # every side is made with its horizon (_side)
        return months

    @property
    def finished(self) -> bool:
        """The run reached its horizon (or cannot run): no month comes after."""
        return not self.running

    def take_pictures_from(self, previous: SideBySide) -> None:
        """Keep the pictures ``previous`` drew where they still hold (:func:`hand_over`)."""
        hand_over(previous, self)
        for side, model in self.sides.items():
            if side in previous.sides:
                hand_over(previous.sides[side], model)

    def step(self) -> None:
        """One month on both sides; nothing once the run is over, so no click, loop or script
        can take it past its horizon."""
        if not self.running:
            return
        for side in self.sides.values():
            side.step()
        self.datacollector.collect(self)
        self.running = all(side.running for side in self.sides.values())


def population_print(world) -> str:
    """A fingerprint of a population as it starts: its villages, households and the ties
    between them, and where returnees come back to (what a village picture is drawn from)."""
    digest = hashlib.blake2b(digest_size=16)
    ties = world.ties.tocsr()
    for array in (world.households.community, world.returnees.household, ties.indptr,
                  ties.indices, world.communities.expected_returnees):  # fmt: skip
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _reporter(side: str, key: str):
    def report(model: SideBySide) -> float:
        return model.sides[side].current[key]

    return report
