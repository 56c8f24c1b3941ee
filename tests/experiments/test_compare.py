"""``reintegrate compare``: common random numbers, paired intervals, tables, budgets.

Small populations, few months and replicates keep this fast; the real process pool is used
once (the shared comparison below), the in-process path for the cheaper checks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.cli import main
from experiments.comparison.compare import OUTCOMES, SURVEY_MONTHS
from experiments.comparison.statistics import interval
from model.scenario import load_scenario
from tests.experiments.conftest import SMALL

MONTHS, REPLICATES = 8, 6


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    """All shipped strategies, 6 replicates, on two worker processes."""
    out = tmp_path_factory.mktemp("compare")
    code = main(["compare", *SMALL, "--months", str(MONTHS), "--replicates", str(REPLICATES),
                 "--workers", "2", "--seed", "10", "--out", str(out), "--no-report"])  # fmt: skip
    assert code == 0
    return out


def test_writes_the_tables(comparison):
    for name in ("summary.csv", "runs.csv", "monitoring.csv", "left_behind.csv", "places.csv",
                 "model.parquet", "communities.parquet", "profiles.parquet",
                 "returnees.parquet"):  # fmt: skip
        assert (comparison / name).stat().st_size > 0, name


def test_replicate_k_of_every_strategy_starts_from_the_same_population(comparison):
    profiles = pd.read_parquet(comparison / "profiles.parquet")
    strategies = profiles.strategy.unique()
    assert len(strategies) == 5
    for _, same_seed in profiles.groupby("replicate"):
        tables = [
            g.drop(columns=["strategy"]).reset_index(drop=True)
            for _, g in same_seed.groupby("strategy")
        ]
        for table in tables[1:]:
            pd.testing.assert_frame_equal(tables[0], table)
    first = profiles[profiles.strategy == "none"]
    by_replicate = [g.drop(columns="replicate").reset_index(drop=True)
                    for _, g in first.groupby("replicate")]  # fmt: skip
    assert not by_replicate[0].equals(by_replicate[1]), "replicates use different seeds"


def test_seeds_follow_the_base_seed(comparison):
    runs = pd.read_csv(comparison / "runs.csv")
    assert (runs.seed == 10 + runs.replicate).all()
    assert sorted(runs.replicate.unique()) == list(range(REPLICATES))


def test_paired_intervals_are_narrower_than_unpaired_ones(comparison):
    runs = pd.read_csv(comparison / "runs.csv")
    summary = pd.read_csv(comparison / "summary.csv").set_index("strategy")
    base = runs[runs.strategy == "none"].sort_values("replicate")
    ratios = []
    for strategy in summary.index.drop("none"):
        mine = runs[runs.strategy == strategy].sort_values("replicate")
        for col in ("share_sustainable", "composite", "tension", "nonmigrant_wellbeing"):
            unpaired = stats.ttest_ind(mine[col], base[col], equal_var=False)
            ci = unpaired.confidence_interval()
            row = summary.loc[strategy]
            ratios.append(
                (row[f"{col}_vs_none_hi"] - row[f"{col}_vs_none_lo"]) / (ci.high - ci.low)
            )
    assert np.median(ratios) < 1, ratios


def test_summary_has_every_outcome_with_intervals_and_paired_differences(comparison):
    summary = pd.read_csv(comparison / "summary.csv")
    assert list(summary.strategy) == ["none", "individual", "community", "structural",
                                      "integrated"]  # fmt: skip
    assert set(summary.budget) == {1_000_000}  # one budget, still a column
    none = summary.set_index("strategy").loc["none"]
    for col in OUTCOMES:
        for suffix in ("", "_lo", "_hi", "_vs_none", "_vs_none_lo", "_vs_none_hi"):
            assert f"{col}{suffix}" in summary, col + suffix
        known = summary.dropna(subset=[f"{col}_lo"])
        assert (known[f"{col}_lo"] <= known[col] + 1e-12).all()
        assert (known[col] <= known[f"{col}_hi"] + 1e-12).all()
        if not np.isnan(none[col]) and col != "cost_per_sustainable":
            assert none[f"{col}_vs_none"] == 0
    assert summary.share_sustainable_m24.isna().all(), "8 months cannot say anything about 24"
    assert (summary.share_sustainable_m6 >= 0).all()
    assert none.spent == 0
    runs = pd.read_csv(comparison / "runs.csv")
    paid = runs[runs.strategy != "none"]
    budget = load_scenario("default").budget
    assert (paid.spent <= budget + 1e-6).all()


def test_summary_means_and_differences_match_the_runs(comparison):
    runs = pd.read_csv(comparison / "runs.csv")
    summary = pd.read_csv(comparison / "summary.csv").set_index("strategy")
    wide = runs.pivot(index="replicate", columns="strategy", values="composite")
    diff = wide["integrated"] - wide["none"]
    mean, lo, hi = interval(diff)
    row = summary.loc["integrated"]
    assert row.composite == pytest.approx(wide["integrated"].mean(), rel=1e-5)
    # runs.csv keeps 6 significant digits of each run's composite (about 5e-7 at 0.5), so an
    # interval recomputed from it can differ by a few of those from the summary's
    assert (row.composite_vs_none, row.composite_vs_none_lo, row.composite_vs_none_hi) == (
        pytest.approx(mean, abs=3e-6),
        pytest.approx(lo, abs=3e-6),
        pytest.approx(hi, abs=3e-6),
    )


def test_run_tables_carry_strategy_and_replicate(comparison):
    model = pd.read_parquet(comparison / "model.parquet")
    runs = len(model.groupby(["strategy", "replicate"]))
    assert runs == 5 * REPLICATES
    assert (model.groupby(["strategy", "replicate"]).month.apply(list)
            == [list(range(1, MONTHS + 1))] * runs).all()  # fmt: skip
    returnees = pd.read_parquet(comparison / "returnees.parquet")
    assert {"strategy", "replicate", "budget", "month", "returnee"} <= set(returnees.columns)
    assert len(returnees.groupby(["strategy", "replicate"])) == runs
    assert returnees.month.max() == MONTHS - 1


def test_monitoring_rounds_follow_each_persons_return(comparison):
    """Survey round m reaches those who have been back m months by the last month."""
    monitoring = pd.read_csv(comparison / "monitoring.csv")
    profiles = pd.read_parquet(comparison / "profiles.parquet")
    one = profiles[profiles.strategy == "none"]
    for m in SURVEY_MONTHS:
        reachable = (one.arrival_month + m < MONTHS).groupby(one.replicate).sum()
        rows = monitoring[monitoring.months_since_return == m]
        assert len(rows) == 5
        assert rows.interviewed.to_numpy() == pytest.approx(reachable.mean(), rel=1e-5)
        assert rows.share_sustainable.isna().all() == (reachable.max() == 0)


def test_who_is_left_behind_covers_every_returnee_in_each_grouping(comparison):
    groups = pd.read_csv(comparison / "left_behind.csv")
    runs = pd.read_csv(comparison / "runs.csv")
    returned = 300  # everyone has arrived within 8 months (arrival over 6 by default)
    assert load_scenario("default").arrival_months <= MONTHS
    for (strategy, dimension), g in groups.groupby(["strategy", "dimension"]):
        assert g.returnees.sum() == pytest.approx(returned, rel=1e-5), (strategy, dimension)
    assert set(groups.dimension) == {"sex", "vulnerability", "return", "means", "age"}
    assert set(runs.strategy) == set(groups.strategy)
    places = pd.read_csv(comparison / "places.csv")
    ordered = places[places.strategy == "none"].sort_values("rank")
    assert ordered["rank"].tolist() == list(range(1, 7))


def test_the_same_seeds_give_the_same_results_in_one_process_or_many(tmp_path, comparison):
    args = ["compare", *SMALL, "--months", str(MONTHS), "--replicates", "2", "--seed", "10",
            "--strategies", "community", "--workers", "1", "--no-report"]  # fmt: skip
    assert main([*args, "--out", str(tmp_path)]) == 0
    here = pd.read_csv(tmp_path / "runs.csv")
    pooled = pd.read_csv(comparison / "runs.csv")
    pooled = pooled[pooled.strategy.isin(["none", "community"]) & (pooled.replicate < 2)]
    # a column that is 0 in every run read back from CSV as integers: compare values
    pd.testing.assert_frame_equal(
        here.reset_index(drop=True), pooled.reset_index(drop=True), check_dtype=False
    )


def test_several_budgets_give_a_budget_column_and_marginal_gains(capsys, tmp_path):
    code = main(["compare", *SMALL, "--months", "4", "--replicates", "2", "--workers", "1",
                 "--strategies", "individual,community", "--budget", "100000:300000:100000",
                 "--out", str(tmp_path), "--no-report"])  # fmt: skip
    assert code == 0
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert sorted(summary.budget.unique()) == [100000, 200000, 300000]
    assert len(summary) == 9
    for budget, g in summary.groupby("budget"):
        assert (g[g.strategy != "none"].spent <= budget + 1e-6).all()
    none = summary[summary.strategy == "none"]
    assert none.share_sustainable.nunique() == 1, "no programme spends nothing at any budget"
    marginal = pd.read_csv(tmp_path / "marginal.csv")
    assert set(marginal.strategy) == {"individual", "community"}
    assert len(marginal) == 4
    runs = pd.read_csv(tmp_path / "runs.csv")
    wide = runs[runs.strategy == "individual"].pivot(index="replicate", columns="budget",
                                                     values="sustainable")  # fmt: skip
    expected = ((wide[200000] - wide[100000]) / 100000 * 100000).mean()
    first = marginal[(marginal.strategy == "individual") & (marginal.from_budget == 100000)]
    assert first.extra_sustainable_per_100k.iloc[0] == pytest.approx(expected)
    assert "what the next 100,000 USD buys" in capsys.readouterr().out


def test_interval_of_constant_and_single_values():
    assert interval([2.0, 2.0, 2.0]) == (2.0, 2.0, 2.0)
    mean, lo, hi = interval([1.0])
    assert mean == 1.0 and np.isnan(lo) and np.isnan(hi)
    mean, lo, hi = interval([1.0, np.nan, 3.0])
    assert mean == 2.0 and lo < 1.0 and hi > 3.0
