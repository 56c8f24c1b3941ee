"""Experiment files and designs: run counts, ranges, ids and seeds, validation."""

import re
import subprocess
import sys

import numpy as np
import pytest

from experiments.sweeps.experiment_file import EXPERIMENT_DIR, load_experiment
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

RANGES = {
    "hire_rate": {"low": 0.05, "high": 0.2},
    "wage_usd": {"spread": 0.3},
    "arrival_months": {"low": 1, "high": 6},
}


HIRE_MAX = PARAMETERS["hire_rate"].high


def expected_points(method, samples, d, levels=4, second_order=False):
    return {
        "lhs": samples,
        "sobol": samples * ((2 * d + 2) if second_order else (d + 2)),
        "morris": samples * (d + 1),
    }[method]


@pytest.mark.parametrize(
    ("method", "samples", "design"),
    [
        ("lhs", 7, {}),
        ("sobol", 8, {}),
        ("sobol", 4, {"second_order": True}),
        ("morris", 3, {}),
    ],
)
def test_sampled_designs_have_the_right_size_and_stay_in_range(
    tmp_path, method, samples, design, write_experiment
):
    path = write_experiment(
        tmp_path / "e.toml",
        RANGES,
        method=method,
        samples=samples,
        design=design,
        strategies=["none", "individual"],
        replicates=2,
    )
    exp = load_experiment(path)
    runs = exp.runs()
    n_points = expected_points(method, samples, 3, second_order=design.get("second_order", False))
    assert len(runs) == n_points * 2 * 2
    assert runs["point"].nunique() == n_points
    for f in exp.factors:
        p = PARAMETERS[f.name]
        assert p.low <= f.low < f.high <= p.high
        assert runs[f.name].between(f.low, f.high).all(), f.name
    assert exp.factors[1].low == pytest.approx(PARAMETERS["wage_usd"].default * 0.7)
    assert all(isinstance(v, int) for v in runs["arrival_months"].tolist())


def test_grid_crosses_values_and_levels(tmp_path, write_experiment):
    params = {"budget": {"values": [1e5, 5e5, 1e6]}, "hire_rate": {"low": 0.05, "high": 0.2}}
    exp = load_experiment(
        write_experiment(tmp_path / "g.toml", params, design={"levels": 5}, replicates=3)
    )
    runs = exp.runs()
    assert len(runs) == 3 * 5 * 1 * 3
    assert sorted(runs["budget"].unique()) == [1e5, 5e5, 1e6]
    assert np.allclose(sorted(runs["hire_rate"].unique()), np.linspace(0.05, 0.2, 5))


def test_run_ids_and_seeds_are_deterministic_and_shared_across_strategies(
    tmp_path, write_experiment
):
    path = write_experiment(
        tmp_path / "s.toml",
        RANGES,
        method="lhs",
        samples=5,
        strategies=["none", "integrated"],
        replicates=3,
    )
    runs = load_experiment(path).runs()
    assert runs.equals(load_experiment(path).runs())
    assert runs["run_id"].tolist() == list(range(len(runs)))
    by_strategy = runs.pivot_table(index=["point", "replicate"], columns="strategy", values="seed")
    assert (by_strategy["none"] == by_strategy["integrated"]).all()
    per_point = runs.groupby("point")["seed"].nunique()
    assert (per_point == 3).all()  # replicates differ


def test_common_seeds_can_be_turned_off(tmp_path, write_experiment):
    common = load_experiment(write_experiment(tmp_path / "c.toml", RANGES, method="lhs", samples=4))
    apart = load_experiment(
        write_experiment(
            tmp_path / "a.toml", RANGES, method="lhs", samples=4, design={"common_seeds": False}
        )
    )
    assert common.runs()["seed"].nunique() == 1
    assert apart.runs()["seed"].nunique() == 4
    assert common.fingerprint() != apart.fingerprint()


def test_scaling_the_design_changes_size_and_fingerprint(tmp_path, write_experiment):
    path = write_experiment(tmp_path / "e.toml", RANGES, method="sobol", samples=8)
    small, big = load_experiment(path), load_experiment(path, samples=16, replicates=2)
    assert len(big.runs()) == 4 * len(small.runs())
    assert small.fingerprint() != big.fingerprint()


def _stated_runs(path):
    """The run count a shipped file's comments state (e.g. '= 200 runs')."""
    found = re.search(r"= ([\d,]+) runs", path.read_text())
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize("name", ["budget_by_strategy", "sobol_default", "where_individual_fails"])
def test_shipped_experiments_state_their_true_size(name):
    exp = load_experiment(name)
    assert len(exp.runs()) == _stated_runs(EXPERIMENT_DIR / f"{name}.toml")


def test_sobol_default_varies_ten_assumed_behavioural_parameters():
    exp = load_experiment("sobol_default")
    assert exp.method == "sobol" and len(exp.factors) == 10
    for f in exp.factors:
        p = PARAMETERS[f.name]
        assert p.behavioural and p.assumed, f.name
        assert f.low < p.default < f.high


def test_morris_covers_every_behavioural_parameter_that_can_vary():
    exp = load_experiment("morris_behavioural")
    behavioural = {p.name for p in PARAMETERS.values() if p.behavioural}
    assert set(exp.names) | set(exp.left_out) == behavioural
    assert not set(exp.names) & set(exp.left_out)
    assert all(exp.left_out.values())  # each has a reason
    assert len(exp.runs()) == exp.samples * (len(exp.factors) + 1)


def test_every_problem_is_reported_at_once(tmp_path, write_experiment):
    params = {
        "hire_rat": {"low": 0.1, "high": 0.2},  # unknown
        "hire_rate": {"low": 0.1, "high": HIRE_MAX + 1},  # beyond the table's range
        "wage_usd": {"low": 200.0, "high": 100.0},  # low above high
    }
    path = write_experiment(
        tmp_path / "bad.toml",
        params,
        method="sobol",
        samples=6,  # not a power of 2
        strategies=["integrated", "charity"],  # unknown strategy
        outcomes=["composite", "happiness"],  # unknown outcome
    )
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    problems = err.value.problems
    assert len(problems) == 6, problems
    for word in ("hire_rat", f"{HIRE_MAX + 1:g}", "wage_usd", "power of 2", "charity", "happiness"):
        assert sum(word in line for line in problems) >= 1, word


def test_a_bad_file_on_the_command_line_gives_one_line_per_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "bad"\nstrategies = []\nreplicates = 0\nmonths = 24\n'
        '[design]\nmethod = "latin"\n[parameters]\nhire_rate = { low = 0.1 }\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "sweep", str(bad), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert all(line.startswith("error: bad.toml: ") for line in lines), lines
    for field in ("strategies", "replicates", "design.method", "parameters.hire_rate"):
        assert sum(field in line for line in lines) == 1, (field, lines)


def test_parameters_that_cannot_vary_alone_are_rejected(tmp_path, write_experiment):
    path = write_experiment(tmp_path / "w.toml", {"weight_social": {"low": 0.2, "high": 0.4}})
    with pytest.raises(ScenarioError, match="weight_social: cannot take"):
        load_experiment(path)


def test_run_count_grows_with_replicates_and_strategies(tmp_path, write_experiment):
    path = write_experiment(tmp_path / "r.toml", {"budget": {"values": [1e5, 2e5]}})
    assert len(load_experiment(path).runs()) == 2
    assert len(load_experiment(path, replicates=4).runs()) == 8
