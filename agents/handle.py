"""Agents as handles: a ``mesa.Agent`` whose attributes read and write one row of arrays.

The model keeps each agent type's state in numpy arrays (one per variable) so a month
updates everyone at once. A handle gives Mesa's ``AgentSet``, ``DataCollector`` and
``SolaraViz`` the agent objects they expect, without copying state out of the arrays: every
field of its state table (``model/state.py``) becomes an attribute of the agent.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import mesa

from agents.state import Table


class Row:
    """Descriptor: the agent's row in one state array of its table."""

    def __init__(self, field: str):
        self.name = field

    def __get__(self, agent: Handle | None, owner: type | None = None) -> Any:
        if agent is None:
            return self
        return getattr(agent.table, self.name)[agent.index].item()

    def __set__(self, agent: Handle, value: Any) -> None:
        getattr(agent.table, self.name)[agent.index] = value


class Handle(mesa.Agent):
    """Base for the model's agents, one per row of the world's table ``table_name``."""

    table_name: str = ""

    def __init_subclass__(cls, table: type[Table] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for f in fields(table) if table else ():
            if not hasattr(cls, f.name):  # the class's own attributes come first
                setattr(cls, f.name, Row(f.name))

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def table(self) -> Table:
        return getattr(self.model.world, self.table_name)

    def step(self) -> None:
        """Agents do not step one by one: the model's mechanisms update all rows at once."""
