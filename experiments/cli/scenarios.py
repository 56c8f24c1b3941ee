"""``reintegrate scenarios`` and ``reintegrate validate``: the scenario library and its checks.

``scenarios`` lists the shipped return contexts (and strategies) with one line each, read
from the files themselves, so a new file in ``scenarios/`` shows up without code changes.
``validate`` checks scenario files and strategies files before anyone waits for a run:
every problem of every file is printed on its own line, naming the field, the value and
what is allowed, and the exit status is non-zero.
"""

from __future__ import annotations

from pathlib import Path

from model.inputs import SCENARIO_DIR, ScenarioError, read_toml
from model.parameters import PARAMETERS
from model.scenario import load_scenario, scenario_files, scenario_path
from model.support import Strategy, load_packages, load_strategies


def register(sub) -> None:
    p = sub.add_parser("scenarios", help="list the shipped return contexts and strategies")
    p.set_defaults(handler=handle_scenarios)
    p = sub.add_parser(
        "validate",
        help="check scenario or strategies files and report every problem",
        description="Check scenario files (by name or path) and strategies files. Each problem "
        "is printed on one line naming the field, the value and what is allowed.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a scenario's name or path, or a strategies TOML file",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        dest="overrides",
        help="check a scenario with this override too, e.g. --set budget=250000",
    )
    p.add_argument(
        "--strategies-file",
        type=Path,
        help="a strategies file to check against each scenario's packages",
    )
    p.set_defaults(handler=handle_validate)  # fmt: skip


def handle_scenarios(args) -> int:
    rows = []
    for path in scenario_files():
        try:
            doc = read_toml(path)
            rows.append((str(doc.get("name", path.stem)), str(doc.get("description", ""))))
        except ScenarioError:
            rows.append((path.stem, f"(not valid TOML: run reintegrate validate {path.stem})"))
    strategies = load_strategies(load_packages())
    print(_columns("Scenarios (reintegrate compare NAME):", rows))
    print()
    print(_columns("Strategies:", [(s.name, s.description) for s in strategies.values()]))
    return 0


def _columns(title: str, rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join([title, *(f"  {name:<{width}}  {text}" for name, text in rows)])


def is_strategies_document(doc: dict) -> bool:
    """A strategies file has only tables named after its strategies, holding strategy fields.

    Decided by what the tables hold, not by their names: a strategy may be named like a
    parameter group (``structural``), and a scenario's parameter tables hold parameters. A
    file whose tables hold some strategy field and no parameter is a strategies file even
    with a misspelt field (``targetting``), so that its check says "did you mean targeting?"
    instead of reading it as a scenario with unknown tables.
    """
    tables = list(doc.values())
    if not tables or not all(isinstance(t, dict) for t in tables):
        return False
    keys = set().union(*tables)
    return bool(keys & (set(Strategy.model_fields) - {"name"})) and not keys & set(PARAMETERS)


def handle_validate(args) -> int:
    problems = []
    for name in args.files:
        try:
            print(f"ok: {_validate_one(name, args)}")
        except ScenarioError as err:
            problems += [_with_file(line, name) for line in err.problems]
    if problems:
        raise ScenarioError(problems)
    return 0


def _validate_one(name: str, args) -> str:
    path = scenario_path(name)
    doc = read_toml(path)
    if path.resolve() == (SCENARIO_DIR / "packages.toml").resolve():
        return f"{path}: packages {', '.join(load_packages())}"
    if path.resolve() == (SCENARIO_DIR / "strategies.toml").resolve():
        return f"{path}: strategies {', '.join(load_strategies(load_packages()))}"
    if is_strategies_document(doc):
        strategies = load_strategies(load_packages(), path=path)
        return f"{path}: strategies {', '.join(strategies)}"
    scenario = load_scenario(path, args.overrides, strategies_file=args.strategies_file)
    strategies = scenario.strategies
    return (
        f"{path}: scenario {scenario.name!r} ({scenario.n_returnees} returnees, "
        f"{scenario.n_communities} communities); strategies: {', '.join(strategies)}"
    )


def _with_file(line: str, name: str) -> str:
    """Name the file a problem belongs to, unless the line already does."""
    file = Path(name).name
    return line if line.startswith((file, f"{file}.toml")) else f"{file}: {line}"
