"""Fixtures for the experiments tests: tiny experiment files for sweeps and their analyses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from experiments.cli import main
from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS

#: A population small enough that a run takes milliseconds.
TINY = {"n_returnees": 100, "n_communities": 4}
#: A small population as ``reintegrate compare`` arguments: a run takes a fraction of a second.
#: No plausible worlds: a shipped ensemble would otherwise add its draws to every comparison.
SMALL = ["--set", "n_returnees=300", "--set", "n_communities=6", "--set",
         "households_per_community=80", "--no-worlds"]  # fmt: skip


@pytest.fixture(scope="session")
def budgets_report(tmp_path_factory) -> Path:
    """A small real comparison at two budgets, chance only (no plausible worlds), run once
    for every test that reads a report (the first screen, the sections, the browser)."""
    out = tmp_path_factory.mktemp("report")
    assert main(["compare", *SMALL, "--months", "7", "--budget", "200000,400000",
                 "--out", str(out)]) == 0  # fmt: skip
    return out


def _value(v) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)  # numbers, strings, lists and booleans read back as TOML


def _write_experiment(
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


@pytest.fixture(scope="session")
def write_experiment():
    """Write an experiment TOML file (on the TINY population by default); returns its path.

    Session-wide, so module-wide fixtures (a sweep shared by several tests) can use it too.
    """
    return _write_experiment


@contextmanager
def chromium_page(path: Path, width: int = 1280, height: int = 800) -> Iterator:
    """A report opened in Debian's headless chromium at this window size (loaded); the test
    is skipped where chromium is not installed (``make browser`` installs it)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            yield page
        finally:
            browser.close()
