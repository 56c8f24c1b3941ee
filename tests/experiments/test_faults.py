"""Sweeps and output folders under faults, with real processes: concurrent sweeps into one
folder, workers killed again and again, the command killed alone, a truncated piece, a resume
during a live sweep, a comparison killed while it writes. Each ends with 0 runs lost, 0 counted
twice, 0 of another experiment, and the exit code that says so."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from experiments.engine.outputs import MANIFEST
from experiments.sweeps.experiment_file import load_experiment
from experiments.sweeps.store import QUARANTINE, Store
from experiments.sweeps.sweep import sweep
from model.inputs import ScenarioError
from tests.experiments.conftest import SMALL

RANGES = {"hire_rate": {"spread": 0.5}, "acceptance_rate": {"spread": 0.5}}
BOUND = 300  # seconds any one process of these tests may take at most


def _cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _sweep(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    return _cli("sweep", str(path), "--out", str(out), "--quiet", "--batch-size", "4", *extra)


def _wait_for_pieces(store: Store, proc: subprocess.Popen, n: int = 1) -> None:
    deadline = time.monotonic() + BOUND
    while len(store.pieces()) < n:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "no finished piece appeared"
        time.sleep(0.02)


def _exactly_once(store: Store, exp) -> None:
    """0 lost, 0 duplicated, 0 mixed: every run of the design once, all of this experiment."""
    rows = store.read()  # refuses pieces of another experiment or repeated runs
    assert rows["run_id"].tolist() == list(range(len(exp.runs())))
    assert rows["error"].isna().all()
    assert store.manifest()["fingerprint"] == exp.fingerprint()


@pytest.fixture
def longer(tmp_path, write_experiment):
    """240 runs of 8 months: long enough to be hit part-way."""
    return write_experiment(tmp_path / "longer.toml", RANGES, method="lhs", samples=60,
                            strategies=["none", "integrated"], replicates=2, months=8)  # fmt: skip


def test_a_second_sweep_or_resume_into_a_live_sweep_is_refused(longer, tmp_path, write_experiment):
    other = write_experiment(tmp_path / "other.toml", RANGES, method="lhs", samples=3)
    out = tmp_path / "out"
    first = _sweep(longer, out, "--workers", "1")
    _wait_for_pieces(Store(out), first)
    rivals = [_sweep(longer, out, "--workers", "1"), _sweep(longer, out, "--resume"),
              _sweep(other, out, "--workers", "1", "--resume")]  # fmt: skip
    for rival in rivals:
        assert rival.wait(timeout=BOUND) == 2
        assert "another sweep is writing there now" in rival.stderr.read()
    assert first.wait(timeout=BOUND) == 0, first.stderr.read()
    _exactly_once(Store(out), load_experiment(longer))


def _pool_workers(proc: subprocess.Popen) -> list[psutil.Process]:
    """The sweep's worker processes (children of its fork server)."""
    try:
        return [w for c in psutil.Process(proc.pid).children() if "forkserver" in
                " ".join(c.cmdline()) for w in c.children()]  # fmt: skip
    except psutil.NoSuchProcess:
        return []


def test_workers_killed_again_and_again_lose_runs_that_resume_makes(longer, tmp_path):
    out, killed, rounds = tmp_path / "out", set(), 0
    proc = _sweep(longer, out, "--workers", "2")
    deadline = time.monotonic() + BOUND
    while rounds < 8 and proc.poll() is None and time.monotonic() < deadline:
        fresh = [w for w in _pool_workers(proc) if w.pid not in killed]
        for w in fresh:  # a fresh pool: kill it before its first batches are done
            w.kill()
            killed.add(w.pid)
        rounds += bool(fresh)
        time.sleep(0.005)
    assert rounds >= 3, proc.stderr.read() if proc.poll() is not None else rounds
    code = proc.wait(timeout=BOUND)
    err = proc.stderr.read()
    store, exp = Store(out), load_experiment(longer)
    assert code == 1 and "runs are missing" in err and "--resume" in err
    rows = store.read()
    assert rows["error"].isna().all()  # no lost batch was written as if it were data
    assert rows["run_id"].is_unique and len(rows) < 240
    resumed = _sweep(longer, out, "--workers", "2", "--resume")
    assert resumed.wait(timeout=BOUND) == 0, resumed.stderr.read()
    _exactly_once(store, exp)


