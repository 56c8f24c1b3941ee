"""Every package the project imports is declared in pyproject.toml, so a fresh install has it."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWN = {"model", "agents", "experiments", "view", "scenarios", "tests", "app", "bench_sweep",
       "parameters"}  # fmt: skip


def imported(paths: list[Path]) -> set[str]:
    """Top-level names of the modules imported anywhere under ``paths``."""
    names: set[str] = set()
    for folder in paths:
        for file in [folder] if folder.is_file() else folder.rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text())):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names - OWN - set(sys.stdlib_module_names) - {"__future__"}


def declared(*groups: str) -> set[str]:
    """Distribution names required by the project (and the given extras), with the extras a
    requirement asks for (``dask[distributed]`` declares ``distributed``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lists = [project["dependencies"]] + [project["optional-dependencies"][g] for g in groups]
    names = set()
    for requirement in sum(lists, []):
        name, *extras = re.findall(r"[A-Za-z0-9_.-]+", requirement.split(";")[0].split("=")[0])
        names |= {_normal(name)} | ({_normal(e) for e in extras} if "[" in requirement else set())
    return names


def requirements_file(path: Path) -> set[str]:
    """Distribution names a pip requirements file lists (comments and blanks skipped)."""
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {_normal(re.findall(r"[A-Za-z0-9_.-]+", line)[0]) for line in lines if line}


#: What runs outside the project's environment: mesa-frames' anchor (numpy 1.26).
FRAMES = ROOT / "benchmarks" / "frames-requirements.txt"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def undeclared(modules: set[str], allowed: set[str]) -> list[str]:
    where = packages_distributions()
    return sorted(
        m for m in modules if not {_normal(m), *(_normal(d) for d in where.get(m, []))} & allowed
    )


@pytest.mark.parametrize(
    ("folders", "groups"),
    [
        (["model", "agents", "experiments", "view", "app.py"], ()),
        (["tests", "benchmarks"], ("dev",)),
    ],
)
def test_every_imported_package_is_declared(folders, groups):
    allowed = declared(*groups) | (requirements_file(FRAMES) if "benchmarks" in folders else set())
    missing = undeclared(imported([ROOT / f for f in folders]), allowed)
    assert not missing, f"imported but not in pyproject.toml: {missing}"


def test_an_undeclared_import_is_caught():
    assert undeclared({"sklearn", "numpy"}, {"numpy"}) == ["sklearn"]
