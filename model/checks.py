"""Checks on a scenario's parameter values: each table's, then the ones across tables.

A scenario file's tables and ``--set`` overrides go through :func:`check_tables`: a strict
pydantic model per group of the parameter table (:data:`model.parameters.GROUPS`) checks
each value's type and range. :func:`check_combined` then checks what no single row can: the
population fits its households, weights sum as they must, and the population fits this
machine's memory. Every problem is one line naming the field's path, the value and what is
allowed; they are collected, not stopped at the first, so a file is fixed in one pass. The
files themselves are read by :mod:`model.scenario`, the overrides by :mod:`model.overrides`.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from model.inputs import ScenarioError, suggest
from model.parameters import GROUP_OF, GROUPS, PARAMETERS

#: A scenario file's keys besides its parameter tables.
META_KEYS = {
    "name",
    "label",
    "description",
    "inherits",
    "source",
    "strategies",
    "packages",
    "reasons",
}


def _group_model(group: str) -> type[BaseModel]:
    """A strict pydantic table for one group: TOML has real types, so ``true`` is no number."""
    fields: dict[str, Any] = {
        p.name: (p.kind | None, Field(None, ge=p.low, le=p.high, strict=True))
        for p in GROUPS[group]
    }
    config = ConfigDict(extra="forbid", allow_inf_nan=False)  # nan passes no range check
    return create_model(f"{group}_table", __config__=config, **fields)


_GROUP_MODELS = {g: _group_model(g) for g in GROUPS}


def unknown_parameter(path: str, name: str, group: str | None) -> str:
    """An unknown key inside a parameter table (or an unknown ``--set`` name)."""
    if name in GROUP_OF and GROUP_OF[name] != group:
        return f"{path}: {name!r} is a parameter of [{GROUP_OF[name]}], not of [{group}]"
    names = [p.name for p in GROUPS[group]] if group else list(PARAMETERS)
    hint = suggest(name, names, "parameter name")
    if group and not hint.startswith("did"):
        hint = suggest(name, PARAMETERS, "parameter name")
    return f"{path}: unknown parameter; {hint}"


def _allowed(name: str) -> str:
    p = PARAMETERS.get(name)
    if p is None:
        return "see docs/ODD.md"
    number = "a whole number" if p.kind is int else "a number"
    return f"{number} from {p.low:g} to {p.high:g} ({p.unit})"


def _describe(error: ErrorDetails, prefix: str, group: str) -> str:
    path = ".".join([prefix, *(str(x) for x in error["loc"])])
    name = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        return unknown_parameter(path, name, group)
    return (
        f"{path}: {error['input']!r} is not allowed ({error['msg'].lower()}); "
        f"allowed: {_allowed(name)}"
    )


def _unknown_table(key: str, label: str) -> str:
    if key in PARAMETERS:
        return f"{label}{key}: a parameter must sit in its table; put it under [{GROUP_OF[key]}]"
    return f"{label}{key}: unknown table or field; {suggest(key, [*GROUPS, *sorted(META_KEYS)])}"


def check_tables(tables: dict[str, Any], label: str = "") -> tuple[dict[str, Any], list[str]]:
    """Check grouped parameter tables; return ``({name: value}, problems)``, every problem.

    ``label`` goes before each field's path (``"--set "`` for the command line).
    """
    problems, flat = [], {}
    for group, table in tables.items():
        if group not in GROUPS:
            problems.append(_unknown_table(group, label))
            continue
        if not isinstance(table, dict):
            problems.append(f"{label}{group}: {table!r} is not allowed; allowed: a table")
            continue
        try:
            checked = _GROUP_MODELS[group].model_validate(table)
        except ValidationError as err:
            problems += [_describe(e, f"{label}{group}", group) for e in err.errors()]
            continue
        flat.update({k: v for k, v in checked.model_dump().items() if k in table})
    return flat, problems


def validate_parameters(tables: dict[str, Any]) -> dict[str, Any]:
    """Flatten grouped parameter tables into ``{name: value}``, or raise ScenarioError."""
    flat, problems = check_tables(tables)
    if problems:
        raise ScenarioError(problems)
    return flat


#: Weight sets the model normalises by their sum: they must not all be zero.
NORMALISED_WEIGHTS = {
    "livelihoods.econ_weight_*": (
        "econ_weight_income", "econ_weight_employment", "econ_weight_debt",
        "econ_weight_adequacy", "econ_weight_self_reliance",
    ),
    "outcomes.social_weight_*": (
        "social_weight_housing", "social_weight_services", "social_weight_documents",
        "social_weight_safety", "social_weight_family", "social_weight_networks",
    ),
    "psychosocial.psych_weight_*": (
        "psych_weight_discrimination", "psych_weight_distress", "psych_weight_belonging",
        "psych_weight_wish_to_leave",
    ),
    "resentment.nonmigrant_weight_*": (
        "nonmigrant_weight_income", "nonmigrant_weight_services", "nonmigrant_weight_cohesion",
    ),
}  # fmt: skip


def _cross_checks(values: dict[str, Any]) -> list[str]:
    """Constraints that involve more than one field."""
    problems = []
    room = (
        values["n_communities"]
        * values["households_per_community"]
        * values["max_returnees_per_household"]
    )
    if values["n_returnees"] > room:
        problems.append(
            f"population.n_returnees: {values['n_returnees']} is more than the households can "
            f"hold; allowed: at most n_communities x households_per_community x "
            f"max_returnees_per_household = {room}"
        )
    weights = ("weight_economic", "weight_social", "weight_psychosocial")
    total = sum(values[w] for w in weights)
    if abs(total - 1.0) > 1e-6:
        problems.append(
            f"outcomes.weight_*: the three dimension weights sum to {total:g}; allowed: sum of 1"
        )
    for path, names in NORMALISED_WEIGHTS.items():
        if sum(values[n] for n in names) <= 0:
            problems.append(
                f"{path}: all {len(names)} weights are 0; allowed: at least one above 0"
            )
    return problems


#: Bytes one household and one returnee take while a run builds and steps its population
#: (measured with the default scenario, rounded up), and the share of this machine's memory
#: a population may take.
BYTES_PER_HOUSEHOLD, BYTES_PER_RETURNEE, MEMORY_SHARE = 500, 500, 0.8


def machine_memory() -> int:
    """This machine's physical memory in bytes."""
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def _population_problems(values: dict[str, Any]) -> list[str]:
    """Bounds of their own do not bound the product: a run that cannot fit is said here,
    before anything is built, rather than by the machine running out of memory."""
    problems = []
    households = values["n_communities"] * values["households_per_community"]
    need = households * BYTES_PER_HOUSEHOLD + values["n_returnees"] * BYTES_PER_RETURNEE
    have = machine_memory() * MEMORY_SHARE
    if need > have:
        problems.append(
            f"population: n_communities x households_per_community = {households:,} households "
            f"and {values['n_returnees']:,} returnees need about {need / 2**30:,.1f} GB; "
            f"allowed: at most about {have / BYTES_PER_HOUSEHOLD:,.0f} households on this "
            f"machine ({machine_memory() / 2**30:,.1f} GB of memory)"
        )
    return problems


def check_combined(values: dict[str, Any]) -> None:
    """Raise every problem that involves more than one field, or this machine's memory."""
    problems = _cross_checks(values) + _population_problems(values)
    if problems:
        raise ScenarioError(problems)
