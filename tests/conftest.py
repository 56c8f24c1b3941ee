"""Shared fixtures."""

from pathlib import Path

import pytest


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
