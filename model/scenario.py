"""Scenarios: every parameter of a run, as a Mesa ``Scenario``, loaded from TOML.

A scenario file names a return context. Its tables follow the groups of the parameter table
(:data:`model.parameters.GROUPS`); any parameter it leaves out keeps its default, or the value
of the scenario it ``inherits``. Bad input raises :class:`ScenarioError`, whose message has one
line per problem naming the field's path, the value and what is allowed.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from mesa.experimental.scenarios import Scenario
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from model.inputs import SCENARIO_DIR, ScenarioError, read_toml, shipped_or_path, suggest
from model.parameters import DEFAULTS, GROUP_OF, GROUPS, PARAMETERS, Parameters
from model.support import Package, Strategy, load_packages, load_strategies

DEFAULT_SCENARIO = "default"
META_KEYS = {"name", "description", "inherits", "source", "strategies", "packages", "reasons"}


class ReintegrationScenario(Scenario, Parameters):
    """All parameters of one run, with the support packages and strategies it can use.

    The parameters, their types and defaults come from the parameter table
    (:class:`model.parameters.Parameters`); :func:`load_scenario` fills in a scenario file's.
    """

    name: str = DEFAULT_SCENARIO
    description: str = ""
    #: The scenario's own reason for a value it sets (its file's ``[reasons]``), by parameter.
    reasons: dict[str, str] = {}
    packages: dict[str, Package] = load_packages()
    strategies: dict[str, Strategy] = load_strategies(packages)


def _group_model(group: str) -> type[BaseModel]:
    """A strict pydantic table for one group: TOML has real types, so ``true`` is no number."""
    fields: dict[str, Any] = {
        p.name: (p.kind | None, Field(None, ge=p.low, le=p.high, strict=True))
        for p in GROUPS[group]
    }
    return create_model(f"{group}_table", __config__=ConfigDict(extra="forbid"), **fields)


_GROUP_MODELS = {g: _group_model(g) for g in GROUPS}


def _unknown_parameter(path: str, name: str, group: str | None) -> str:
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
    return f"{p.kind.__name__} from {p.low:g} to {p.high:g} {p.unit}" if p else "see docs/ODD.md"


def _describe(error: ErrorDetails, prefix: str, group: str) -> str:
    path = ".".join([prefix, *(str(x) for x in error["loc"])])
    name = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        return _unknown_parameter(path, name, group)
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


def scenario_path(name_or_path: str | Path) -> Path:
    """A shipped scenario's file by name, or a path to any TOML file."""
    return shipped_or_path(name_or_path, SCENARIO_DIR, "scenario", available())


def available() -> str:
    return ", ".join(p.stem for p in scenario_files())


def scenario_files() -> list[Path]:
    """The shipped scenario files (``packages.toml`` and ``strategies.toml`` are not ones)."""
    return sorted(p for p in SCENARIO_DIR.glob("*.toml") if _is_scenario(p))


def _is_scenario(path: Path) -> bool:
    return path.stem not in {"packages", "strategies"}


def _meta_problems(doc: dict[str, Any]) -> list[str]:
    """The non-parameter keys of a scenario file: texts and tables of tables."""
    problems = [
        f"{key}: {doc[key]!r} is not allowed; allowed: a text in quotes"
        for key in ("name", "description", "inherits", "source")
        if key in doc and not isinstance(doc[key], str)
    ]
    for key in ("strategies", "packages"):
        if not isinstance(doc.get(key, {}), dict):
            problems.append(f"{key}: {doc[key]!r} is not allowed; allowed: tables [{key}.NAME]")
    return problems + _reason_problems(doc.get("reasons", {}))


def _reason_problems(reasons: Any) -> list[str]:
    """``[reasons]``: a text in quotes for each parameter the file explains."""
    if not isinstance(reasons, dict):
        return [f"reasons: {reasons!r} is not allowed; allowed: a table [reasons]"]
    problems = [
        f"reasons.{name}: unknown parameter; {suggest(name, PARAMETERS, 'parameter name')}"
        for name in reasons
        if name not in PARAMETERS
    ]
    return problems + [
        f"reasons.{name}: {text!r} is not allowed; allowed: a text in quotes"
        for name, text in reasons.items()
        if name in PARAMETERS and not isinstance(text, str)
    ]


def _support(doc: dict[str, Any], base: dict[str, Any]) -> tuple[dict, dict, list[str]]:
    """A file's packages and strategies over those it inherits: ``(packages, strategies,
    problems)``, problems with paths as in the file."""
    own = {k: doc.get(k, {}) for k in ("packages", "strategies")}
    if not all(isinstance(v, dict) for v in own.values()):
        return {}, {}, []  # reported by _meta_problems
    problems: list[str] = []
    try:
        packages = load_packages({**base["packages"], **own["packages"]})
    except ScenarioError as err:
        return {}, {}, err.problems
    try:
        strategies = load_strategies(packages, {**base["strategies"], **own["strategies"]})
    except ScenarioError as err:
        problems += err.problems
        strategies = {}
    return packages, strategies, problems


