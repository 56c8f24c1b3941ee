"""``reintegrate compare``'s arguments: budgets, strategies and where the runs go."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.cli import main
from experiments.cli.compare import parse_budgets
from model.inputs import ScenarioError
from tests.experiments.conftest import SMALL


def test_strategies_option_keeps_the_counterfactual(capsys, tmp_path):
    code = main(["compare", *SMALL, "--months", "2", "--replicates", "1", "--workers", "1",
                 "--strategies", "individual", "--out", str(tmp_path), "--no-report"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.strategy) == ["none", "individual"]
    assert "individual" in out and "none" in out


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
