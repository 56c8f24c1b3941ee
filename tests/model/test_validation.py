"""Bad input gets one line per problem naming the field, the value and what is allowed.

Every case goes through the real command line (``experiments.cli.main``), asserting exit
status 2, no traceback, and a line that names the field's path and the offending value.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main
from model.checks import validate_parameters
from model.inputs import ScenarioError
from model.overrides import parse_overrides
from model.parameters import PARAMETERS
from model.scenario import load_scenario


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


def assert_reported(code: int, err: str, *fragments: str) -> str:
    """Exit 2, no traceback, and one error line holding every fragment; returns that line."""
    assert code == 2, err
    assert "Traceback" not in err
    matches = [line for line in error_lines(err) if all(f in line for f in fragments)]
    assert matches, f"no error line with {fragments}:\n{err}"
    return matches[0]


def scenario_file(tmp_path: Path, body: str, name: str = "mine") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'name = "{name}"\ndescription = "a test"\ninherits = "default"\n{body}')
    return path


BAD_SCENARIOS = {
    "unknown parameter": (
        "[population]\nn_returnes = 10\n",
        ["population.n_returnes", "did you mean n_returnees"],
    ),
    "unknown table": ("[populaton]\nn_returnees = 10\n", ["populaton", "did you mean population"]),
    "parameter outside its table": ("budget = 5\n", ["budget", "[programme]"]),
    "parameter in the wrong table": (
        "[programme]\nshare_forced = 0.5\n",
        ["programme.share_forced", "[population]"],
    ),
    "text for an integer": (
        '[population]\nn_returnees = "many"\n',
        ["population.n_returnees", "'many'", "a whole number from 0"],
    ),
    "true for a number": (
        "[programme]\nbudget = true\n",
        ["programme.budget", "True", "a number from 0"],
    ),
    "fraction for an integer": (
        "[population]\nn_communities = 2.5\n",
        ["population.n_communities", "2.5", "int"],
    ),
    "share above 1": (
        "[population]\nshare_forced = 1.5\n",
        ["population.share_forced", "1.5", "from 0 to 1"],
    ),
    "negative budget": ("[programme]\nbudget = -5\n", ["programme.budget", "-5", "from 0"]),
    "weights not summing to 1": (
        "[outcomes]\nweight_economic = 0.9\n",
        ["outcomes.weight_*", "1.5", "sum of 1"],
    ),
    "more returnees than households hold": (
        "[population]\nn_returnees = 5000\nn_communities = 2\nhouseholds_per_community = 100\n",
        ["population.n_returnees", "5000", "600"],
    ),
    "strategy shares above 1": (
        "[strategies.greedy]\nshares = { cash_grant = 0.7, business_support = 0.6 }\n",
        ["strategies.greedy.shares", "1.3", "at most 1"],
    ),
    "unknown package in a strategy": (
        "[strategies.mine]\nshares = { cash_grnt = 0.5 }\n",
        ["strategies.mine.shares.cash_grnt", "did you mean cash_grant"],
    ),
    "unknown field in a strategy": (
        "[strategies.mine]\nshare = { cash_grant = 0.5 }\n",
        ["strategies.mine.share", "did you mean shares"],
    ),
    "bad targeting": (
        '[strategies.mine]\ntargeting = "quick"\n',
        ["strategies.mine.targeting", "'quick'", "'needs', 'needs_uncoordinated' or 'standard'"],
    ),
    "bad business plans": (
        '[strategies.mine]\nbusiness_plans = "best"\n',
        ["strategies.mine.business_plans", "'best'", "'by_need' or 'screened'"],
    ),
    "negative share": (
        "[strategies.mine]\nshares = { cash_grant = -0.2 }\n",
        ["strategies.mine.shares.cash_grant", "-0.2", "0 to 1"],
    ),
    "a strategy name that cannot name a file": (
        '[strategies."<b>best</b>"]\nshares = { cash_grant = 0.5 }\n',
        ["strategies.'<b>best</b>'", "letters, digits, _ and -"],
    ),
    "bad package effect": (
        '[packages.gift]\nlevel = "individual"\nunit_cost = 10\neffects = { cash = 5 }\n',
        ["packages.gift.effects.cash", "did you mean cash_usd"],
    ),
}
#: Problems that involve several fields of the resolved scenario, not one line of the file.
CROSS_CHECKS = {"weights not summing to 1", "more returnees than households hold"}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_validate_reports_each_bad_scenario_in_one_line(capsys, tmp_path, case):
    body, fragments = BAD_SCENARIOS[case]
    path = scenario_file(tmp_path, body)
    code, _, err = cli(capsys, "validate", path)
    line = assert_reported(code, err, *fragments)
    assert line.startswith(f"error: {path.name}: ") or case in CROSS_CHECKS


def test_names_and_descriptions_must_be_texts(capsys, tmp_path):
    path = tmp_path / "odd.toml"
    path.write_text("name = 5\ndescription = [1]\ninherits = 3\n")
    code, _, err = cli(capsys, "validate", path)
    for field in ("name: 5", "description: [1]", "inherits: 3"):
        assert_reported(code, err, f"odd.toml: {field}", "a text in quotes")


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--months", "1", "--out", "{tmp}/run"],
        ["compare", "--months", "1", "--replicates", "1", "--workers", "1", "--out", "{tmp}/c"],
    ],
)
def test_every_command_that_reads_a_file_rejects_bad_input(capsys, tmp_path, command):
    path = scenario_file(tmp_path, "[programme]\nbudget = -5\n")
    args = [path, *(a.format(tmp=tmp_path) for a in command[1:])]
    code, _, err = cli(capsys, command[0], *args)
    assert_reported(code, err, "programme.budget", "-5")
    assert not (tmp_path / "run").exists() and not (tmp_path / "c").exists()  # nothing written


def test_all_problems_are_reported_at_once(capsys, tmp_path):
    body = (
        "[population]\nn_returnes = 10\nshare_forced = 1.5\n[programme]\nbudget = -5\n"
        "[strategies.greedy]\nshares = { cash_grant = 0.7, business_support = 0.6 }\n"
    )
    path = scenario_file(tmp_path, body)
    code, _, err = cli(capsys, "validate", path, "--set", "budjet=3", "--set", "age_mean=300")
    assert code == 2
    lines = error_lines(err)
    for field in ("n_returnes", "share_forced", "programme.budget", "greedy", "budjet", "age_mean"):
        assert sum(field in line for line in lines) == 1, (field, err)


def test_unknown_parameter_suggests_close_names_instead_of_listing_all(capsys):
    code, _, err = cli(capsys, "validate", "default", "--set", "bugdet=250000")
    line = assert_reported(code, err, "--set bugdet", "did you mean budget")
    assert sum(name in line for name in PARAMETERS) < 5


@pytest.mark.parametrize(
    ("item", "fragments"),
    [
        ("budget=abc", ["--set programme.budget", "'abc'", "a number from 0"]),
        ("budget=-1", ["--set programme.budget", "-1", "from 0"]),
        ("budget", ["--set 'budget'", "NAME=VALUE"]),
        ("programme.share_forced=0.5", ["--set programme.share_forced", "[population]"]),
        ("n_returnees=100000", ["population.n_returnees", "100000", "can hold"]),
    ],
)
def test_bad_overrides_on_the_command_line(capsys, item, fragments):
    code, _, err = cli(capsys, "validate", "default", "--set", item)
    assert_reported(code, err, *fragments)


def test_parse_overrides_collects_every_problem():
    with pytest.raises(ScenarioError) as caught:
        parse_overrides(["bugdet=1", "nothing", "share_forcd=0.2"])
    assert len(caught.value.problems) == 3


def test_validate_parameters_collects_every_problem_across_tables():
    tables = {"population": {"share_forced": 2.0, "age_mean": -1.0}, "programme": {"budget": -1}}
    with pytest.raises(ScenarioError) as caught:
        validate_parameters(tables)
    assert len(caught.value.problems) == 3


def test_validate_checks_a_strategies_file(capsys, tmp_path, strategies_file):
    good = strategies_file({"cash_only": {"cash_grant": 1.0}})
    code, out, _ = cli(capsys, "validate", good)
    assert code == 0 and "cash_only" in out
    bad = strategies_file({"cash_only": {"cash_grant": 0.8, "referral": 0.5}, "x": {"cash": 0.1}})
    code, _, err = cli(capsys, "validate", bad)
    assert_reported(code, err, "strategies.toml: cash_only.shares", "1.3")
    assert_reported(code, err, "x.shares.cash", "unknown package")


def test_validate_checks_a_strategies_file_given_with_a_scenario(capsys, strategies_file):
    bad = strategies_file({"lavish": {"cash_grant": 2.0}})
    code, _, err = cli(capsys, "validate", "default", "--strategies-file", bad)
    assert_reported(code, err, "lavish.shares.cash_grant", "2.0", "0 to 1")


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ("name = 'x'\n[population\n", ["not valid TOML", "line"]),
        (None, ["does not exist"]),
    ],
)
def test_unreadable_files(capsys, tmp_path, content, fragments):
    path = tmp_path / "broken.toml"
    if content is not None:
        path.write_text(content)
    code, _, err = cli(capsys, "validate", path)
    assert_reported(code, err, *fragments)


def test_unknown_scenario_name_lists_the_shipped_ones(capsys):
    code, _, err = cli(capsys, "compare", "atlantis", "--out", "/nonexistent/never")
    assert_reported(code, err, "'atlantis'", "default", "urban")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--budget", "lots"], ["--budget", "'lots'", "START:STOP:STEP"]),
        (["--budget", "5:1:1"], ["--budget", "'5:1:1'"]),
        (["--budget=-5,10"], ["--budget", "-5", "0 or more"]),
        (["--strategies", "individul"], ["--strategies", "'individul'", "did you mean individual"]),
        (["--strategies", "none"], ["--strategies", "'none'", "besides 'none'", "integrated"]),
    ],
)
def test_compare_rejects_bad_options(capsys, tmp_path, args, fragments):
    code, _, err = cli(capsys, "compare", *args, "--out", tmp_path / "out")
    assert_reported(code, err, *fragments)
    assert not (tmp_path / "out").exists()


def test_the_console_command_exits_non_zero_without_traceback(tmp_path):
    path = scenario_file(tmp_path, "[population]\nn_returnes = 10\n[programme]\nbudget = -5\n")
    done = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(error_lines(done.stderr)) == 2 == len(done.stderr.strip().splitlines())


def test_a_new_scenario_from_an_existing_one_with_inherits_and_set(tmp_path):
    path = tmp_path / "my_urban.toml"
    path.write_text('name = "my_urban"\ninherits = "urban"\n[population]\nshare_forced = 0.9\n')
    urban = load_scenario("urban")
    mine = load_scenario(path, ["budget=250000"])
    assert (mine.share_forced, mine.budget) == (0.9, 250000)
    assert mine.job_capacity == urban.job_capacity != load_scenario("default").job_capacity
