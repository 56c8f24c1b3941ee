"""The cost of not knowing (issue 21 item 3): every strategy again with a plan that knew every
arrival in advance, on the comparison's own seeds, and the paired difference in the report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.comparison.compare import BASELINE, Settings
from experiments.comparison.foresight import (
    foresight_table,
    foresight_tasks,
    run_foresight,
    text_foresight,
)
from model.scenario import load_scenario, with_overrides
from model.support import load_packages, load_strategies
from tests.experiments.conftest import SMALL


def _settings(scenario, replicates=3) -> Settings:
    strategies = load_strategies(load_packages())
    chosen = {k: strategies[k] for k in (BASELINE, "individual", "community")}
    return Settings(scenario, {scenario.budget: scenario}, chosen, 6, replicates, 40, 1)


def _runs(budget, strategy, shares, composites, spent) -> pd.DataFrame:
    return pd.DataFrame({"budget": budget, "strategy": strategy, "replicate": range(len(shares)),
                         "share_sustainable": shares, "composite": composites,
                         "spent": spent})  # fmt: skip


def test_foresight_runs_the_comparisons_own_seeds_with_the_plan_that_knows():
    scenario = load_scenario("default")
    settings = _settings(scenario)
    own = {(t.keys["strategy"], t.keys["replicate"]): t.spec.seed for t in settings.tasks()}
    tasks = foresight_tasks(settings, scenario)
    assert {t.keys["strategy"] for t in tasks} == {"individual", "community"}  # none: no plan
    assert len(tasks) == 2 * settings.replicates
    for t in tasks:
        assert t.spec.seed == own[t.keys["strategy"], t.keys["replicate"]]  # paired
        assert t.spec.scenario.planning_round_months == 0
        assert t.spec.record == "summary"  # no per-returnee tables kept


def test_a_plan_that_already_knows_has_nothing_to_compare():
    scenario = with_overrides(load_scenario("default"), {"planning_round_months": 0})
    assert run_foresight(_settings(scenario), scenario) is None
    assert "already knows every arrival" in text_foresight(None, 24)


def test_the_gain_is_paired_replicate_by_replicate_at_the_reference_budget_only():
    rounds = pd.concat([
        _runs(1e6, "a", [0.30, 0.40, 0.50], [0.5, 0.5, 0.5], [900.0, 900.0, 900.0]),
        _runs(2e6, "a", [0.90, 0.90, 0.90], [0.9, 0.9, 0.9], [1.0, 1.0, 1.0]),  # other budget
    ])  # fmt: skip
    knowing = _runs(1e6, "a", [0.32, 0.421, 0.522], [0.6, 0.5, 0.4], [800.0, 850.0, 900.0])
    row = foresight_table(rounds, knowing).iloc[0]
    assert row.replicates == 3 and row.budget == 1e6
    gains = np.array([0.02, 0.021, 0.022])
    assert row.foresight_gain == pytest.approx(gains.mean())
    # paired: the spread of the differences, not of the two shares (0.1 apart each)
    half = row.foresight_gain_hi - row.foresight_gain
    assert half == pytest.approx(4.303 * gains.std(ddof=1) / np.sqrt(3), rel=1e-3)
    assert row.foresight_gain_lo > 0  # every replicate gains
    assert row.foresight_gain_composite == pytest.approx(0.0)
    assert row.foresight_spent == pytest.approx(850.0)
    assert "foresight helps, beyond chance" in text_foresight(foresight_table(rounds, knowing), 6)


def test_the_report_says_what_knowing_would_be_worth(budgets_report):
    table = pd.read_csv(budgets_report / "foresight.csv")
    assert table.budget.nunique() == 1  # at the reference budget
    assert BASELINE not in set(table.strategy) and len(table) >= 3
    runs = pd.read_csv(budgets_report / "runs.csv")
    here = runs[runs.budget == table.budget.iloc[0]]
    means = here.groupby("strategy").share_sustainable.mean()
    for row in table.itertuples():
        assert row.share_sustainable == pytest.approx(means[row.strategy], rel=1e-5)  # same runs
    report = (budgets_report / "report.html").read_text()
    assert "What knowing every arrival in advance would be worth" in report
    assert "planned in rounds" in report and "with foresight" in report


def test_the_terminal_says_what_knowing_would_add(tmp_path, capsys):
    out = tmp_path / "cmp"
    argv = ["compare", *SMALL, "--months", "7", "--replicates", "3", "--no-report"]
    assert main([*argv, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    block = printed.split("what knowing every arrival in advance would add", 1)[1]
    table = pd.read_csv(out / "foresight.csv")
    for row in table.itertuples():
        line = next(x for x in block.splitlines() if x.strip().startswith(row.strategy))
        assert f"{100 * row.foresight_gain:+.1f}" in line  # the same runs as the CSV
    own = block.split("\n\n", 1)[0].splitlines()  # up to the next block
    assert max(len(x) for x in own) <= 100  # the terminal's width
