"""The runners and the Parquet sink that comparisons and sweeps share."""

import contextlib
import os
import time

import pandas as pd
import psutil
import pytest

from experiments.engine.parquet import Behind, ParquetSink, labels
from experiments.engine.runners import (
    DaskRunner,
    InProcessRunner,
    LocalRunner,
    Where,
    choose_runner,
    in_order,
    run_all,
)
from model.inputs import ScenarioError
from model.run import RunSpec, perform, perform_each


def _square(x: int) -> int:
    return x * x


def _die(x: int) -> int:
    os._exit(1)  # a worker process that dies without a word


def _mark_and_sleep(job: tuple) -> int:
    """Job 0 returns once job 1 has begun; job 1 notes its process, sleeps, and notes that
    it finished."""
    folder, seconds = job
    if not seconds:
        while not (folder / "pid").exists():
            time.sleep(0.01)
        return 0
    (folder / "pid").write_text(str(os.getpid()))
    time.sleep(seconds)
    (folder / "done").write_text("")
    return seconds


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


@pytest.mark.parametrize(
    ("where", "jobs", "isolate", "kind", "slots"),
    [
        (Where(workers=1), 10, False, InProcessRunner, 1),
        (Where(workers=4), 1, False, InProcessRunner, 1),  # one job: no pool to start
        (Where(workers=4), 3, False, LocalRunner, 3),  # no more processes than jobs
        (Where(workers=1), 10, True, LocalRunner, 1),  # isolated: a process even for one
        (Where(workers=2, scheduler="tcp://127.0.0.1:1"), 1, False, DaskRunner, None),
    ],
)
def test_one_place_decides_where_runs_go(where, jobs, isolate, kind, slots):
    runner = choose_runner(_square, where, jobs, isolate=isolate)
    assert type(runner) is kind
    assert slots is None or runner.slots == slots


def test_run_specifications_run_alike_here_and_in_a_pool():
    specs = [RunSpec("default", s, seed, 4, {"n_returnees": 80}, record="summary")
             for s in ("none", "integrated") for seed in (1, 2)]  # fmt: skip
    here = run_all(perform, specs, Where(workers=1), lost=None)
    pool = run_all(perform, specs, Where(workers=2), lost=None)
    assert [r.summary for r in here] == [r.summary for r in pool]
    assert [(r.strategy, r.seed) for r in pool] == [(s.strategy, s.seed) for s in specs]
    assert all(r.returnee_table is None for r in pool)  # recorded the summary only


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


def test_written_behind_the_tables_arrive_in_order_and_a_failure_is_raised(tmp_path):
    """A month's rows are written on a thread while the next month runs: the file holds every
    table in the order handed over, labels dictionary-encoded and numbers not; a write that
    fails is raised in the caller and leaves no file."""
    frames = [pd.DataFrame({"run": [i] * 50, "x": [0.5 * i] * 50,
                            "s": pd.Categorical(["a", "b"] * 25)}) for i in range(6)]  # fmt: skip
    sink = ParquetSink(tmp_path / "ok.parquet")
    with sink, Behind(sink.write, depth=1) as behind:
        for frame in frames:
            behind.write(frame)
    written = pd.read_parquet(tmp_path / "ok.parquet")
    pd.testing.assert_frame_equal(written, pd.concat(frames, ignore_index=True))
    assert labels(sink.schema) == ["s"]

    def refuse(table):
        raise OSError(28, "No space left on device")

    broken = ParquetSink(tmp_path / "broken.parquet")
    with pytest.raises(OSError, match="No space"), broken, Behind(refuse) as behind:
        for frame in frames:
            behind.write(frame)
    assert list(tmp_path.iterdir()) == [tmp_path / "ok.parquet"]


SMALL = {"n_returnees": 200}


def _final(spec: RunSpec) -> dict:
    """A job as comparisons write them: one run asked for with perform, its summary kept."""
    return perform(spec).summary


def _two_runs(seed: int) -> tuple:
    """A job asking for two runs one after the other (as a target's arms do)."""
    a = perform(RunSpec(strategy="none", seed=seed, months=6, overrides=SMALL, record="summary"))
    b = perform(RunSpec(strategy="integrated", seed=seed, months=6, overrides=SMALL))
    return a.summary, b.model_table


