"""Shared helpers: small scenarios and paired runs over seeds."""

from pathlib import Path

import numpy as np
import pytest

from model.run import run

SMALL = {"n_returnees": 300, "n_communities": 6, "households_per_community": 80}


def paired(strategies, seeds, months=24, scenario="default", strategies_file=None, **overrides):
    """Summaries of each strategy over the same seeds (common random numbers)."""
    return {
        s: [
            run(
                scenario,
                s,
                seed,
                months,
                overrides=overrides,
                tables=False,
                strategies_file=strategies_file,
            )
            for seed in seeds
        ]
        for s in strategies
    }


def series(results, key):
    """Per-seed values of one model-table column (month by month) as an array [seed, month]."""
    return np.array([r.model_table[key].to_numpy() for r in results])


def final(results, key):
    return np.array([r.summary[key] for r in results], dtype=float)


@pytest.fixture
def strategies_file(tmp_path: Path):
    """Write a strategies TOML file from a dict of {name: shares}."""

    def write(strategies: dict[str, dict[str, float]], targeting="needs") -> Path:
        lines = []
        for name, shares in strategies.items():
            body = ", ".join(f"{k} = {v}" for k, v in shares.items())
            lines += [f"[{name}]", f'targeting = "{targeting}"', f"shares = {{ {body} }}", ""]
        path = tmp_path / "strategies.toml"
        path.write_text("\n".join(lines))
        return path

    return write
