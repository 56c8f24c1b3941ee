"""The runners and the Parquet sink that comparisons and sweeps share."""

import os

import pandas as pd
import pytest

from experiments.engine.parquet import ParquetSink
from experiments.engine.runners import InProcessRunner, LocalRunner, in_order
from model.inputs import ScenarioError


def _square(x: int) -> int:
    return x * x


def _die(x: int) -> int:
    os._exit(1)  # a worker process that dies without a word


def test_in_order_holds_results_back_until_their_turn():
    finished = [(2, "c"), (0, "a"), (3, "d"), (1, "b")]
    assert list(in_order(finished)) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("runner", [InProcessRunner(_square), LocalRunner(_square, 2)])
def test_every_job_once_with_its_index(runner):
    with runner:
        results = dict(runner.results(range(7), lost=None))
    assert results == {i: i * i for i in range(7)}


def test_a_job_whose_worker_keeps_dying_goes_to_lost():
    with LocalRunner(_die, 1) as runner:
        results = list(runner.results([5], lost=lambda job, why: (job, why)))
    assert results == [(0, (5, "worker process died"))]


def test_no_workers_is_refused():
    with pytest.raises(ScenarioError, match="--workers"):
        LocalRunner(_square, 0)


def test_the_sink_publishes_the_whole_table_or_nothing(tmp_path):
    frames = [pd.DataFrame({"run": [i, i], "x": [0.5, 1.5]}) for i in range(3)]
    with ParquetSink(tmp_path / "ok.parquet") as sink:
        for frame in frames:
            sink.write(frame)
        assert not (tmp_path / "ok.parquet").exists()
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "ok.parquet"), pd.concat(frames, ignore_index=True)
    )
    with pytest.raises(RuntimeError), ParquetSink(tmp_path / "broken.parquet") as sink:
        sink.write(frames[0])
        raise RuntimeError("a run failed")
    assert list(tmp_path.iterdir()) == [tmp_path / "ok.parquet"]
