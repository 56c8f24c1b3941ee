"""Local sweeps: same rows with 1 or N workers, failed runs as data, kill -9 and resume."""

import math
import os
import shlex
import signal
import subprocess
import sys
import time

import dask.config
import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest
import yaml

from experiments import cli
from experiments.cli import sweeps as cli_sweeps
from experiments.engine.runners import DASK_SETTINGS
from experiments.sweeps.designs import ID_COLUMNS
from experiments.sweeps.experiment_file import load_experiment
from experiments.sweeps.store import Store
from experiments.sweeps.sweep import MAX_BATCH, batch_sizes, make_batches, sweep
from model.inputs import ScenarioError

RANGES = {"hire_rate": {"spread": 0.5}, "acceptance_rate": {"spread": 0.5}}


@pytest.fixture
def small(tmp_path, write_experiment):
    """An LHS design of 12 points x 2 strategies x 2 replicates = 48 tiny runs."""
    return load_experiment(
        write_experiment(
            tmp_path / "small.toml",
            RANGES,
            method="lhs",
            samples=12,
            strategies=["none", "integrated"],
            replicates=2,
        )
    )


def test_one_or_two_workers_give_identical_rows(small, tmp_path):
    one = sweep(small, tmp_path / "one", workers=1, size=48, progress=False)
    two = sweep(small, tmp_path / "two", workers=2, size=5, progress=False)
    guided = sweep(small, tmp_path / "guided", workers=2, progress=False)
    assert one.made == two.made == guided.made == 48 and one.failed == two.failed == 0
    a, b = Store(tmp_path / "one").read(), Store(tmp_path / "two").read()
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, Store(tmp_path / "guided").read())
    assert a["run_id"].tolist() == list(range(48))
    assert list(a.columns) == [*ID_COLUMNS, *small.names, *small.outcomes, "error"]
    design = small.runs()
    pd.testing.assert_frame_equal(a[design.columns], design, check_dtype=False)
    assert len(Store(tmp_path / "two").pieces()) == 10  # ceil(48 / 5) finished batches
    assert len(Store(tmp_path / "guided").pieces()) == len(list(batch_sizes(48, 2)))


