"""Scenario discovery with PRIM, and the model as an EMA Workbench ReplicatorModel."""

import warnings

import numpy as np
import pandas as pd
import pytest

from experiments import cli
from experiments.analysis.discover import discover
from experiments.analysis.ema_model import ema_model
from experiments.sweeps.experiment_file import load_experiment
from experiments.sweeps.store import Store
from experiments.sweeps.sweep import sweep
from model.inputs import ScenarioError
from model.run import run
from tests.experiments.conftest import TINY

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "ipyparallel", UserWarning)
    from ema_workbench import SequentialEvaluator, perform_experiments

RANGES = {
    "hire_rate": {"spread": 0.5},
    "acceptance_rate": {"spread": 0.5},
    "visibility_fade": {"spread": 0.5},
}


@pytest.fixture
def lhs(tmp_path, write_experiment):
    path = write_experiment(tmp_path / "lhs.toml", RANGES, method="lhs", samples=300)
    return load_experiment(path)


def test_prim_finds_a_planted_failure_region(lhs):
    """Outcome made to fail exactly where hire_rate and acceptance_rate are both low."""
    rows = lhs.runs()
    hire, accept = (lhs.factors[0], lhs.factors[1])
    cut_h = hire.low + 0.4 * (hire.high - hire.low)
    cut_a = accept.low + 0.5 * (accept.high - accept.low)
    failing = (rows["hire_rate"] < cut_h) & (rows["acceptance_rate"] < cut_a)
    rows["composite"] = np.where(failing, 0.3, 0.8)
    found = discover(lhs, rows, "composite", 0.5)
    box = found.limits[found.limits["box"] == 1].set_index("parameter")
    assert set(box.index) == {"hire_rate", "acceptance_rate"}  # visibility_fade is noise
    assert box.loc["hire_rate", "high"] == pytest.approx(cut_h, rel=0.1)
    assert box.loc["acceptance_rate", "high"] == pytest.approx(cut_a, rel=0.1)
    first = found.stats.iloc[0]
    assert first["coverage"] >= 0.5 and first["density"] > 0.9
    assert found.cases == failing.sum() and found.runs == len(rows)


def test_discover_on_a_real_sweep_writes_boxes_and_a_plot(tmp_path, capsys, write_experiment):
    path = write_experiment(
        tmp_path / "real.toml", RANGES, method="lhs", samples=60, strategies=["individual"]
    )
    out = tmp_path / "out"
    sweep(load_experiment(path), out, workers=2, progress=False)
    threshold = Store(out).read()["composite"].median()  # about half the runs fall short
    args = ["discover", str(path), "--out", str(out), "--outcome", "composite"]
    assert cli.main([*args, "--below", str(threshold)]) == 0
    printed = capsys.readouterr().out
    assert "composite below" in printed and "box 1: coverage" in printed
    [where] = list((out / "discover").iterdir())
    table = pd.read_csv(where / "boxes.csv")
    assert table[["coverage", "density", "mass"]].stack().between(0, 1).all()
    assert (where / "boxes.png").stat().st_size > 0


def test_bad_questions_get_one_line_each(lhs):
    rows = lhs.runs().assign(composite=0.7)
    with pytest.raises(ScenarioError, match="none of the"):
        discover(lhs, rows, "composite", 0.5)
    with pytest.raises(ScenarioError) as err:
        discover(lhs, rows, "happiness", 0.5, strategy="charity")
    assert len(err.value.problems) == 2


def test_the_model_runs_as_an_ema_replicator_model(tmp_path, write_experiment):
    path = write_experiment(
        tmp_path / "ema.toml",
        RANGES,
        method="lhs",
        samples=4,
        strategies=["none", "integrated"],
        replicates=2,
    )
    exp = load_experiment(path)
    model = ema_model(exp)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=2, policies=2, evaluator=evaluator
        )
    assert len(experiments) == 4
    assert set(outcomes) == set(exp.outcomes)
    # each outcome is the mean over the replications' seeds of the same model's runs
    first = experiments.iloc[0]
    params = {f.name: float(first[f.name]) for f in exp.factors}
    direct = [
        run(
            exp.scenario,
            first["strategy"],
            exp.seed_of(0, r),
            exp.months,
            overrides=params,
            tables=False,
        ).summary["composite"]
        for r in range(exp.replicates)
    ]
    assert outcomes["composite"][0] == pytest.approx(np.mean(direct))
    assert exp.scenario.n_returnees == TINY["n_returnees"]
