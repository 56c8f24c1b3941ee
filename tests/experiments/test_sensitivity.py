"""Sensitivity analysis of finished sweeps: Sobol and Morris indices, files, refusals."""

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from experiments import cli
from experiments.analysis.sensitivity import (
    TOP,
    _advice,
    _caveat,
    _confidence,
    analyse,
    design_means,
    distinguishable,
    drivers,
    fewest_trajectories,
    recommended_samples,
)
from experiments.sweeps.experiment_file import load_experiment
from experiments.sweeps.store import Store
from experiments.sweeps.sweep import sweep
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

# dialogue_gain scales the effect of dialogue fora; without a programme none are held, so
# under strategy "none" it cannot change any outcome: its indices must be exactly zero.
RANGES = {
    "hire_rate": {"spread": 0.5},
    "acceptance_rate": {"spread": 0.5},
    "dialogue_gain": {"spread": 0.5},
}


def _swept(write_experiment, tmp_path, method, samples, **kw):
    path = write_experiment(
        tmp_path / f"{method}.toml",
        RANGES,
        method=method,
        samples=samples,
        strategies=["none", "integrated"],
        **kw,
    )
    exp = load_experiment(path)
    sweep(exp, tmp_path / "out", workers=2, progress=False)
    return exp, Store(tmp_path / "out").read(), path, tmp_path / "out"


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory, write_experiment):
    """16 x (3 + 2) = 80 points x 2 strategies x 2 replicates = 320 tiny runs."""
    return _swept(write_experiment, tmp_path_factory.mktemp("sobol"), "sobol", 16, replicates=2)


