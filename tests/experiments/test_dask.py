"""Sweeps on a real Dask cluster: ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1."""

import os
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest

from experiments.calibration.ensemble import write_ensemble
from experiments.cli import main
from experiments.engine.runners import DASK_SETTINGS
from experiments.sweeps.experiment_file import load_experiment
from experiments.sweeps.store import Store
from experiments.sweeps.sweep import sweep
from tests.experiments.conftest import SMALL

pytestmark = pytest.mark.distributed

DASK = [sys.executable, "-m", "dask"]
START_TIMEOUT = 90
# as docs/researchers.md starts a cluster: the project's Dask settings, the model preloaded
DASK_ENV = {**os.environ, "DASK_CONFIG": str(DASK_SETTINGS)}
PRELOAD = ["--preload", "experiments.sweeps.batches"]
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": DASK_ENV}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_worker(address, processes):
    # --no-nanny: a killed worker stays dead, so the scheduler must move its tasks elsewhere
    cmd = [*DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1"]
    cmd += ["--no-dashboard", "--no-nanny", *PRELOAD]
    proc = subprocess.Popen(cmd, **QUIET)
    processes.append(proc)
    return proc


def _wait_for_workers(address, n):
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=START_TIMEOUT)


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and two workers as separate processes; all killed at the end."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = [*DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port)]
    processes = [subprocess.Popen([*scheduler, "--no-dashboard", *PRELOAD], **QUIET)]
    try:
        for _ in range(2):
            _start_worker(address, processes)
        _wait_for_workers(address, 2)
        yield address, processes
    finally:
        for proc in processes:
            proc.kill()
        for proc in processes:
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def experiment_file(tmp_path_factory, write_experiment):
    """15 LHS points x 2 strategies x 2 replicates = 60 tiny runs."""
    return write_experiment(
        tmp_path_factory.mktemp("dask") / "on_dask.toml",
        {"hire_rate": {"spread": 0.5}, "visibility_fade": {"spread": 0.5}},
        method="lhs",
        samples=15,
        strategies=["individual", "community"],
        replicates=2,
    )


@pytest.fixture(scope="module")
def experiment(experiment_file):
    return load_experiment(experiment_file)


