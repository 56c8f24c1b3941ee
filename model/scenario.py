"""Scenarios: every parameter of a run, as a Mesa ``Scenario``, loaded from TOML.

A scenario file names a return context. Its tables follow the groups of the parameter table
(:data:`model.parameters.GROUPS`); any parameter it leaves out keeps its default, or the value
of the scenario it ``inherits``. Bad input raises :class:`ScenarioError`, whose message has one
line per problem naming the field's path, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from mesa.experimental.scenarios import Scenario
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from model.parameters import DEFAULTS, GROUP_OF, GROUPS, PARAMETERS

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = "default"
META_KEYS = {"name", "description", "inherits", "source", "strategies", "packages"}


class ScenarioError(ValueError):
    """Bad scenario input; ``str(error)`` is one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


ReintegrationScenario = type(
    "ReintegrationScenario",
    (Scenario,),
    {
        "__doc__": "All parameters of one run; fields and defaults come from the parameter table.",
        "__module__": __name__,
        "__annotations__": {"name": str, "description": str}
        | {n: p.kind for n, p in PARAMETERS.items()},
        "name": DEFAULT_SCENARIO,
        "description": "",
        **DEFAULTS,
    },
)


def _group_model(group: str) -> type[BaseModel]:
    """A strict pydantic table for one group: TOML has real types, so ``true`` is no number."""
    fields = {
        p.name: (p.kind | None, Field(None, ge=p.low, le=p.high, strict=True))
        for p in GROUPS[group]
    }
    return create_model(f"{group}_table", __config__=ConfigDict(extra="forbid"), **fields)


_GROUP_MODELS = {g: _group_model(g) for g in GROUPS}
#: Above this many choices an error suggests the closest names instead of listing them all.
MAX_LISTED = 12


def suggest(name: str, choices, what: str = "names") -> str:
    """'did you mean ...?' from the closest choices, or the choices if they are few."""
    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(close) + "?"
    if len(choices) <= MAX_LISTED:
        return "allowed: " + ", ".join(choices)
    return f"no {what} is close; see the parameter table in docs/ODD.md"


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


def _describe(error: dict, prefix: str, group: str) -> str:
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
    "livelihoods.econ_weight_*": ("econ_weight_income", "econ_weight_buffer", "econ_weight_debt"),
    "stigma.social_weight_*": (
        "social_weight_acceptance", "social_weight_services", "social_weight_family",
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
            problems.append(f"{path}: all three weights are 0; allowed: at least one above 0")
    return problems


def shipped_or_path(name_or_path: str | Path, folder: Path, kind: str, shipped: str) -> Path:
    """A shipped TOML file by name (``folder/NAME.toml``), or a path to any TOML file.

    ``kind`` names the field in error lines; ``shipped`` lists the allowed names.
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError([f"{kind}: file {str(path)!r} does not exist"])
        return path
    candidate = folder / f"{name_or_path}.toml"
    if not candidate.exists():
        raise ScenarioError(
            [f"{kind}: {str(name_or_path)!r} is not a shipped {kind}; allowed: {shipped}"]
        )
    return candidate


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


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([f"{path.name}: not valid TOML ({err})"]) from None
    except OSError as err:
        raise ScenarioError([f"{path}: cannot be read ({err.strerror})"]) from None


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
    return problems


def _support_problems(doc: dict[str, Any], base_packages: dict[str, Any]) -> list[str]:
    """Check a file's own ``[packages.X]`` and ``[strategies.X]`` (paths as in the file)."""
    from model.support import load_packages, load_strategies  # support imports this module

    own = {k: doc.get(k, {}) for k in ("packages", "strategies")}
    if not all(isinstance(v, dict) for v in own.values()):
        return []  # reported by _meta_problems
    problems, extra = [], {**base_packages, **own["packages"]}
    try:
        packages = load_packages(extra)
    except ScenarioError as err:
        problems += err.problems
        packages = {**read_toml(SCENARIO_DIR / "packages.toml"), **extra}
    try:
        load_strategies(packages, own["strategies"])
    except ScenarioError as err:
        problems += err.problems
    return problems


def load_document(name_or_path: str | Path, _seen: tuple = ()) -> dict[str, Any]:
    """Read a scenario file, resolving ``inherits``: returns parameters and extra data.

    Every problem of the file (and of the files it inherits from) is collected, each line
    starting with the file's name and the field's path in it.
    """
    path = scenario_path(name_or_path)
    if path.resolve() in _seen:
        raise ScenarioError([f"{path.name}: inherits: {path.stem!r} inherits from itself"])
    doc = read_toml(path)
    base: dict[str, Any] = {"parameters": {}, "strategies": {}, "packages": {}}
    problems = _meta_problems(doc)
    if isinstance(doc.get("inherits"), str):
        try:
            base = load_document(doc["inherits"], (*_seen, path.resolve()))
        except ScenarioError as err:
            problems += [f"inherits: {line}" for line in err.problems]
    tables = {k: v for k, v in doc.items() if k not in META_KEYS}
    flat, table_problems = check_tables(tables)
    problems += table_problems + _support_problems(doc, base["packages"])
    if problems:
        raise ScenarioError([f"{path.name}: {line}" for line in problems])
    return {
        "name": doc.get("name", path.stem),
        "description": doc.get("description", ""),
        "inherits": doc.get("inherits"),
        "parameters": {**base["parameters"], **flat},
        "strategies": {**base["strategies"], **doc.get("strategies", {})},
        "packages": {**base["packages"], **doc.get("packages", {})},
    }


def _parse_value(raw: str) -> Any:
    """A ``--set`` value as TOML (``250000``, ``0.5``, ``true``); else the text itself."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
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
) -> ReintegrationScenario:
    """Load a scenario by name or path, apply overrides (flat dict or ``--set`` strings).

    Problems in the file and in the overrides are all reported together.
    """
    problems, doc, params = [], None, {}
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
    params = {**doc["parameters"], **params}
    _check_combined({**DEFAULTS, **params})
    return ReintegrationScenario(
        rng=rng,
        name=doc["name"],
        description=doc["description"],
        extra_strategies=doc["strategies"],
        extra_packages=doc["packages"],
        **params,
    )


def _check_combined(values: dict[str, Any]) -> None:
    problems = _cross_checks(values)
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