def load_document(name_or_path: str | Path, _seen: tuple = ()) -> dict[str, Any]:
    """Read a scenario file, resolving ``inherits``: returns parameters and extra data.

    Every problem of the file (and of the files it inherits from) is collected, each line
    starting with the file's name and the field's path in it.
    """
    path = scenario_path(name_or_path)
    if path.resolve() in _seen:
        raise ScenarioError([f"{path.name}: inherits: {path.stem!r} inherits from itself"])
    doc = read_toml(path)
    if not doc:  # an empty file is a mistake, not a wish for the defaults
        raise ScenarioError(
            [f"{path.name}: the file is empty; allowed: a scenario with a name and parameter "
             f"tables, or inherits = \"{DEFAULT_SCENARIO}\" for the defaults"]
        )  # fmt: skip
    base: dict[str, Any] = {"parameters": {}, "strategies": {}, "packages": {}, "reasons": {}}
    problems = _meta_problems(doc)
    if isinstance(doc.get("inherits"), str):
        try:
            base = load_document(_inherited(doc["inherits"], path), (*_seen, path.resolve()))
        except ScenarioError as err:
            problems += [f"inherits: {line}" for line in err.problems]
    tables = {k: v for k, v in doc.items() if k not in META_KEYS}
    flat, table_problems = check_tables(tables)
    packages, strategies, support_problems = _support(doc, base)
    problems += table_problems + support_problems
    if problems:
        raise ScenarioError([f"{path.name}: {line}" for line in problems])
    return {
        "name": doc.get("name", path.stem),
        "description": doc.get("description", ""),
        "inherits": doc.get("inherits"),
        "parameters": {**base["parameters"], **flat},
        "strategies": {**base["strategies"], **doc.get("strategies", {})},
        "packages": {**base["packages"], **doc.get("packages", {})},
        # a value the file sets again is not explained by the reason of the one it inherits
        "reasons": {
            **{k: v for k, v in base["reasons"].items() if k not in flat},
            **doc.get("reasons", {}),
        },  # fmt: skip
        "catalogue": (packages, strategies),
    }


def _inherited(ref: str, path: Path) -> str | Path:
    """What ``inherits = ref`` in ``path`` names: a file beside it, else a shipped scenario.

    A path is read from the inheriting file's own folder, so a scenario means the same thing
    whatever folder the command is started from.
    """
    beside = path.parent / ref
    return beside if Path(ref).suffix == ".toml" or beside.is_file() else ref


def _parse_value(raw: str) -> Any:
    """A ``--set`` value as TOML (``250000``, ``0.5``, ``true``); else the text itself."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return raw


def _override_tables(items: list[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    tables: dict[str, dict[str, Any]] = {}
    problems = []
    for item in items:
        key, sep, raw = (part.strip() for part in item.partition("="))
        group, _, name = key.rpartition(".")
        if not sep or not name:
            problems.append(f"--set {item!r}: expected NAME=VALUE, e.g. budget=250000")
        elif name not in PARAMETERS:
            problems.append(_unknown_parameter(f"--set {key}", name, None))
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
    unknown = [_unknown_parameter(k, k, None) for k in flat if k not in PARAMETERS]
    if unknown:
        raise ScenarioError(unknown)
    tables: dict[str, dict[str, Any]] = {}
    for name, value in flat.items():
        tables.setdefault(GROUP_OF[name], {})[name] = value
    return tables


def _checked_overrides(overrides: dict[str, Any] | list[str] | None) -> dict[str, Any]:
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


def load_scenario(
    name_or_path: str | Path = DEFAULT_SCENARIO,
    overrides: dict[str, Any] | list[str] | None = None,
    rng: int | None = None,
    strategies_file: str | Path | None = None,
) -> ReintegrationScenario:
    """Load a scenario by name or path, apply overrides (flat dict or ``--set`` strings).

    Problems in the file and in the overrides are all reported together. A strategies file
    adds its strategies to those the scenario can run.
    """
    problems: list[str] = []
    doc: dict[str, Any] = {}
    params: dict[str, Any] = {}
    try:
        doc = load_document(name_or_path)
    except ScenarioError as err:
        problems += err.problems
    try:
        params = _checked_overrides(overrides)
    except ScenarioError as err:
        problems += err.problems
    if problems:
        raise ScenarioError(problems)
    reasons = {k: v for k, v in doc["reasons"].items() if k not in params}  # --set: no reason
    params = {**doc["parameters"], **params}
    _check_combined({**DEFAULTS, **params})
    packages, strategies = doc["catalogue"]
    if strategies_file is not None:
        strategies = load_strategies(packages, path=strategies_file, base=strategies)
    return ReintegrationScenario(
        rng=rng,
        name=doc["name"],
        description=doc["description"],
        reasons=reasons,
        packages=packages,
        strategies=strategies,
        **params,
    )


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


def _check_combined(values: dict[str, Any]) -> None:
    problems = _cross_checks(values) + _population_problems(values)
    if problems:
        raise ScenarioError(problems)


def with_overrides(
    scenario: ReintegrationScenario, overrides: dict[str, Any], rng: int | None = None
) -> ReintegrationScenario:
    """A copy of a scenario with some parameters (validated) and perhaps the seed replaced."""
    values = {
        k: v for k, v in scenario.to_dict().items() if k not in {"model", "_scenario_id", "rng"}
    }
    values.update(_checked_overrides(overrides) if overrides else {})
    _check_combined({**DEFAULTS, **values})
    return ReintegrationScenario(rng=rng if rng is not None else scenario.rng, **values)
