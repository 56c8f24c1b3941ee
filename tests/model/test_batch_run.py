"""The model class under ``mesa.batch_run``: keyword parameters, ``rng=`` seeds, stopping."""

import multiprocessing

import pytest
from mesa.batchrunner import batch_run

from model.model import ReintegrationModel
from model.run import run

SMALL = {"n_returnees": 100, "n_communities": 4}


@pytest.fixture(autouse=True)
def _restore_start_method():
    """batch_run forces the 'spawn' start method for the whole process; put it back."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def _batch(parameters, max_steps):
    return batch_run(
        ReintegrationModel,
        parameters=parameters,
        rng=[1, 2],
        max_steps=max_steps,
        number_processes=1,
        display_progress=False,
    )


def test_batch_run_rows_match_the_run_function():
    rows = _batch({**SMALL, "strategy": ["none", "integrated"], "months": 3}, max_steps=3)
    assert len(rows) == 2 * 2
    assert {(r["strategy"], r["rng"]) for r in rows} == {
        (s, seed) for s in ("none", "integrated") for seed in (1, 2)
    }
    for r in rows:
        assert r["Step"] == 3 and r["months"] == 3
        assert r["n_returnees"] == SMALL["n_returnees"]
        assert 0 <= r["share_sustainable"] <= 1
        summary = run("default", r["strategy"], r["rng"], 3, overrides=SMALL, tables=False).summary
        assert r["composite"] == summary["composite"]  # same model, same seed, same numbers
        assert r["spent"] == summary["spent"]
    assert all(r["spent"] == 0 for r in rows if r["strategy"] == "none")


def test_months_stops_the_model_before_max_steps():
    rows = _batch({**SMALL, "months": 2}, max_steps=50)
    assert [r["Step"] for r in rows] == [2, 2]


def test_max_steps_stops_a_model_without_months():
    rows = _batch({**SMALL, "budget": [1e5, 5e5]}, max_steps=3)
    assert len(rows) == 4 and all(r["Step"] == 3 for r in rows)
    assert all(r["spent"] <= r["budget"] for r in rows)
