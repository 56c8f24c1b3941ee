"""The ensemble file: what is written reads back, draws follow the weights and the seed, and a
bad file is one line naming the file and what is wrong."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from experiments.calibration import ensemble as en
from model.inputs import ScenarioError
from model.parameters import PARAMETERS

META = {"scenario": "default", "targets_digest": "abc123", "simulations": 500}


def _particles(n: int = 5) -> pd.DataFrame:
    """Particles spread over two parameters' table ranges, one of them an integer."""
    names = ["hire_rate", "community_critical_mass"]
    rows = {}
    for name in names:
        p = PARAMETERS[name]
        rows[name] = np.linspace(p.low, p.high, n)
    return pd.DataFrame(rows)


def test_an_ensemble_reads_back_as_written(tmp_path):
    parameters = _particles()
    weights = np.array([1.0, 2.0, 3.0, 0.0, 4.0])
    path = en.write_ensemble(tmp_path / "cal", parameters, weights, META)
    assert path == tmp_path / "cal" / en.POSTERIOR
    back = en.read_ensemble(tmp_path / "cal")
    pd.testing.assert_frame_equal(back.parameters, parameters.astype(float))
    np.testing.assert_allclose(back.weights, weights / weights.sum())
    assert back.meta["parameters"] == list(parameters.columns)
    assert {k: back.meta[k] for k in META} == META
    assert back.meta["created"]
    assert not list((tmp_path / "cal").glob(".*"))  # nothing half-written left beside it


def test_draws_are_reproducible_from_the_seed_and_within_the_ranges(tmp_path):
    en.write_ensemble(tmp_path, _particles(), np.ones(5), META)
    e = en.read_ensemble(tmp_path)
    assert e.draws(20, seed=3) == e.draws(20, seed=3)
    assert e.draws(20, seed=3) != e.draws(20, seed=4)
    for draw in e.draws(20, seed=3):
        assert set(draw) == {"hire_rate", "community_critical_mass"}
        assert isinstance(draw["community_critical_mass"], int)
        for name, value in draw.items():
            assert PARAMETERS[name].low <= value <= PARAMETERS[name].high


def test_a_heavily_weighted_particle_is_drawn_most(tmp_path):
    parameters = _particles()
    en.write_ensemble(tmp_path, parameters, [1, 1, 1, 97, 1], META)
    draws = en.read_ensemble(tmp_path).draws(1000, seed=0)
    heavy = parameters.loc[3, "hire_rate"]
    share = np.mean([d["hire_rate"] == heavy for d in draws])
    assert share > 0.85  # expected 0.97; each of the others ~0.01


def test_the_shipped_ensemble_is_found_only_where_one_is(tmp_path, monkeypatch):
    monkeypatch.setattr(en, "ENSEMBLE_DIR", tmp_path)
    assert en.shipped_ensemble("default") is None
    en.write_ensemble(tmp_path / "default", _particles(), np.ones(5), META)
    assert en.shipped_ensemble("default") == tmp_path / "default"


def _write_raw(path, frame: pd.DataFrame, meta) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if meta is not None:
        table = table.replace_schema_metadata({en.META_KEY: meta})
    pq.write_table(table, path)


def _good() -> pd.DataFrame:
    return _particles(2).assign(weight=[0.5, 0.5])


def _meta(**changes) -> str:
    return json.dumps({**META, "parameters": list(_particles().columns), **changes})


@pytest.mark.parametrize(
    ("frame", "meta", "problem"),
    [
        (_good(), None, "no 'reintegrate' metadata"),
        (_good(), "{not json", "not JSON"),
        (_good(), _meta(simulations="many"), "'simulations': missing or not int"),
        (_good().drop(columns="weight"), _meta(), "no 'weight' column"),
        (_good().rename(columns={"hire_rate": "hire_rat"}), _meta(), "unknown parameter"),
        (_good().assign(weight=[0.5, 0.7]), _meta(), "weight: they sum to 1.2; allowed"),
        (_good().assign(weight=[1.5, -0.5]), _meta(), "weight: -0.5 is negative; allowed"),
        (_good().assign(budget=[1.0, 2.0]), _meta(), "budget describe the context"),
        (_good().assign(hire_rate=[0.1, 99.0]), _meta(), "hire_rate: values"),
        (_good().assign(hire_rate=[0.1, np.nan]), _meta(), "not a number"),
        (_good(), _meta(parameters=["hire_rate"]), "differ from the columns"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_file_and_the_problem(tmp_path, frame, meta, problem):
    path = tmp_path / en.POSTERIOR
    _write_raw(path, frame, meta)
    with pytest.raises(ScenarioError) as err:
        en.read_ensemble(tmp_path)
    assert len(err.value.problems) == 1
    line = err.value.problems[0]
    assert str(path) in line and problem in line and "\n" not in line


@pytest.mark.parametrize(
    ("content", "problem"), [(None, "no such file"), (b"garbage", "not a readable Parquet")]
)
def test_a_missing_or_broken_file_is_one_line(tmp_path, content, problem):
    if content is not None:
        (tmp_path / en.POSTERIOR).write_bytes(content)
    with pytest.raises(ScenarioError) as err:
        en.read_ensemble(tmp_path)
    assert len(err.value.problems) == 1 and problem in err.value.problems[0]
    assert "\n" not in err.value.problems[0]


def test_writing_bad_particles_is_refused_and_writes_nothing(tmp_path):
    bad = _particles().assign(hire_rate=-1.0)
    with pytest.raises(ScenarioError, match="hire_rate: values"):
        en.write_ensemble(tmp_path, bad, np.ones(5), META)
    with pytest.raises(ScenarioError, match="weights must be >= 0"):
        en.write_ensemble(tmp_path, _particles(), -np.ones(5), META)
    assert not list(tmp_path.iterdir())
