"""Scenarios: every parameter of a run, as a Mesa ``Scenario``, loaded from TOML.

A scenario file names a return context. Its tables follow the groups of the parameter table
(:data:`model.parameters.GROUPS`); any parameter it leaves out keeps its default, or the value
of the scenario it ``inherits``. Bad input raises :class:`ScenarioError`, whose message has one
line per problem naming the field's path, the value and what is allowed. The values are
checked by :mod:`model.checks`, and ``--set`` overrides read by :mod:`model.overrides`; this
module reads the files, resolves ``inherits`` and builds the scenario.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mesa.experimental.scenarios import Scenario

from model.checks import META_KEYS, check_combined, check_tables
from model.inputs import SCENARIO_DIR, ScenarioError, read_toml, shipped_or_path, suggest
from model.overrides import checked_overrides
from model.parameters import DEFAULTS, PARAMETERS, Parameters
from model.support import Package, Strategy, load_packages, load_strategies

DEFAULT_SCENARIO = "default"


class ReintegrationScenario(Scenario, Parameters):
    """All parameters of one run, with the support packages and strategies it can use.

    The parameters, their types and defaults come from the parameter table
    (:class:`model.parameters.Parameters`); :func:`load_scenario` fills in a scenario file's.
    """

    name: str = DEFAULT_SCENARIO
    #: The scenario's plain name, as a menu shows it (its file name if it gives none).
    label: str = ""
    description: str = ""
    #: The scenario's own reason for a value it sets (its file's ``[reasons]``), by parameter.
    reasons: dict[str, str] = {}
    packages: dict[str, Package] = load_packages()
    strategies: dict[str, Strategy] = load_strategies(packages)


def scenario_path(name_or_path: str | Path) -> Path:
    """A shipped scenario's file by name, or a path to any TOML file."""
    return shipped_or_path(name_or_path, SCENARIO_DIR, "scenario", available)


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
        for key in ("name", "label", "description", "inherits", "source")
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
        "label": doc.get("label", doc.get("name", path.stem)),
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


def _inherited(ref: str, path: Path) -> Path:
    """What ``inherits = ref`` in ``path`` names: a file beside it, else a shipped scenario.

    A name is read from the inheriting file's own folder, so a scenario means the same thing
    whatever folder the command is started from. Nothing else is reached: a scenario someone
    sends cannot make the command read (and its error lines repeat) another file on the
    machine.
    """
    beside = path.parent / ref
    if Path(ref).name == ref and ref not in {".", ".."}:
        if ref.endswith(".toml") or beside.is_file():
            return beside
        if (SCENARIO_DIR / f"{ref}.toml").is_file() and _is_scenario(Path(ref)):
            return SCENARIO_DIR / f"{ref}.toml"
    raise ScenarioError(
        [f"{ref!r} is not allowed; allowed: the name of a file in the scenario's own folder "
         f"(e.g. base.toml) or a shipped scenario ({available()})"]
    )  # fmt: skip


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
        params = checked_overrides(overrides)
    except ScenarioError as err:
        problems += err.problems
    if problems:
        raise ScenarioError(problems)
    reasons = {k: v for k, v in doc["reasons"].items() if k not in params}  # --set: no reason
    params = {**doc["parameters"], **params}
    check_combined({**DEFAULTS, **params})
    packages, strategies = doc["catalogue"]
    if strategies_file is not None:
        strategies = load_strategies(packages, path=strategies_file, base=strategies)
    return ReintegrationScenario(
        rng=rng,
        name=doc["name"],
        label=doc["label"],
        description=doc["description"],
        reasons=reasons,
        packages=packages,
        strategies=strategies,
        **params,
    )


def with_overrides(
    scenario: ReintegrationScenario, overrides: dict[str, Any], rng: int | None = None
) -> ReintegrationScenario:
    """A copy of a scenario with some parameters (validated) and perhaps the seed replaced."""
    values = {
        k: v for k, v in scenario.to_dict().items() if k not in {"model", "_scenario_id", "rng"}
    }
    values.update(checked_overrides(overrides) if overrides else {})
    check_combined({**DEFAULTS, **values})
    return ReintegrationScenario(rng=rng if rng is not None else scenario.rng, **values)
