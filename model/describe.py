"""The parts of ``docs/ODD.md`` that are generated from the code, so the ODD stays true.

``python -m model.describe`` rewrites the generated sections of ``docs/ODD.md`` (between
``<!-- generated:NAME -->`` and ``<!-- end:NAME -->``); ``tests/model/test_docs.py`` fails when they
are out of date.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from model.model import ReintegrationModel, live
from model.parameters import markdown_table
from model.support import load_packages, load_strategies

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


#: A month's parts, in order (``ReintegrationModel.step``; a batch of worlds steps the same).
MONTH = (ReintegrationModel.organise, live, ReintegrationModel.close_month)


def _month() -> list[ast.AST]:
    """The nodes of a month's parts, in order."""
    trees = [ast.parse(textwrap.dedent(inspect.getsource(part))) for part in MONTH]
    return [node for tree in trees for node in ast.walk(tree)]


def schedule() -> list[str]:
    """The calls of a month (:data:`MONTH`) in order, as ``module.function``."""
    calls = []
    for node in _month():
        if isinstance(node, ast.Expr | ast.Return | ast.Assign) and isinstance(
            node.value, ast.Call
        ):
            func = node.value.func
            if isinstance(func, ast.Name):
                calls.append(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                calls.append(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute):
                calls.append(f"{func.value.attr}.{func.attr}")
    return calls


def schedule_markdown() -> str:
    return "\n".join(f"{i}. `{call}`" for i, call in enumerate(schedule(), 1))


def scheduled_functions() -> list[tuple[ModuleType, Callable]]:
    """The mechanism functions a month calls (in any argument too), in order, with their
    modules: the functions whose READS and WRITES the ODD lists and a test checks."""
    found: list[tuple[ModuleType, Callable]] = []
    for node in _month():
        func = getattr(node, "func", None)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            try:
                module = importlib.import_module(f"model.mechanisms.{func.value.id}")
            except ModuleNotFoundError:
                continue
            if (module, getattr(module, func.attr)) not in found:
                found.append((module, getattr(module, func.attr)))
    return found


def state_markdown() -> str:
    """Each mechanism module's declared reads and writes of the state tables."""
    rows = ["| mechanism | reads | writes |", "|---|---|---|"]
    modules = dict.fromkeys(module for module, _ in scheduled_functions())
    for module in modules:
        reads, writes = (", ".join(f"`{v}`" for v in getattr(module, k, ())) or "nothing"
                         for k in ("READS", "WRITES"))  # fmt: skip
        rows.append(f"| `{module.__name__.rsplit('.', 1)[-1]}` | {reads} | {writes} |")
    return "\n".join(rows)


def packages_markdown() -> str:
    rows = ["| package | level | unit cost (USD) | delay (months) | needs rule | effects |"]
    rows.append("|---" * 6 + "|")
    for p in load_packages().values():
        effects = ", ".join(f"{k} = {v:g}" for k, v in p.effects.model_dump().items() if v)
        effects += " (attended: acts if taken up)" * p.attended
        rows.append(
            f"| `{p.name}` | {p.level} | {p.unit_cost:g} | {p.delay_months} | {p.eligible} "
            f"| {effects} |"
        )
    return "\n".join(rows)


def strategies_markdown() -> str:
    rows = ["| strategy | targeting | budget shares |", "|---|---|---|"]
    packages = load_packages()
    for s in load_strategies(packages).values():
        shares = ", ".join(f"{k} {v:.0%}" for k, v in s.shares.items()) or "nothing"
        rows.append(f"| `{s.name}` | {s.targeting} | {shares} |")
    return "\n".join(rows)


SECTIONS = {
    "parameters": markdown_table,
    "schedule": schedule_markdown,
    "state": state_markdown,
    "packages": packages_markdown,
    "strategies": strategies_markdown,
}


def _fill(content: str, match: re.Match) -> str:
    return match.group(1) + content + match.group(2)


def render(text: str) -> str:
    """``text`` with every generated section replaced by its current content."""
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n).*?(\n<!-- end:{name} -->)", flags=re.DOTALL
        )
        text = pattern.sub(functools.partial(_fill, make()), text)
    return text


if __name__ == "__main__":
    ODD.write_text(render(ODD.read_text()))
    print(f"updated {ODD}")