def test_sobol_indices_are_finite_and_first_order_within_total(sobol_sweep):
    exp, rows, _, _ = sobol_sweep
    table, notes = analyse(exp, rows)
    assert not notes
    assert len(table) == len(exp.outcomes) * len(exp.strategies) * len(exp.factors)
    values = table[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()
    assert np.isfinite(values).all()
    assert (table["S1_conf"] >= 0).all() and (table["ST_conf"] >= 0).all()
    assert (table["S1"] - table["S1_conf"] <= table["ST"] + table["ST_conf"]).all()


def test_a_parameter_that_cannot_act_gets_zero_indices(sobol_sweep):
    exp, rows, _, _ = sobol_sweep
    table, _ = analyse(exp, rows)
    idle = table[(table["strategy"] == "none") & (table["parameter"] == "dialogue_gain")]
    assert np.allclose(idle[["S1", "ST"]].to_numpy(), 0, atol=1e-12)
    hire = table[(table["strategy"] == "none") & (table["parameter"] == "hire_rate")]
    assert (hire["ST"] > 0).any()


def test_replicates_are_averaged_per_design_point(sobol_sweep):
    exp, rows, _, _ = sobol_sweep
    means = design_means(exp, rows)
    assert len(means) == len(exp.strategies) * rows["point"].nunique()
    first = rows[(rows["strategy"] == "integrated") & (rows["point"] == 0)]
    assert means.loc[("integrated", 0), "composite"] == pytest.approx(first["composite"].mean())


def test_morris_gives_mu_star_at_least_abs_mu(tmp_path, write_experiment):
    exp, rows, _, _ = _swept(write_experiment, tmp_path, "morris", 4)
    table, _ = analyse(exp, rows)
    assert len(table) == len(exp.outcomes) * len(exp.strategies) * len(exp.factors)
    assert np.isfinite(table[["mu", "mu_star", "sigma"]].to_numpy()).all()
    assert (table["mu_star"] >= table["mu"].abs() - 1e-12).all()
    assert (table["sigma"] >= 0).all()


def test_the_command_writes_a_csv_and_a_plot_per_outcome(sobol_sweep, capsys):
    exp, _, path, out = sobol_sweep
    assert cli.main(["sensitivity", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for outcome in exp.outcomes:
        table = pd.read_csv(out / "sensitivity" / f"{outcome}.csv")
        assert set(table["strategy"]) == set(exp.strategies)
        assert (out / "sensitivity" / f"{outcome}.png").stat().st_size > 0
        assert f"{outcome} (integrated): driven most by" in printed
    assert (out / "sensitivity" / "summary.md").exists()

    def listed():
        return set(json.loads((out / "sensitivity" / "manifest.json").read_text())["files"])

    first = listed()
    assert {f"{o}.csv" for o in exp.outcomes} <= first
    assert cli.main(["sensitivity", str(path), "--out", str(out)]) == 0  # replaced whole
    assert listed() == first
    assert not [p for p in out.iterdir() if p.name.startswith(".sensitivity")]


def test_unfinished_or_unsuitable_sweeps_are_refused(tmp_path, write_experiment):
    exp, rows, _, _ = _swept(write_experiment, tmp_path, "lhs", 5)
    with pytest.raises(ScenarioError, match="allowed: sobol, morris"):
        analyse(exp, rows)
    sobol = load_experiment(
        write_experiment(tmp_path / "s.toml", RANGES, method="sobol", samples=4)
    )
    with pytest.raises(ScenarioError, match="unfinished"):
        analyse(sobol, sobol.runs().head(3))


def test_the_text_says_which_indices_are_told_from_zero_and_recommends_samples(sobol_sweep):
    exp, rows, _, _ = sobol_sweep
    table, _ = analyse(exp, rows)
    lines = dict(line.split(": driven most by ", 1) for line in drivers(exp, table))
    for (outcome, strategy), group in table.groupby(["outcome", "strategy"]):
        line = lines[f"{outcome} ({strategy})"]
        clear = group[group["ST"] - group["ST_conf"] > 0].parameter.tolist()
        assert distinguishable(exp, group)["ST"] == clear
        assert (f"ST of {', '.join(clear)}" in line) if clear else ("no index is" in line)
        needed = recommended_samples(exp, group.nlargest(TOP, "ST"))
        assert needed >= exp.samples and needed & (needed - 1) == 0, "a power of 2"
        if needed > exp.samples:
            assert f"recommend samples = {needed} (now {exp.samples})" in line
    idle = table[(table["strategy"] == "none") & (table["parameter"] == "dialogue_gain")]
    assert "dialogue_gain" not in distinguishable(exp, idle)["ST"]


@pytest.mark.parametrize(("conf", "factor"), [(0.05, 1), (0.2, 4), (0.4, 16), (0.3, 16)])
def test_recommended_samples_shrink_the_leading_intervals_to_half(sobol_sweep, conf, factor):
    """Half-width falls as 1/sqrt(samples): halving it takes four times the samples (then
    the next power of 2: 9 times 16 samples is 144, so 256); "tiny" is too small to count."""
    exp = sobol_sweep[0]
    top = pd.DataFrame({"parameter": ["a", "b", "tiny"], "ST": [0.4, 0.2, 0.001],
                        "ST_conf": [conf, conf, 0.5], "S1": [0.3, 0.1, 0.0],
                        "S1_conf": [0.0, 0.0, 0.0]})  # fmt: skip
    assert recommended_samples(exp, top) == exp.samples * factor


def test_the_caveat_agrees_with_how_many_parameters_act_through_interactions():
    """One parameter "acts", several "act": the summary is read by people, not parsed."""
    sobol = SimpleNamespace(method="sobol")
    group = pd.DataFrame({"parameter": ["a", "b", "c"], "S1": [0.1, 0.1, 0.5],
                          "ST": [0.5, 0.1, 0.5], "S1_conf": 0.05, "ST_conf": 0.05})  # fmt: skip
    assert _caveat(sobol, group) == "; a acts through interactions"
    group.loc[1, "ST"] = 0.4
    assert _caveat(sobol, group) == "; a, b act through interactions"


def test_no_interaction_is_claimed_where_the_intervals_of_s1_and_st_overlap():
    """ST - S1 of 0.4 with intervals of +-0.3 each is noise as much as interaction (a tiny
    Sobol design gives such intervals): the summary must not call it an interaction."""
    sobol = SimpleNamespace(method="sobol")
    group = pd.DataFrame({"parameter": ["a", "b"], "S1": [0.1, 0.1], "ST": [0.5, 0.5],
                          "S1_conf": [0.3, 0.05], "ST_conf": [0.3, 0.05]})  # fmt: skip
    assert _caveat(sobol, group) == "; b acts through interactions"


def test_a_sobol_index_above_one_is_not_settled(sobol_sweep):
    """A share of variance is at most 1: an estimate of 1.7 +- 0.6 (seen at 8 samples) is an
    estimator that has not converged, however narrow its interval looks beside 1.7."""
    exp = sobol_sweep[0]
    top = pd.DataFrame({"parameter": ["a"], "ST": [1.7], "ST_conf": [0.6], "S1": [0.5],
                        "S1_conf": [0.05]})  # fmt: skip
    assert recommended_samples(exp, top) > exp.samples
    assert _advice(exp, top).startswith(f"recommend samples = {recommended_samples(exp, top)}")


def test_the_summary_gives_each_parameter_its_swept_range_and_unit(sobol_sweep):
    """Indices are read against what was varied: each name as in the parameter table, with
    the range swept and the table's unit (a reader cannot look up "hire_rate" 0.075-0.225)."""
    exp, _, path, out = sobol_sweep
    assert cli.main(["sensitivity", str(path), "--out", str(out)]) == 0
    text = (out / "sensitivity" / "summary.md").read_text()
    for factor in exp.factors:
        unit = PARAMETERS[factor.name].unit
        assert f"| {factor.name} | {factor.low:g} | {factor.high:g} | {unit} |" in text


def test_a_folder_of_another_experiments_sweep_is_named_as_such(sobol_sweep, tmp_path, capsys):
    """Pointed at another experiment's sweep, the command says whose sweep is there (it said
    "the experiment changed since the sweep", as if this one had been edited)."""
    _, _, path, out = sobol_sweep
    other = tmp_path / "other.toml"
    text = path.read_text().replace('name = "sobol"', 'name = "other"')
    other.write_text(text.replace("spread = 0.5", "spread = 0.4"))
    assert cli.main(["sensitivity", str(other), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds a sweep of 'sobol', not of 'other'; allowed" in err[0], err


def test_morris_with_too_few_trajectories_is_not_settled_nor_told_from_zero():
    """Two trajectories gave mu* 0.011 +- 1e-16 and "the 2 samples settle the leading
    indices": a bootstrap over two effects has three distinct resamples, so its interval is
    the extremes. Below the fewest a 95% bootstrap resolves, nothing is claimed."""
    assert fewest_trajectories(0.95) == 5  # C(9, 5) = 126 >= 40 > C(7, 4) = 35
    assert fewest_trajectories(0.5) == 3  # 2 / 0.5 = 4: C(5, 3) = 10, C(3, 2) = 3
    morris = SimpleNamespace(method="morris", samples=2)
    group = pd.DataFrame({"parameter": ["a", "b"], "mu": [0.011, 0.0], "mu_star": [0.011, 0.0],
                          "mu_star_conf": [1e-16, 0.0], "sigma": [0.0, 0.0]})  # fmt: skip
    assert "no interval is resolved" in _confidence(morris, group)
    assert _advice(morris, group).startswith("recommend samples = 5 (now 2)")
    enough = SimpleNamespace(method="morris", samples=10)
    assert "distinguishable from zero" in _confidence(enough, group)
    assert _advice(enough, group) == "the 10 samples settle the leading indices"