@pytest.mark.parametrize("slots", [1, 2, 3, 128])
@pytest.mark.parametrize("n_runs", [1, 7, 48, 1440, 12288])
def test_batches_shrink_to_single_runs_at_the_end(n_runs, slots):
    sizes = list(batch_sizes(n_runs, slots))
    assert sum(sizes) == n_runs
    assert all(1 <= s <= MAX_BATCH for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # the big batches go first
    assert sizes[-1] == 1  # the last worker to finish waits for one run, not for a batch
    for i, size in enumerate(sizes[:-1]):  # while one slot makes a batch, the others have
        assert size == 1 or sum(sizes[i + 1 :]) >= (slots - 1) * size  # as much left to do
    assert len(sizes) <= n_runs / MAX_BATCH + 2 * slots * (1 + math.log(n_runs))  # few pieces


def test_batches_hold_every_run_left_exactly_once_in_design_order(small):
    runs = small.runs()
    todo = runs[runs["run_id"] % 3 != 0]  # as after a resume: some runs already done
    batches = make_batches(small, todo, batch_sizes(len(todo), 2))
    ids = [spec["run_id"] for batch in batches for spec in batch.runs]
    assert ids == todo["run_id"].tolist()
    assert [len(b.runs) for b in batches] == list(batch_sizes(len(todo), 2))
    assert [spec["seed"] for b in batches for spec in b.runs] == todo["seed"].tolist()


def test_a_failed_run_is_a_row_with_its_error(tmp_path, capsys, write_experiment):
    # 2,000 returnees fit into 8 villages (3,600 places) but not into 4 (1,800): one of the
    # four grid points fails when its run starts, and only that one.
    path = write_experiment(
        tmp_path / "fails.toml",
        {"n_returnees": {"values": [100, 2000]}, "n_communities": {"values": [4, 8]}},
        fixed={"households_per_community": 150, "max_returnees_per_household": 3},
        months=2,
    )
    out = tmp_path / "out"
    assert cli.main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert "1 failed" in capsys.readouterr().out
    rows = Store(out).read()
    bad = rows[rows["error"].notna()]
    assert len(rows) == 4 and len(bad) == 1
    assert (bad["n_returnees"].iloc[0], bad["n_communities"].iloc[0]) == (2000, 4)
    assert "ScenarioError" in bad["error"].iloc[0]
    assert bad[list(load_experiment(path).outcomes)].isna().all(axis=None)
    assert rows.loc[rows["error"].isna(), "composite"].notna().all()


def test_an_existing_sweep_is_not_overwritten_without_resume(small, tmp_path, capsys):
    sweep(small, tmp_path / "out", workers=1, progress=False)
    before = Store(tmp_path / "out").pieces()
    args = ["sweep", str(tmp_path / "small.toml"), "--out", str(tmp_path / "out"), "--quiet"]
    assert cli.main(args) == 2
    assert "--resume" in capsys.readouterr().err
    assert Store(tmp_path / "out").pieces() == before
    again = sweep(small, tmp_path / "out", workers=1, resume=True, progress=False)
    assert again.made == 0 and again.before == 48


def test_resume_refuses_a_changed_design(small, tmp_path):
    sweep(small, tmp_path / "out", workers=1, progress=False)
    bigger = load_experiment(tmp_path / "small.toml", samples=24)
    with pytest.raises(ScenarioError, match="swept with --samples 12 --replicates 2"):
        sweep(bigger, tmp_path / "out", workers=1, resume=True, progress=False)
    other = tmp_path / "other.toml"
    other.write_text((tmp_path / "small.toml").read_text().replace("spread = 0.5", "spread = 0.4"))
    with pytest.raises(ScenarioError, match="different experiment"):
        sweep(load_experiment(other), tmp_path / "out", workers=1, resume=True, progress=False)


def _start_sweep(path, out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", "sweep", str(path), "--out", str(out)]
        + ["--workers", "2", "--batch-size", "4", "--quiet", *extra],
        start_new_session=True,  # its own process group: kill -9 reaches its workers too
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_pieces(store, proc, n=1, timeout=120):
    deadline = time.monotonic() + timeout
    while len(store.pieces()) < n:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no finished piece appeared"
        time.sleep(0.02)


@pytest.fixture
def longer(tmp_path, write_experiment):
    """240 runs of 8 months: long enough to be killed part-way."""
    return write_experiment(
        tmp_path / "longer.toml",
        RANGES,
        method="lhs",
        samples=60,
        strategies=["none", "integrated"],
        replicates=2,
        months=8,
    )


def test_kill_9_then_resume_makes_every_run_exactly_once(longer, tmp_path):
    out = tmp_path / "out"
    store = Store(out)
    proc = _start_sweep(longer, out)
    _wait_for_pieces(store, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    survivors = store.pieces()
    for piece in survivors:
        pq.read_table(piece)  # every visible piece is whole
    done = store.done_ids()
    assert 0 < len(done) < 240, "the sweep was not killed part-way"

    resumed = _start_sweep(longer, out, "--resume")
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    rows = store.read()
    assert rows["run_id"].tolist() == list(range(240))  # each run exactly once
    assert rows["error"].isna().all()
    assert set(survivors) <= set(store.pieces())  # nothing finished was redone
    assert not list(out.rglob(".*.tmp"))
    assert len(pd.read_parquet(out / "runs")) == 240  # readable as one dataset


def test_a_killed_worker_process_is_replaced_and_its_runs_redone(longer, tmp_path):
    out = tmp_path / "out"
    store = Store(out)
    proc = _start_sweep(longer, out)
    _wait_for_pieces(store, proc)
    server = [
        p for p in psutil.Process(proc.pid).children() if "forkserver" in " ".join(p.cmdline())
    ]
    workers = server[0].children()
    assert workers, "no worker processes found"
    workers[0].kill()
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    rows = store.read()
    assert rows["run_id"].tolist() == list(range(240))
    assert rows["error"].isna().all()


def test_the_project_dask_settings_name_real_dask_settings_and_change_them():
    """Dask ignores a misspelt key silently: each one must exist and differ from its default."""
    import distributed  # noqa: F401 - registers distributed's defaults

    def dotted(tree: dict) -> dict:  # {"a": {"b": 1}} -> {"a.b": 1}
        return pd.json_normalize(tree).iloc[0].to_dict()

    ours = dotted(yaml.safe_load((DASK_SETTINGS / "sweep.yaml").read_text()))
    defaults = dotted(dask.config.merge(*dask.config.defaults))
    assert ours, "experiments/files/dask-config/sweep.yaml sets nothing"
    for key, value in ours.items():
        assert key in defaults, f"{key} is not a Dask setting"
        assert value != defaults[key], f"{key}: {value} is already Dask's default"


def _hinted_command(err: str) -> list[str]:
    """The command a sweep's last line tells the user to type, as arguments of the CLI."""
    command = err.split("with: ", 1)[1].strip()
    words = shlex.split(command)
    assert words[:2] == ["reintegrate", "sweep"], command
    return words[1:]


@pytest.mark.parametrize("folder", ["out", "out dir"])
def test_the_command_an_interrupted_sweep_prints_resumes_it(
    small, tmp_path, capsys, monkeypatch, folder
):
    """A sweep scaled with --samples and --replicates is interrupted: the command it prints
    must carry the same scaling, or the sweep it names is refused as another design (and a
    folder's name with a space must stay one argument)."""

    def interrupted(exp, out, **kwargs):
        sweep(exp, out, **{**kwargs, "size": 5})
        for piece in Store(out).pieces()[::2]:  # some batches never finished
            piece.unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_sweeps, "sweep", interrupted)
    out = tmp_path / folder
    args = ["sweep", str(tmp_path / "small.toml"), "--out", str(out), "--quiet"]
    assert cli.main([*args, "--samples", "6", "--replicates", "1", "--workers", "1"]) == 130
    monkeypatch.undo()
    assert cli.main(_hinted_command(capsys.readouterr().err)) == 0
    rows = Store(out).read()
    assert rows["run_id"].tolist() == list(range(6 * 2 * 1))


def test_resuming_with_another_scaling_names_the_one_swept(small, tmp_path):
    """The refusal says which --samples and --replicates the folder's sweep was made with."""
    sweep(small, tmp_path / "out", workers=1, progress=False)
    fewer = load_experiment(tmp_path / "small.toml", replicates=1)
    with pytest.raises(ScenarioError, match="swept with --samples 12 --replicates 2; allowed"):
        sweep(fewer, tmp_path / "out", workers=1, resume=True, progress=False)


def test_a_folder_of_other_files_is_refused_and_left_as_it_was(small, tmp_path):
    """Refused, the sweep leaves nothing behind in someone else's folder, not even its lock."""
    out = tmp_path / "notes"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="not a sweep"):
        sweep(small, out, workers=1, progress=False)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_a_runs_folder_that_takes_no_files_is_refused_before_any_run(small, tmp_path, capsys):
    """A sweep's folder whose runs/ cannot take a file (here a link into /proc; read-only
    elsewhere): one line and exit 2 before any run, not an OSError after the first batch."""
    out = tmp_path / "out"
    sweep(small, out, workers=1, size=12, progress=False)
    for piece in Store(out).pieces():
        piece.unlink()
    (out / "runs").rmdir()
    (out / "runs").symlink_to("/proc/self")
    manifest = (out / "experiment.json").read_bytes()
    args = ["sweep", str(tmp_path / "small.toml"), "--out", str(out), "--resume", "--quiet"]
    assert cli.main([*args, "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "runs: cannot write there" in err[0] and "allowed" in err[0], err
    assert (out / "experiment.json").read_bytes() == manifest
