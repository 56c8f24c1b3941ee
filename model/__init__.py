"""Return migration and community reintegration: the model.

The names below are loaded on first use (PEP 562), so that ``import agents`` and
``import model.state`` work in any order: the model imports the agents, and the agents
import the model's state tables.
"""

import importlib

_EXPORTS = {
    "ReintegrationModel": "model.model",
    "ReintegrationScenario": "model.scenario",
    "ScenarioError": "model.scenario",
    "load_scenario": "model.scenario",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
