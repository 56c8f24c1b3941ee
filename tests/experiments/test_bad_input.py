"""Bad input, as a hostile tester gives it: one line naming the field, the value and what is
allowed; a non-zero exit; no traceback; nothing written and nothing destroyed."""

from __future__ import annotations

import errno
import io
import math
import os
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.calibration.ensemble import ENSEMBLE_DIR, shipped_ensemble, write_ensemble
from experiments.cli import main
from experiments.cli.run import format_summary
from experiments.engine.outputs import write_whole
from experiments.sweeps.experiment_file import load_experiment
from model.inputs import ScenarioError
from model.scenario import load_scenario
from model.support import load_packages, load_strategies

EXPERIMENT = """name = "x"
strategies = ["none"]
months = 2
[design]
method = "grid"
[fixed]
n_returnees = 50
n_communities = 2
"""


def _files(tmp_path: Path) -> dict[str, Path]:
    """Bad files of every class, written once per test."""
    files = {
        "non_utf8": b"name = \"\xff\xfe\"\n",
        "deep": ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode(),
        "empty": b"",
        "redefines_none": b"[none]\nshares = { cash_grant = 0.5 }\n",
        "misspelt_strategy_field": b'[mine]\ntargetting = "needs"\nshares = { cash_grant = 0.5 }\n',
        "bool_replicates": b"replicates = true\n" + EXPERIMENT.encode(),
        "text_months": EXPERIMENT.replace("months = 2", 'months = "3"').encode(),
        "inf_spread": EXPERIMENT.encode() + b"[parameters]\nhire_rate = { spread = inf }\n",
        "wide_spread": EXPERIMENT.encode() + b"[parameters]\nwage_usd = { spread = 5 }\n",
        "fixed_and_varied": EXPERIMENT.replace("[fixed]", "[fixed]\nhire_rate = 0.3").encode()
        + b"[parameters]\nhire_rate = { values = [0.2, 0.4] }\n",
        "outcome_twice": EXPERIMENT.replace(
            'months = 2', 'months = 2\noutcomes = ["composite", "composite"]'
        ).encode(),
        "escaping_name": EXPERIMENT.replace('name = "x"', 'name = "../x"').encode(),
        "absolute_name": EXPERIMENT.replace('name = "x"', 'name = "/tmp/x"').encode(),
        "empty_name": EXPERIMENT.replace('name = "x"', 'name = ""').encode(),
        "inherits_above": b'name = "x"\ninherits = "../default.toml"\n',
        "inherits_absolute": b'name = "x"\ninherits = "/etc/passwd"\n',
        "inf_unit_cost": b'[packages.x]\nlevel = "individual"\nunit_cost = inf\n',
        "nan_cash": b'[packages.x]\nlevel = "individual"\nunit_cost = 100.0\n'
        b"effects = { cash_usd = nan }\n",
        "huge_cash": b'[packages.x]\nlevel = "individual"\nunit_cost = 100.0\n'
        b"effects = { cash_usd = 1e308 }\n",
        "half_returnees": EXPERIMENT.replace("n_returnees = 50\n", "")
        .replace("n_communities = 2", "n_communities = 20")
        .encode() + b"[parameters]\nn_returnees = { values = [50.5, 60.0] }\n",
        "no_returnees_fixed": EXPERIMENT.replace("n_returnees = 50", "n_returnees = 0").encode(),
        "huge_grid": EXPERIMENT.replace('method = "grid"', 'method = "grid"\nlevels = 1000')
        .replace("[fixed]", "[parameters]\nhire_rate = { spread = 0.5 }\nacceptance_rate = "
                 "{ spread = 0.5 }\nvisibility_fade = { spread = 0.5 }\n[fixed]").encode(),
    }  # fmt: skip
    paths = {}
    for name, body in files.items():
        paths[name] = tmp_path / f"{name}.toml"
        paths[name].write_bytes(body)
    return paths


#: How a --set that leaves no returnees is named in its one line.
SET_NO_RETURNEES = "--set population.n_returnees"

