"""Return migration and community reintegration: the model."""

from model.inputs import ScenarioError
from model.model import ReintegrationModel
from model.scenario import ReintegrationScenario, load_scenario

__all__ = ["ReintegrationModel", "ReintegrationScenario", "ScenarioError", "load_scenario"]
