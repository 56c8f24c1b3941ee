"""``reintegrate compare``'s arguments: budgets, strategies and where the runs go."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from experiments.cli import main, parser
from experiments.cli.compare import parse_budgets
from model.inputs import ScenarioError
from model.support import load_packages
from tests.experiments.conftest import SMALL


def test_strategies_option_keeps_the_counterfactual(capsys, tmp_path):
    code = main(["compare", *SMALL, "--months", "2", "--replicates", "1", "--workers", "1",
                 "--strategies", "individual", "--out", str(tmp_path), "--no-report"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.strategy) == ["none", "individual"]
    assert "individual" in out and "none" in out


def test_a_context_without_forced_returns_reports_to_the_end(capsys, tmp_path):
    """In YOP's youth groups nobody is forced back, so the forced-voluntary gap is undefined
    for every strategy: the report is still written, and its trade-offs say the gap is not
    defined there (it stopped with pandas' "all NA values" before)."""
    code = main(["compare", "uganda_youth_groups", *SMALL, "--months", "2", "--replicates", "1",
                 "--workers", "1", "--strategies", "individual,community", "--out",
                 str(tmp_path)])  # fmt: skip
    assert code == 0
    assert (tmp_path / "report.html").stat().st_size > 0
    assert "not defined here" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250000,500000", [250000, 500000]),
        ("500000,250000,500000", [250000, 500000]),
        ("250000:1000000:250000", [250000, 500000, 750000, 1000000]),
        ("0:10:5", [0, 5, 10]),
        (None, []),
    ],
)
def test_budget_lists_and_ranges(text, expected):
    assert parse_budgets(text) == expected


@pytest.mark.parametrize("text", ["", "a,b", "1:2", "1:2:0", "3:1:1", "1e5:"])
def test_bad_budgets(text):
    with pytest.raises(ScenarioError):
        parse_budgets(text)


def test_the_planners_guide_gives_compare_s_own_defaults():
    """docs/planners.md's option table said ``--months`` defaults to 24; compare runs 48."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "planners.md").read_text()
    rows = re.findall(r"^\| `(--[\w-]+)[^|]*\|[^|]*\| (\d+)[ (][^|]*\|$", guide, flags=re.M)
    compare = parser("compare")._subparsers._group_actions[0].choices["compare"]
    defaults = {a.option_strings[0]: a.default if a.default is not None else _said(a.help)
                for a in compare._actions if a.option_strings}  # fmt: skip
    assert {"--months", "--replicates", "--draws", "--seed"} <= {option for option, _ in rows}
    for option, documented in rows:
        assert defaults[option] == int(documented), option


def _said(help_text: str | None) -> int | None:
    """A default resolved after parsing, as the option's help says it."""
    said = re.search(r"\(default: (\d+)", help_text or "")
    return int(said.group(1)) if said else None


def test_the_planners_guide_lists_every_package_under_its_level():
    """Its table of packages missed debt_relief and child_reintegration, which the optimiser's
    answer then named."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "planners.md").read_text()
    rows = re.findall(r"^\| (individual|community|structural) \| (`.*) \|$", guide, re.M)
    listed = {level: set(re.findall(r"`(\w+)`", names)) for level, names in rows}
    for name, package in load_packages().items():
        assert name in listed[package.level], name