# (arguments with {files[...]}, {work} and {out} to fill in, the field the line must name)
CASES = {
    "non-UTF-8 scenario": (["validate", "{non_utf8}"], "non_utf8.toml"),
    "non-UTF-8 strategies": (["run", "--strategies-file", "{non_utf8}"], "non_utf8.toml"),
    "non-UTF-8 experiment": (["sweep", "{non_utf8}", "--dry-run"], "non_utf8.toml"),
    "deeply nested TOML": (["validate", "{deep}"], "deep.toml"),
    "empty scenario": (["run", "{empty}", "--months", "2"], "empty.toml"),
    "none redefined": (["compare", "--strategies-file", "{redefines_none}"], "none"),
    "strategy field misspelt": (["validate", "{misspelt_strategy_field}"], "mine.targetting"),
    "replicates = true": (["sweep", "{bool_replicates}", "--dry-run"], "replicates"),
    'months = "3"': (["sweep", "{text_months}", "--dry-run"], "months"),
    "spread = inf": (["sweep", "{inf_spread}", "--dry-run"], "spread"),
    "spread beyond the range": (["sweep", "{wide_spread}", "--dry-run"], "wage_usd"),
    "fixed and varied": (["sweep", "{fixed_and_varied}", "--dry-run"], "hire_rate"),
    "outcome twice": (["sweep", "{outcome_twice}", "--dry-run"], "outcomes"),
    "name ../x": (["sweep", "{escaping_name}", "--workers", "1"], "name"),
    "absolute name": (["sweep", "{absolute_name}", "--workers", "1"], "name"),
    "empty name": (["sweep", "{empty_name}", "--workers", "1"], "name"),
    "design too big": (["sweep", "{huge_grid}", "--dry-run"], "design"),
    "folder as file": (["run", "{work}"], "is a folder"),
    "folder as strategies file": (["run", "--strategies-file", "{work}"], "strategies file"),
    "--out is a file": (["run", "--months", "2", "--out", "{empty}"], "--out"),
    "--out unwritable": (["compare", "--months", "2", "--out", "/proc/reintegrate"], "--out"),
    "scheduler not an address": (["compare", "--scheduler", "not-an-address"], "--scheduler"),
    "scheduler nobody at": (
        ["compare", "--months", "1", "--replicates", "1", "--scheduler", "tcp://127.0.0.1:1",
         "--set", "n_returnees=50", "--set", "n_communities=2"], "--scheduler"),
    "population beyond memory": (
        ["run", "--set", "n_communities=1000000", "--set", "households_per_community=100000"],
        "households"),
    "budget range beyond reason": (["compare", "--budget", "0:1e12:1"], "--budget"),
    "no returnees": (["run", "--set", "n_returnees=0", "--months", "2"], SET_NO_RETURNEES),
    "no returnees compared": (["compare", "--set", "n_returnees=0"], SET_NO_RETURNEES),
    "--months 100000": (["run", "--months", "100000"], "--months"),
    "--replicates 1e9": (["compare", "--replicates", "1000000000"], "--replicates"),
    "--workers 0": (["sweep", "{inf_spread}", "--workers", "0"], "--workers"),
    "--set nested deep": (["run", "--set", "budget=" + "[" * 3000], "budget"),
    "inherits from above": (["validate", "{inherits_above}"], "inherits"),
    "inherits any file": (["validate", "{inherits_absolute}"], "inherits"),
    "unit_cost = inf": (["validate", "{inf_unit_cost}"], "unit_cost"),
    "cash_usd = nan": (["validate", "{nan_cash}"], "cash_usd"),
    "cash_usd = 1e308": (["validate", "{huge_cash}"], "cash_usd"),
    "grid of half returnees": (["sweep", "{half_returnees}", "--dry-run"], "n_returnees"),
    "[fixed] no returnees": (["sweep", "{no_returnees_fixed}", "--dry-run"], "n_returnees"),
    "--strategies ''": (["compare", "--strategies", ""], "--strategies"),
    "--strategies ,": (["compare", "--strategies", ","], "--strategies"),
    "--port -1": (["app", "--port", "-1"], "--port"),
    "--port 70000": (["app", "--port", "70000"], "--port"),
    "targets here and on a pool": (
        ["targets", "--workers", "1", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
    "sweep here and on a pool": (
        ["sweep", "{inf_spread}", "--workers", "1", "--scheduler", "tcp://127.0.0.1:1"],
        "--scheduler"),
    "optimise no money": (["optimise", "--budget", "0"], "--budget"),
    "optimise budget nan": (["optimise", "--budget", "nan"], "--budget"),
    "optimise scenario budget 0": (["optimise", "--set", "budget=0"], "budget: 0"),
    "optimise one package": (["optimise", "--packages", "cash_grant"], "nothing to split"),
    "optimise unknown package": (["optimise", "--packages", "cash_grnt,counselling"],
                                 "cash_grant"),
    "optimise unknown targeting": (["optimise", "--targeting", "luck"], "--targeting"),
    "optimise unknown business plans": (
        ["optimise", "--business-plans", "best"],
        "--business-plans",
    ),
    "optimise negative tolerance": (["optimise", "--harm-tolerance", "-1"], "--harm-tolerance"),
    "optimise all unspent": (["optimise", "--max-unspent", "1"], "--max-unspent"),
    "optimise no trials": (["optimise", "--trials", "0"], "--trials"),
    "optimise no returnees": (["optimise", "--set", "n_returnees=0"], SET_NO_RETURNEES),
}  # fmt: skip


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_and_touches_nothing(case, tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    files = {k: str(v) for k, v in _files(work).items()}
    argv, field = CASES[case]
    argv = [a.format(**files, work=work) for a in argv]
    if "--out" not in argv and argv[0] in {"run", "compare", "sweep", "optimise"}:
        argv += ["--out", str(work / "out")]
    before = _snapshot(work)
    monkeypatch.chdir(work)  # the default results/ folders would land here
    try:
        code = main(argv)  # any exception but SystemExit fails the test: a traceback
    except SystemExit as stop:  # argparse's own checks exit at once
        code = stop.code
    lines = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(lines) == 1, lines  # one class, one problem, one line
    assert lines[0].startswith("error: ") and field in lines[0]
    assert "allowed" in lines[0] or "did you mean" in lines[0] or "pass" in lines[0]
    assert _snapshot(work) == before  # nothing written, nothing changed
    assert sorted(p.name for p in work.iterdir()) == sorted(Path(f).name for f in files.values())


def test_a_strategy_named_like_a_level_is_a_valid_strategies_file(tmp_path, capsys):
    mine = tmp_path / "mine.toml"
    mine.write_text('[structural]\ntargeting = "needs"\nshares = { cash_grant = 0.5 }\n')
    assert main(["validate", str(mine), "strategies"]) == 0
    out = capsys.readouterr().out
    assert "mine.toml: strategies" in out and "strategies.toml: strategies none" in out


def test_inherits_is_read_from_the_files_own_folder(tmp_path, monkeypatch):
    (tmp_path / "base.toml").write_text('name = "base"\n[population]\nn_returnees = 123\n')
    (tmp_path / "child.toml").write_text('name = "child"\ninherits = "base.toml"\n')
    monkeypatch.chdir("/")
    assert load_scenario(tmp_path / "child.toml").n_returnees == 123


# --- the file parsers under arbitrary TOML: a ScenarioError, or a result; nothing else ---

KEYS = st.sampled_from(
    ["name", "inherits", "population", "n_returnees", "budget", "strategies", "packages",
     "shares", "targeting", "none", "individual", "cash_grant", "level", "unit_cost",
     "design", "method", "samples", "parameters", "fixed", "replicates", "months", "seed",
     "outcomes", "spread", "low", "high", "values", "composite", "x"]
)  # fmt: skip
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["grid", "lhs", "default", "none", "needs", "composite", "individual"]),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
).filter(lambda d: isinstance(d, dict))


def _toml(doc: dict, prefix: str = "") -> str:
    """A TOML text for a generated document (inline tables, so any nesting is one line)."""

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(v), repr(v))
        if isinstance(v, str):
            return '"' + v.encode("unicode_escape").decode().replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
        return str(v)

    return "".join(f"{k} = {value(v)}\n" for k, v in doc.items())


