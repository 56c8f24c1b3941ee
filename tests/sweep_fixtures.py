"""Tiny experiment files for the sweep, sensitivity and discovery tests."""

from __future__ import annotations

import json
from pathlib import Path

#: A population small enough that a run takes milliseconds.
TINY = {"n_returnees": 100, "n_communities": 4}


def _value(v) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)  # numbers, strings, lists and booleans read back as TOML


def write_experiment(
    path: Path,
    parameters: dict,
    *,
    method: str = "grid",
    samples: int | None = None,
    strategies=("individual",),
    replicates: int = 1,
    months: int = 6,
    seed: int = 11,
    outcomes=("share_sustainable", "composite", "tension"),
    fixed: dict = TINY,
    design: dict | None = None,
) -> Path:
    """Write an experiment TOML file and return its path."""
    top = {
        "name": path.stem,
        "scenario": "default",
        "strategies": list(strategies),
        "replicates": replicates,
        "months": months,
        "seed": seed,
        "outcomes": list(outcomes),
    }
    design = {"method": method, **({"samples": samples} if samples else {}), **(design or {})}
    lines = [f"{k} = {_value(v)}" for k, v in top.items()]
    for table, body in (("design", design), ("fixed", fixed), ("parameters", parameters)):
        lines += ["", f"[{table}]", *(f"{k} = {_value(v)}" for k, v in body.items())]
    path.write_text("\n".join(lines) + "\n")
    return path
