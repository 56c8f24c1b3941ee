"""Bad input, as a hostile tester gives it: one line naming the field, the value and what is
allowed; a non-zero exit; no traceback; nothing written and nothing destroyed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import main
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
        "bool_replicates": b"replicates = true\n" + EXPERIMENT.encode(),
        "text_months": EXPERIMENT.replace("months = 2", 'months = "3"').encode(),
        "inf_spread": EXPERIMENT.encode() + b"[parameters]\nhire_rate = { spread = inf }\n",
        "fixed_and_varied": EXPERIMENT.replace("[fixed]", "[fixed]\nhire_rate = 0.3").encode()
        + b"[parameters]\nhire_rate = { values = [0.2, 0.4] }\n",
        "outcome_twice": EXPERIMENT.replace(
            'months = 2', 'months = 2\noutcomes = ["composite", "composite"]'
        ).encode(),
        "escaping_name": EXPERIMENT.replace('name = "x"', 'name = "../x"').encode(),
        "absolute_name": EXPERIMENT.replace('name = "x"', 'name = "/tmp/x"').encode(),
        "empty_name": EXPERIMENT.replace('name = "x"', 'name = ""').encode(),
        "huge_grid": EXPERIMENT.replace('method = "grid"', 'method = "grid"\nlevels = 1000')
        .replace("[fixed]", "[parameters]\nhire_rate = { spread = 0.5 }\nacceptance_rate = "
                 "{ spread = 0.5 }\nvisibility_fade = { spread = 0.5 }\n[fixed]").encode(),
    }  # fmt: skip
    paths = {}
    for name, body in files.items():
        paths[name] = tmp_path / f"{name}.toml"
        paths[name].write_bytes(body)
    return paths


# (arguments with {files[...]}, {work} and {out} to fill in, the field the line must name)
CASES = {
    "non-UTF-8 scenario": (["validate", "{non_utf8}"], "non_utf8.toml"),
    "non-UTF-8 strategies": (["run", "--strategies-file", "{non_utf8}"], "non_utf8.toml"),
    "non-UTF-8 experiment": (["sweep", "{non_utf8}", "--dry-run"], "non_utf8.toml"),
    "deeply nested TOML": (["validate", "{deep}"], "deep.toml"),
    "empty scenario": (["run", "{empty}", "--months", "2"], "empty.toml"),
    "none redefined": (["compare", "--strategies-file", "{redefines_none}"], "none"),
    "replicates = true": (["sweep", "{bool_replicates}", "--dry-run"], "replicates"),
    'months = "3"': (["sweep", "{text_months}", "--dry-run"], "months"),
    "spread = inf": (["sweep", "{inf_spread}", "--dry-run"], "spread"),
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
    "no returnees": (["run", "--set", "n_returnees=0", "--months", "2"], "n_returnees"),
    "no returnees compared": (["compare", "--set", "n_returnees=0"], "n_returnees"),
    "--months 100000": (["run", "--months", "100000"], "--months"),
    "--replicates 1e9": (["compare", "--replicates", "1000000000"], "--replicates"),
    "--workers 0": (["sweep", "{inf_spread}", "--workers", "0"], "--workers"),
    "--set nested deep": (["run", "--set", "budget=" + "[" * 3000], "budget"),
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
    if "--out" not in argv and argv[0] in {"run", "compare", "sweep"}:
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