PARSERS = {
    "scenario": lambda p: load_scenario(p),
    "strategies": lambda p: load_strategies(load_packages(), path=p),
    "experiment": lambda p: load_experiment(p),
}


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(doc=DOCS)
def test_parsers_take_any_toml_with_one_line_per_problem(parser, doc, tmp_path):
    path = tmp_path / "any.toml"
    text = _toml(doc)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # the generator's rare invalid TOML (e.g. a key twice) is the reader's case
    path.write_text(text)
    try:
        PARSERS[parser](path)
    except ScenarioError as err:
        assert err.problems and all(p and "\n" not in p for p in err.problems)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(body=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_in_one_line(body, tmp_path):
    path = tmp_path / "bytes.toml"
    path.write_bytes(body)
    for parse in PARSERS.values():
        try:
            parse(path)
        except ScenarioError as err:
            assert err.problems and all("\n" not in p for p in err.problems)


# --- legitimate but extreme questions: an answer, not a traceback ---

TINY_COMPARE = ["--set", "n_returnees=60", "--set", "n_communities=3", "--set",
                "households_per_community=30", "--replicates", "2", "--months", "3",
                "--workers", "1", "--no-worlds"]  # fmt: skip


@pytest.mark.parametrize("money", [["--budget", "0"], ["--budget", "0,0,0"],
                                   ["--set", "budget=1e-9"]])  # fmt: skip
def test_no_money_gives_a_report_in_which_every_strategy_is_no_programme(money, tmp_path):
    out = tmp_path / "out"
    assert main(["compare", *TINY_COMPARE, *money, "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv").set_index("strategy")
    assert (summary.spent < 1e-6).all()  # structural services spend a share of 1e-9 too
    outcomes = ["share_sustainable", "composite", "tension", "nonmigrant_wellbeing"]
    for strategy in summary.index:
        assert summary.loc[strategy, outcomes].tolist() == summary.loc["none", outcomes].tolist()
    assert "Where the money went" in (out / "report.html").read_text(encoding="utf-8")


def test_a_summary_of_a_run_everyone_has_left_reads_n_a():
    gone = {"scenario": "s", "strategy": "x", "seed": 0, "months": 600, "n_returnees": 2,
            "share_sustainable_m6": 0.5, "economic": None, "social": None,
            "psychosocial": None, "composite": float("nan"), "share_necessity": None,
            "tension": 0.3, "nonmigrant_wellbeing": 0.6, "spent": 10.0, "budget": 100.0,
            "cost_per_sustainable": float("inf")}  # fmt: skip
    text = format_summary(gone)
    assert "economic n/a, social n/a, psychosocial n/a, composite n/a" in text
    assert "tension 30.0" in text and "USD per sustainably" not in text  # the 0-100 scale
    assert "communities (0-100): tension 30.0" in text  # the label says the scale it prints


def test_a_run_everyone_has_left_by_the_end_is_summarised(tmp_path, capsys):
    argv = [
        "run",
        "--set",
        "n_returnees=2",
        "--set",
        "n_communities=2",
        "--set",
        "households_per_community=10",
        "--months",
        "240",
        "--out",
        str(tmp_path / "o"),
    ]
    assert main(argv) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "scores (0-100): economic" in out and "communities (0-100): tension" in out


# --- a full disk or a read-only folder: one line, the earlier output as it was ---


def _full_disk(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/x/.out.partial-1234/model.parquet")


def test_a_full_disk_is_one_line_and_the_earlier_run_stays(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    argv = ["run", "--set", "n_returnees=20", "--set", "n_communities=2", "--months", "2",
            "--out", str(out), "--force"]  # fmt: skip
    assert main(argv) == 0
    before = _snapshot(out)
    capsys.readouterr()

    def half_written(result, folder):
        (Path(folder) / "model.parquet").write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "model.parquet"))

    monkeypatch.setattr("experiments.cli.run.write", half_written)
    assert main(argv) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: --out {out}: could not write model.parquet (No space left on device); "
        "nothing was changed there"
    ]
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no half-written folder


def test_a_read_only_out_folder_is_one_line_and_kept(tmp_path, monkeypatch, capsys):
    """An empty ``--out`` made read-only (its parent writable) was swapped for a new writable
    folder; whoever made it read-only meant to keep it. Root writes anywhere, so the
    permission is played by ``os.access``."""
    out = tmp_path / "out"
    out.mkdir()
    access = os.access
    monkeypatch.setattr(
        "experiments.engine.outputs.os.access",
        lambda path, mode: access(path, mode) and Path(path) != out,
    )
    argv = ["compare", "--set", "n_returnees=20", "--set", "n_communities=2", "--replicates",
            "1", "--months", "2", "--no-worlds", "--no-report", "--out", str(out)]  # fmt: skip
    assert main(argv) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: --out {out}: cannot write there (it is read-only); allowed: a folder you can "
        "write in"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(out.iterdir())


def test_a_full_disk_in_a_sweep_is_one_line(tmp_path, monkeypatch, capsys, write_experiment):
    path = write_experiment(tmp_path / "e.toml", {"hire_rate": {"values": [0.2, 0.4]}})
    monkeypatch.setattr("experiments.sweeps.store.ParquetSink.write", _full_disk)
    code = main(["sweep", str(path), "--workers", "1", "--quiet", "--out", str(tmp_path / "s")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1, err
    assert err[0].startswith("error: ") and "No space left on device" in err[0]
    assert ".out.partial-1234/model.parquet" in err[0]


def test_a_page_is_written_whole_or_the_earlier_one_stays(tmp_path, monkeypatch):
    page = tmp_path / "validation.md"
    page.write_text("earlier")
    monkeypatch.setattr("experiments.engine.outputs.os.replace", _full_disk)
    with pytest.raises(ScenarioError) as refused:
        write_whole(page, "new", "--doc")
    assert refused.value.problems == [
        f"--doc {page}: could not write it (No space left on device); the earlier file, if "
        "any, is as it was"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["validation.md"]
    assert page.read_text() == "earlier"


# --- files reached only where they should be ---


def test_a_scenario_name_finds_only_a_shipped_ensemble(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write_ensemble(elsewhere, pd.DataFrame({"hire_rate": [0.2, 0.3]}), [0.5, 0.5],
                   {"scenario": "x", "targets_digest": "x", "simulations": 0})  # fmt: skip
    assert shipped_ensemble(os.path.relpath(elsewhere, ENSEMBLE_DIR)) is None
    assert shipped_ensemble(str(elsewhere)) is None
    assert shipped_ensemble("default") is not None  # the shipped one is still found


def test_inherits_names_a_shipped_scenario_or_a_file_beside(tmp_path):
    (tmp_path / "base.toml").write_text('name = "base"\ninherits = "urban"\n')
    (tmp_path / "child.toml").write_text('name = "child"\ninherits = "base.toml"\n')
    assert load_scenario(tmp_path / "child.toml").n_returnees == load_scenario("urban").n_returnees
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "values.toml").write_text('[population]\nn_returnees = "the secret 4242"\n')
    (tmp_path / "nosy.toml").write_text('name = "nosy"\ninherits = "secret/values.toml"\n')
    with pytest.raises(ScenarioError) as refused:
        load_scenario(tmp_path / "nosy.toml")
    assert "4242" not in " ".join(refused.value.problems)


# --- the package schema under any number: finite and in range, or one line naming it ---

AMOUNTS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e308, -1e308, 1e12, 1e13, 0.0]))  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(field=st.sampled_from(["unit_cost", "cash_usd", "business_asset_usd"]), value=AMOUNTS)
def test_a_package_takes_a_finite_amount_in_range_or_names_the_field(field, value):
    entry = {"level": "individual", "unit_cost": 100.0}
    if field == "unit_cost":
        entry["unit_cost"] = value
    else:
        entry["effects"] = {field: value}
    try:
        package = load_packages({"x": entry})["x"]
    except ScenarioError as err:
        assert len(err.problems) == 1 and field in err.problems[0]
        assert not (math.isfinite(value) and 0 < value <= 1e12)
    else:
        assert math.isfinite(value) and 0 <= value <= 1e12
        assert package.unit_cost + package.effects.visible_usd < float("inf")


def test_a_value_out_of_range_is_told_the_range_in_words_with_its_unit(tmp_path, capsys):
    """The allowed range reads as a planner would say it: "a number from 0 to 1 (share)", a
    whole number for counts, not the parameter's Python type."""
    for setting, allowed in (("share_forced=1.5", "a number from 0 to 1 (share)"),
                             ("n_returnees=-3", "a whole number from 0 to")):  # fmt: skip
        code = main(["run", "--set", setting, "--out", str(tmp_path / "out")])
        line = capsys.readouterr().err.strip()
        assert code != 0 and f"allowed: {allowed}" in line, line


class _ClosedPipe(io.StringIO):
    """Standard output whose reader has gone (``reintegrate ... | head``)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_cut_short_by_its_reader_is_no_error(monkeypatch, capsys):
    """A reader that stops early (``| head -1``) is what was asked, not a failure: no
    "error: Broken pipe" line, and the exit status of a command ended by SIGPIPE."""
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["scenarios"]) == 141
    assert capsys.readouterr().err == ""


def test_no_returnees_names_set_only_where_the_command_line_set_it():
    from experiments.cli.run import require_returnees
    from model.inputs import ScenarioError
    from model.scenario import load_scenario

    for overrides, line in (
        (["n_returnees=0"], "--set population.n_returnees: 0"),
        (["population.n_returnees=0", "budget=5"], "--set population.n_returnees: 0"),
        ([], "population.n_returnees: 0"),
    ):
        scenario = load_scenario("default", overrides)
        scenario.n_returnees = 0  # as a scenario file could say
        with pytest.raises(ScenarioError) as caught:
            require_returnees(scenario, overrides)
        assert line in str(caught.value)
        assert ("--set" in str(caught.value)) == bool(overrides)