def test_killing_the_command_alone_takes_its_workers_with_it(longer, tmp_path):
    out = tmp_path / "out"
    proc = _sweep(longer, out, "--workers", "2")
    _wait_for_pieces(Store(out), proc)
    family = psutil.Process(proc.pid).children(recursive=True)
    assert family, "no worker processes found"
    proc.send_signal(signal.SIGKILL)  # the command only, not its process group
    proc.wait(timeout=BOUND)
    gone, alive = psutil.wait_procs(family, timeout=BOUND)
    assert not alive, f"orphans left: {[p.pid for p in alive]}"
    resumed = _sweep(longer, out, "--workers", "2", "--resume")
    assert resumed.wait(timeout=BOUND) == 0, resumed.stderr.read()
    _exactly_once(Store(out), load_experiment(longer))


def test_a_truncated_piece_is_set_aside_and_its_runs_made_again(tmp_path, write_experiment):
    exp = load_experiment(write_experiment(tmp_path / "small.toml", RANGES, method="lhs",
                                           samples=6, replicates=2))  # fmt: skip
    out = tmp_path / "out"
    sweep(exp, out, workers=1, size=4, progress=False)
    store = Store(out)
    piece = store.pieces()[1]
    piece.write_bytes(piece.read_bytes()[: piece.stat().st_size // 2])
    with pytest.raises(ScenarioError, match="cannot be read whole"):
        store.read()  # an analysis says so instead of a traceback
    report = sweep(exp, out, workers=1, size=4, resume=True, progress=False)
    assert report.made == 4 and report.missing == 0
    assert any(piece.name in note for note in report.notes)
    assert (out / QUARANTINE / piece.name).is_file()
    _exactly_once(store, exp)


def test_a_sweep_leaves_hidden_files_it_did_not_write(tmp_path, write_experiment):
    exp = load_experiment(write_experiment(tmp_path / "tiny.toml", RANGES, method="lhs",
                                           samples=2))  # fmt: skip
    out = tmp_path / "out"
    sweep(exp, out, workers=1, progress=False)
    mine = [out / ".notes.tmp", out / "runs" / ".draft.tmp"]
    for path in mine:
        path.write_text("mine")
    sweep(exp, out, workers=1, resume=True, progress=False)
    assert all(p.read_text() == "mine" for p in mine)


# --- compare: the folder is the old complete output or the new complete one -------------


def _complete(folder: Path) -> dict:
    """The folder's manifest, after checking the folder holds exactly what it lists."""
    manifest = json.loads((folder / MANIFEST).read_text())
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert found - {MANIFEST} == set(manifest["files"])
    for name, entry in manifest["files"].items():
        assert (folder / name).stat().st_size == entry["bytes"]
    return manifest


COMPARE = ["compare", *SMALL, "--months", "3", "--strategies", "individual", "--workers", "1"]


def _compare(out: Path, replicates: int, *extra: str) -> subprocess.Popen:
    return _cli(*COMPARE, "--replicates", str(replicates), "--out", str(out), *extra)


def test_compare_refuses_an_earlier_output_without_force_and_replaces_it_whole(tmp_path):
    out = tmp_path / "compare"
    assert _compare(out, 2).wait(timeout=BOUND) == 0
    old = _complete(out)
    refused = _compare(out, 3, "--no-report")
    assert refused.wait(timeout=BOUND) == 2 and "--force" in refused.stderr.read()
    assert _complete(out) == old
    assert _compare(out, 3, "--no-report", "--force").wait(timeout=BOUND) == 0
    new = _complete(out)
    assert "report.html" in old["files"] and "report.html" not in new["files"]  # none stale
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare"]  # nothing left beside


@pytest.mark.slow
def test_compare_killed_at_random_moments_leaves_the_old_or_the_new_output(tmp_path):
    out = tmp_path / "compare"
    assert _compare(out, 2).wait(timeout=BOUND) == 0
    start = time.monotonic()
    assert _compare(tmp_path / "timing", 3).wait(timeout=BOUND) == 0
    seconds = time.monotonic() - start
    outcomes = set()
    for trial in range(3):
        proc = _compare(out, 3 if trial % 2 else 2, "--force")
        time.sleep(random.Random(trial).uniform(0.3, 1.1) * seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=BOUND)
        manifest = _complete(out)
        replicates = manifest["arguments"][manifest["arguments"].index("--replicates") + 1]
        outcomes.add(replicates)
        with open(out / "runs.csv") as runs:  # the tables are the ones the manifest describes
            assert sum(1 for _ in runs) - 1 == 2 * int(replicates)
    assert _compare(out, 2, "--force").wait(timeout=BOUND) == 0  # and leftovers are cleared
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare", "timing"]
    assert outcomes  # at least one trial found a complete folder (all of them must)
