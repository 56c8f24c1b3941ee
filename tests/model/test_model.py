"""The model's interface: strategies by name or as objects, declared outcomes, support
resolved once with the scenario."""

import numpy as np
import pytest

from model import ReintegrationModel, ScenarioError, load_scenario
from model.outcomes import MODEL_OUTCOMES, Group
from model.parameters import PARAMETERS
from model.run import SUMMARY_OUTCOMES, run
from model.support import Strategy, level_shares, split_by_level

SMALL = {"n_returnees": 60, "n_communities": 3, "households_per_community": 30}


def test_a_strategy_object_runs_like_the_same_strategy_by_name():
    scenario = load_scenario("default", SMALL)
    same = Strategy(**scenario.strategies["community"].model_dump())
    by_name = run(scenario, "community", 4, 6, tables=False).model_table
    by_object = ReintegrationModel(scenario, strategy=same, rng=4, months=6, create_agents=False)
    while by_object.running:
        by_object.step()
    table = by_object.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    assert table.equals(by_name.drop(columns="month"))


def test_a_strategy_object_naming_an_unknown_package_is_refused_in_one_line():
    bad = Strategy(name="mine", shares={"cash_grnt": 0.5})
    with pytest.raises(ScenarioError) as err:
        ReintegrationModel("default", strategy=bad, **SMALL)
    assert len(err.value.problems) == 1
    assert "cash_grnt" in str(err.value) and "did you mean cash_grant" in str(err.value)


def test_split_by_level_gives_each_level_its_weight_and_keeps_the_base_mix():
    scenario = load_scenario("default")
    base = scenario.strategies["integrated"]
    split = split_by_level("mine", {"individual": 1, "community": 3}, scenario.packages, base)
    shares = level_shares(split, scenario.packages)
    spend = sum(base.shares.values())
    assert shares["individual"] == pytest.approx(spend / 4)
    assert shares["community"] == pytest.approx(3 * spend / 4)
    assert shares["structural"] == 0


def test_declared_outcomes_are_what_a_run_reports():
    m = ReintegrationModel("default", strategy="integrated", rng=1, months=2, **SMALL)
    m.step()
    spent = [f"spent_{name}" for name in m.packages]
    assert list(m.current) == [*MODEL_OUTCOMES, *spent]
    summary = run("default", "none", 1, 2, overrides=SMALL, tables=False).summary
    numeric = [
        k for k, v in summary.items()
        if isinstance(v, int | float | None) and k not in {"seed", "months", "month", *PARAMETERS}
    ]  # fmt: skip
    assert numeric == list(SUMMARY_OUTCOMES)


def test_a_scenario_carries_its_packages_and_strategies(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text(
        'inherits = "default"\n'
        "[packages.tiny_grant]\n"
        'level = "individual"\nunit_cost = 100.0\neffects = { cash_usd = 90.0 }\n'
        "[strategies.tiny]\n"
        "shares = { tiny_grant = 0.5 }\n"
    )
    scenario = load_scenario(path)
    assert "tiny_grant" in scenario.packages and "tiny" in scenario.strategies
    assert "integrated" in scenario.strategies  # the shipped ones stay available
    m = ReintegrationModel(scenario, strategy="tiny", rng=0, months=8)
    while m.running:
        m.step()
    assert m.current["spent_tiny_grant"] > 0


def test_the_parameter_table_types_the_scenario():
    scenario = load_scenario("default", {"hire_rate": 0.3})
    assert scenario.hire_rate == 0.3  # the override, not the table's default
    assert load_scenario("default").hire_rate == PARAMETERS["hire_rate"].default
    for name, p in PARAMETERS.items():
        assert isinstance(getattr(scenario, name), p.kind), name
    assert np.isclose(
        sum(p.default for p in PARAMETERS.values() if p.name.startswith("weight_")), 1
    )


@pytest.mark.parametrize("kind", ["float", "float_nan", "bool", "int"])
def test_a_months_means_are_numpys_means_of_the_rows_asked(kind):
    """A summary's means skip numpy's generic mean (issue 26); each is still the number
    ``values[mask].mean()`` gives, to the last bit, and NaN over no rows."""
    rng = np.random.default_rng(11)
    values = {
        "float": rng.random(3001) * 1e3,
        "float_nan": np.where(rng.random(3001) < 0.01, np.nan, rng.random(3001)),
        "bool": rng.random(3001) < 0.3,
        "int": rng.integers(0, 7, 3001),
    }[kind]
    for mask in (rng.random(3001) < 0.6, np.ones(3001, bool), np.zeros(3001, bool)):
        got = Group(mask).mean(values)
        want = float(values[mask].mean()) if mask.any() else float("nan")
        assert type(got) is float
        assert got == want or (np.isnan(got) and np.isnan(want))
