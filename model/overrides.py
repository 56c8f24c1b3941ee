"""Overrides of a scenario's parameters: ``--set NAME=VALUE`` strings or a flat dict.

The command line gives ``--set budget=250000`` or ``--set population.share_forced=0.8``; code
(a sweep, ``compare``'s budgets) gives ``{"budget": 250000}``. Both become grouped tables
and go through the same checks as a scenario file (:func:`model.checks.check_tables`), so a
value means and is refused the same wherever it comes from. :mod:`model.scenario` applies
them.
"""

from __future__ import annotations

import tomllib
from typing import Any

from model.checks import check_tables, unknown_parameter
from model.inputs import ScenarioError
from model.parameters import GROUP_OF, PARAMETERS


def _parse_value(raw: str) -> Any:
    """A ``--set`` value as TOML (``250000``, ``0.5``, ``true``); else the text itself."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return raw


def overridden(items: list[str] | None) -> set[str]:
    """The names of the parameters ``--set`` items set (well-formed ones only), so a later
    check can say its problem came from the command line."""
    tables, _ = _override_tables(items or [])
    return {name for table in tables.values() for name in table}


def _override_tables(items: list[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    tables: dict[str, dict[str, Any]] = {}
    problems = []
    for item in items:
        key, sep, raw = (part.strip() for part in item.partition("="))
        group, _, name = key.rpartition(".")
        if not sep or not name:
            problems.append(f"--set {item!r}: expected NAME=VALUE, e.g. budget=250000")
        elif name not in PARAMETERS:
            problems.append(unknown_parameter(f"--set {key}", name, None))
        elif group and group != GROUP_OF[name]:
            problems.append(
                f"--set {key}: {name!r} is a parameter of [{GROUP_OF[name]}], not of [{group}]"
            )
        else:
            tables.setdefault(GROUP_OF[name], {})[name] = _parse_value(raw)
    return tables, problems


def parse_overrides(items: list[str] | None) -> dict[str, Any]:
    """Turn ``["budget=250000", "population.share_forced=0.8"]`` into grouped tables.

    Every malformed item and unknown name is reported at once; values are checked later.
    """
    tables, problems = _override_tables(items or [])
    if problems:
        raise ScenarioError(problems)
    return tables


def _group_flat(flat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    unknown = [unknown_parameter(k, k, None) for k in flat if k not in PARAMETERS]
    if unknown:
        raise ScenarioError(unknown)
    tables: dict[str, dict[str, Any]] = {}
    for name, value in flat.items():
        tables.setdefault(GROUP_OF[name], {})[name] = value
    return tables


def checked_overrides(overrides: dict[str, Any] | list[str] | None) -> dict[str, Any]:
    """Overrides as a flat, checked ``{name: value}``; ``--set`` strings or a flat dict."""
    if isinstance(overrides, list):
        tables, problems = _override_tables(overrides)
        flat, value_problems = check_tables(tables, "--set ")
        problems += value_problems
    else:
        flat, problems = check_tables(_group_flat(overrides or {}))
    if problems:
        raise ScenarioError(problems)
    return flat
