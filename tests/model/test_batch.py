"""Issue 26, item 1: many worlds stepped together give each world the results it has alone."""

import hashlib
import pickle
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from model import run as run_module
from model.run import RunResult, RunSpec, batchable, perform, perform_batch, perform_each

SMALL = {"n_returnees": 300}
#: Three worlds: different seeds, strategies, and what they record.
SPECS = [
    RunSpec(strategy="integrated", seed=11, months=12, overrides=SMALL),
    RunSpec(strategy="individual", seed=12, months=12, overrides=SMALL),
    RunSpec(strategy="community", seed=11, months=12, overrides=SMALL, record="months"),
]
TABLES = ("model_table", "returnee_table", "community_table", "profiles", "received")


def table_hash(frame: pd.DataFrame) -> str:
    """As benchmarks/hash_outputs.py hashes a table: column names, dtypes and every value."""
    digest = hashlib.sha256()
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def assert_same(a: RunResult, b: RunResult) -> None:
    for name in TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
            assert table_hash(x) == table_hash(y), name
    assert a.summary == b.summary
    assert len(a.states) == len(b.states)
    for s, t in zip(a.states, b.states, strict=True):
        for part in ("returnees", "households", "indicators"):
            for key, values in getattr(s, part).items():
                pd.testing.assert_series_equal(
                    pd.Series(values), pd.Series(getattr(t, part)[key]), check_exact=True
                )


@pytest.fixture(scope="module")
def alone() -> list[RunResult]:
    return [perform(spec) for spec in SPECS]


def test_a_world_in_a_batch_is_the_world_alone(alone):
    for a, b in zip(alone, perform_batch(SPECS), strict=True):
        assert_same(a, b)


def test_a_world_does_not_depend_on_its_place_or_its_batch_mates(alone):
    """Reordered, with a fourth world, or with itself twice: each world as alone."""
    extra = RunSpec(strategy="none", seed=13, months=12, overrides=SMALL)
    order = [2, 0, 1]
    batch = perform_batch([extra, *(SPECS[i] for i in order), SPECS[0]])
    for i, result in zip(order, batch[1:4], strict=True):
        assert_same(alone[i], result)
    assert_same(alone[0], batch[4])


def test_strategies_of_a_seed_share_their_population_in_a_batch():
    """Common random numbers hold in a batch: one seed, one population, whatever strategy."""
    batch = perform_batch([SPECS[0], replace(SPECS[0], strategy="none")])
    pd.testing.assert_frame_equal(batch[0].profiles, batch[1].profiles, check_exact=True)
    assert not batch[0].model_table.equals(batch[1].model_table)


def test_worlds_of_different_parameters_are_not_batched_together():
    """A parameter that differs makes another batch (and a world stepped alone is refused)."""
    other = RunSpec(strategy="integrated", seed=11, months=12, overrides={"n_returnees": 200})
    assert batchable(other) != batchable(SPECS[0])
    assert batchable(SPECS[0]) == batchable(SPECS[1])
    with pytest.raises(ValueError, match="one scenario and length"):
        perform_batch([SPECS[0], other])


def test_a_batch_is_the_same_in_another_process(alone):
    code = (
        "import sys, pickle; from model.run import perform_batch; "
        "sys.stdout.buffer.write(pickle.dumps([r.model_table for r in "
        "perform_batch(pickle.loads(sys.stdin.buffer.read()))]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(SPECS), capture_output=True, check=True
    ).stdout
    for a, table in zip(alone, pickle.loads(out), strict=True):
        pd.testing.assert_frame_equal(a.model_table, table, check_exact=True)


def test_runs_asked_at_once_are_batched_by_what_they_share(alone, monkeypatch):
    """A calibration simulation's arms: those of one scenario and length stepped together
    (another length made alone), each result the run alone, in the order asked."""
    shorter = RunSpec(strategy="none", seed=11, months=8, overrides=SMALL)
    sizes = []
    batch = run_module.perform_batch
    monkeypatch.setattr(
        run_module, "perform_batch", lambda specs: sizes.append(len(specs)) or batch(specs)
    )
    results = perform_each([SPECS[0], shorter, SPECS[1], SPECS[2]])
    assert sizes == [3]
    for a, b in zip(alone, [results[0], *results[2:]], strict=True):
        assert_same(a, b)
    assert_same(perform(shorter), results[1])