def test_jobs_handed_out_together_have_their_runs_made_in_batches(monkeypatch):
    """Issue 26, item 2: the runners batch the runs their jobs ask for, and every job gets
    what it gets alone, in job order; specs that cannot share a batch go apart."""
    import model.run

    sizes = []
    made = model.run.perform_batch

    def counted(specs):
        sizes.append(len(specs))
        return made(specs)

    monkeypatch.setattr(model.run, "perform_batch", counted)
    specs = [RunSpec(strategy=s, seed=i, months=6, overrides=SMALL, record="summary")
             for i in range(3) for s in ("none", "integrated")]  # fmt: skip
    specs.append(RunSpec(seed=0, months=4, overrides=SMALL, record="summary"))  # another length
    alone = [_final(spec) for spec in specs]
    assert run_all(_final, specs, Where(workers=1, batch=4), lost=None) == alone
    assert sorted(sizes) == [2, 4]  # 4 jobs at once, then 3: 2 of a length, 1 made alone
    sizes.clear()
    expected = [_two_runs(seed) for seed in range(3)]
    for got, want in zip(
        run_all(_two_runs, range(3), Where(1, batch=3), None), expected, strict=True
    ):
        assert got[0] == want[0]
        pd.testing.assert_frame_equal(got[1], want[1], check_exact=True)
    assert sizes == [3, 3]


def _arms(n: int) -> list[RunSpec]:
    """Two runs of one job, at the job's own parameters (as a calibration particle's arms)."""
    own = {"n_returnees": 200 + 10 * n}
    return [RunSpec(strategy=s, seed=n, months=6, overrides=own, record="summary")
            for s in ("none", "integrated")]  # fmt: skip


def _arms_at_once(n: int) -> list[dict]:
    return [result.summary for result in perform_each(_arms(n))]


def test_runs_a_job_asks_at_once_are_batched_with_each_other(monkeypatch):
    """Jobs of different parameters (no two jobs' runs can share a batch) still have their
    own runs made together, and each run is the run alone."""
    import model.run

    sizes = []
    made = model.run.perform_batch
    monkeypatch.setattr(model.run, "perform_batch", lambda s: sizes.append(len(s)) or made(s))
    alone = [[perform(spec).summary for spec in _arms(n)] for n in range(3)]
    assert run_all(_arms_at_once, range(3), Where(workers=1, batch=3), lost=None) == alone
    assert sizes == [2, 2, 2]


def test_a_job_whose_run_fails_raises_its_own_error_in_a_batch():
    wrong = {"share_forced": 7.0}
    specs = [RunSpec(seed=0, months=3, overrides=SMALL, record="summary"),
             RunSpec(seed=1, months=3, overrides=wrong, record="summary")]  # fmt: skip
    with pytest.raises(ScenarioError, match="share_forced"):
        run_all(_final, specs, Where(workers=1, batch=2), lost=None)


def test_a_batch_size_below_one_is_refused_in_one_line():
    with pytest.raises(ScenarioError, match="batch: 0 is not allowed"):
        InProcessRunner(_square, 0)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_a_runner_left_on_an_interrupt_ends_its_workers_instead_of_waiting(tmp_path, stop):
    """Ctrl-C (or an error) while a job is in flight: its result is not wanted (a sweep makes
    an unfinished batch again on --resume), so its worker is ended, not waited for; waiting
    made Ctrl-C slow, and a second Ctrl-C then hung the command for good."""
    runner = LocalRunner(_mark_and_sleep, 2, batch=1)
    with pytest.raises(stop), runner:
        for _ in runner.results([(tmp_path, 0), (tmp_path, 30)], lost=None):
            raise stop
    worker = int((tmp_path / "pid").read_text())
    assert not (tmp_path / "done").exists()
    with contextlib.suppress(psutil.NoSuchProcess):
        assert psutil.Process(worker).status() == psutil.STATUS_ZOMBIE


def test_a_connection_broken_by_a_dying_scheduler_is_read_as_the_scheduler_gone(monkeypatch):
    """A scheduler killed mid-sweep resets its connections a moment before its port stops
    listening (seen once in CI): a broken connection waits for the scheduler to be seen gone
    and says so, not "install the project"; any other error is the worker's, at once."""
    from types import SimpleNamespace

    from experiments.engine import runners

    runner = DaskRunner(lambda job: job, "tcp://127.0.0.1:1")
    runner.client = SimpleNamespace(status="running")
    listening_until = time.monotonic() + 0.6
    monkeypatch.setattr(runners, "_answers", lambda address: time.monotonic() < listening_until)
    gone = runner._failed(ConnectionResetError("Connection reset by peer"))
    assert "the scheduler stopped answering" in str(gone) and "--resume" in str(gone)
    listening_until = time.monotonic() + 60
    started = time.monotonic()
    broken = runner._failed(ValueError("no module named model"))
    assert "install the project" in str(broken) and time.monotonic() - started < 1