@pytest.fixture(scope="module")
def local_rows(experiment, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    sweep(experiment, out, workers=2, size=7, progress=False)
    return Store(out).read()


def test_rows_on_dask_equal_the_local_rows(cluster, experiment, local_rows, tmp_path):
    address, _ = cluster
    report = sweep(experiment, tmp_path, scheduler=address, size=4, progress=False)
    assert report.made == 60 and report.failed == 0
    assert "Dask" in report.runner
    pd.testing.assert_frame_equal(Store(tmp_path).read(), local_rows)


def test_runs_of_a_lost_worker_are_redone_elsewhere(cluster, experiment_file, local_rows, tmp_path):
    address, processes = cluster
    doomed = _start_worker(address, processes)
    _wait_for_workers(address, 3)
    sweep_cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(experiment_file)]
    proc = subprocess.Popen(
        [*sweep_cmd, "--out", str(tmp_path / "out"), "--scheduler", address, "--batch-size", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    store = Store(tmp_path / "out")
    deadline = time.monotonic() + START_TIMEOUT
    while not store.pieces() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    doomed.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    pd.testing.assert_frame_equal(store.read(), local_rows)


def test_the_cluster_runs_with_the_project_dask_settings(cluster):
    """DASK_CONFIG reaches the scheduler and every worker, as the docs start them."""
    import dask
    from distributed import Client

    key = "distributed.worker.profile.enabled"
    with Client(cluster[0], timeout=START_TIMEOUT, set_as_default=False) as client:
        on_workers = client.run(dask.config.get, key)
        on_scheduler = client.run_on_scheduler(dask.config.get, "distributed.admin.tick.interval")
    assert len(on_workers) >= 2 and not any(on_workers.values())
    assert on_scheduler == "1s"


def test_compare_on_dask_gives_the_tables_it_gives_here(cluster, tmp_path):
    """The comparison goes through the same runners: same seeds, same rows, same order."""
    args = ["compare", *SMALL, "--months", "3", "--replicates", "2",
            "--strategies", "individual", "--no-report", "--out"]  # fmt: skip
    _same_here_and_on_dask(args, cluster, tmp_path, ["runs.csv", "summary.csv",
                           "left_behind.csv", "returnees.parquet", "profiles.parquet"])  # fmt: skip


def _same_here_and_on_dask(args, cluster, tmp_path, files) -> None:
    """Run ``args`` in this process and on the cluster; the files named are equal."""
    assert main([*args, str(tmp_path / "here"), "--workers", "1"]) == 0
    assert main([*args, str(tmp_path / "dask"), "--scheduler", cluster[0]]) == 0
    for name in files:
        read = pd.read_parquet if name.endswith(".parquet") else pd.read_csv
        pd.testing.assert_frame_equal(
            read(tmp_path / "here" / name), read(tmp_path / "dask" / name)
        )


def test_plausible_worlds_on_dask_are_the_worlds_run_here(cluster, tmp_path):
    """The robust comparison's runs go through the same runners: same worlds, same rows
    (SMALL's --no-worlds left out)."""
    particles = pd.DataFrame({"hire_rate": [0.05, 0.5]})
    write_ensemble(tmp_path / "ensemble", particles, [0.5, 0.5],
                   {"scenario": "default", "targets_digest": "test", "simulations": 0})  # fmt: skip
    with_worlds = [a for a in SMALL if a != "--no-worlds"]
    args = ["compare", *with_worlds, "--months", "3", "--replicates", "1", "--strategies",
            "individual", "--ensemble", str(tmp_path / "ensemble"), "--draws", "3",
            "--draw-replicates", "1", "--no-report", "--out"]  # fmt: skip
    _same_here_and_on_dask(
        args, cluster, tmp_path, ["worlds.csv", "robust_shares.csv", "robust_regret.csv"]
    )


@pytest.mark.slow  # a sweep long enough to be live while two more commands start
def test_a_second_sweep_or_resume_on_dask_into_a_live_sweep_is_refused(
    cluster, write_experiment, tmp_path
):
    """The folder's lock holds whatever the engine: every run once, of one experiment."""
    path = write_experiment(tmp_path / "long.toml", {"hire_rate": {"spread": 0.5}},
                            method="lhs", samples=80, strategies=["none", "integrated"],
                            replicates=2, months=12,
                            fixed={"n_returnees": 400, "n_communities": 10})  # fmt: skip
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(path), "--out", str(out)]
    cmd += ["--scheduler", cluster[0], "--batch-size", "2", "--quiet"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    store = Store(out)
    deadline = time.monotonic() + START_TIMEOUT
    while not store.pieces() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    rivals = [subprocess.Popen([*cmd, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for extra in ([], ["--resume"])]  # fmt: skip
    for rival in rivals:
        assert rival.wait(timeout=120) == 2
        assert "another sweep is writing there now" in rival.stderr.read()
    assert first.wait(timeout=300) == 0, first.stderr.read()
    rows = store.read()
    assert rows["run_id"].tolist() == list(range(320)) and rows["error"].isna().all()
    assert store.manifest()["fingerprint"] == load_experiment(path).fingerprint()


def test_a_scheduler_killed_mid_sweep_ends_in_one_line_with_the_way_on(experiment_file, tmp_path):
    """A scheduler of its own (the module's cluster lives on): killed once runs are under
    way, the sweep ends with one line that says what happened and how to go on."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = [*DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port)]
    processes = [subprocess.Popen([*scheduler, "--no-dashboard", *PRELOAD], **QUIET)]
    try:
        _start_worker(address, processes)
        _wait_for_workers(address, 1)
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [sys.executable, "-m", "experiments.cli", "sweep", str(experiment_file), "--out",
             str(out), "--scheduler", address, "--batch-size", "1", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=DASK_ENV,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while not list(out.glob("runs/*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.2)  # until the first runs are written
        processes[0].kill()
        _, err = proc.communicate(timeout=300)
    finally:
        for p in processes:
            p.kill()
            p.wait(timeout=30)
    lines = err.strip().splitlines()
    assert proc.returncode != 0
    assert len(lines) == 1 and "Traceback" not in err, lines
    assert "the scheduler stopped answering" in lines[0] and "--resume" in lines[0]
    assert "install the project" not in lines[0]
