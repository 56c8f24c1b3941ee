"""Each mechanism's declared reads and writes (its module's READS and WRITES) are what its
functions actually touch in a month of the model.

The mechanisms the month calls are wrapped so that the state tables they receive are
watched: every attribute read is logged, every attribute assigned is a write, and so is every
array or dict changed in place (found by comparing the state before and after the call).
Two years of the integrated strategy on a small world reach every package and branch (14 months
no longer saw an employed returnee leave once support came in planning rounds).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import fields, is_dataclass

import numpy as np
import pytest

from agents.state import Communities, Households, Returnees, Structure, World
from model import describe, mechanisms
from model.model import ReintegrationModel

#: State tables by type, as the declarations name them.
TABLES = {Returnees: "returnees", Households: "households", Communities: "communities",
          Structure: "structure", World: "world"}  # fmt: skip
MONTHS = 24


class Watched:
    """A state table seen through a log of the attributes read and assigned."""

    def __init__(self, table, name: str, log: dict[str, set[str]]):
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, attr: str):
        value = getattr(self._table, attr)
        if type(value) in TABLES:  # world.returnees: a watched table, not a read of the world
            return Watched(value, TABLES[type(value)], self._log)
        if attr != "n":
            self._log["reads"].add(f"{self._name}.{attr}")
        return value

    def __setattr__(self, attr: str, value) -> None:
        self._log["writes"].add(f"{self._name}.{attr}")
        setattr(self._table, attr, value)


def _state(world: World) -> dict[str, object]:
    """Every state variable's value, by declared name."""
    out: dict[str, object] = {}
    for table in (world.returnees, world.households, world.communities, world.structure):
        for f in fields(table):
            out[f"{TABLES[type(table)]}.{f.name}"] = copy.deepcopy(getattr(table, f.name))
    for f in fields(world):
        value = getattr(world, f.name)
        if not is_dataclass(value):
            out[f"world.{f.name}"] = value.copy() if f.name == "ties" else copy.deepcopy(value)
    return out


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if hasattr(a, "toarray"):
        return (a != b).nnz == 0
    return repr(a) == repr(b)


def _watch(function, world: World, seen: dict[str, dict[str, set[str]]]):
    """``function`` with its state arguments watched, its log kept under its module."""
    module = function.__module__.rsplit(".", 1)[-1]

    @functools.wraps(function)
    def watched(*args, **kwargs):
        log = seen.setdefault(module, {"reads": set(), "writes": set()})
        before = _state(world)
        args = [Watched(a, TABLES[type(a)], log) if type(a) in TABLES else a for a in args]
        result = function(*args, **kwargs)
        after = _state(world)
        log["writes"] |= {name for name in before if not _same(before[name], after[name])}
        return result

    return watched


@pytest.fixture(scope="module")
def seen() -> dict[str, dict[str, set[str]]]:
    # apprenticeships on (the table's rate is 0: the mechanism would touch nothing)
    model = ReintegrationModel(rng=5, strategy="integrated", months=MONTHS, n_returnees=300,
                               n_communities=6, households_per_community=40,
                               apprenticeship_rate=0.05)  # fmt: skip
    log: dict[str, dict[str, set[str]]] = {}
    patch = pytest.MonkeyPatch()
    # village sums as large worlds take them (a product with the villages' membership, kept
    # in world.products), which read everything the small worlds' bincount reads and more
    patch.setattr(mechanisms, "PRODUCT_FROM", 0)
    for module, function in describe.scheduled_functions():
        patch.setattr(module, function.__name__, _watch(function, model.world, log))
    try:
        while model.running:
            model.step()
    finally:
        patch.undo()
    return log


def test_every_scheduled_mechanism_declares_its_reads_and_writes(seen):
    for module, _ in describe.scheduled_functions():
        assert isinstance(getattr(module, "READS", None), tuple), module.__name__
        assert isinstance(getattr(module, "WRITES", None), tuple), module.__name__


@pytest.mark.parametrize("kind", ["reads", "writes"])
def test_declarations_match_what_the_mechanisms_touch(seen, kind):
    wrong = {}
    for module, _ in describe.scheduled_functions():
        name = module.__name__.rsplit(".", 1)[-1]
        declared = set(getattr(module, kind.upper()))
        touched = seen[name][kind]
        if declared != touched:
            wrong[name] = {"undeclared": sorted(touched - declared),
                           "declared, not touched": sorted(declared - touched)}  # fmt: skip
    assert not wrong, f"{kind} of model/mechanisms/*.py differ from their declarations: {wrong}"


def test_watching_sees_an_undeclared_write():
    """The check can fail: a function that writes a variable is seen writing it."""
    world = ReintegrationModel(rng=1, n_returnees=20, n_communities=2,
                               households_per_community=10).world  # fmt: skip
    log: dict[str, dict[str, set[str]]] = {}

    def scribble(w: World) -> None:
        w.returnees.stigma[:] = 1.0
        w.communities.tension = w.communities.cohesion

    _watch(scribble, world, log)(world)
    assert log["test_state_access"] == {
        "reads": {"returnees.stigma", "communities.cohesion"},
        "writes": {"returnees.stigma", "communities.tension"},
    }
