"""Calibration: ABC finds a parameter the model itself made a figure from; a stopped or killed
calibration goes on where it was; bad input is one line; the same on a real Dask cluster."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import calibrate as cal
from experiments.calibration import screening
from experiments.calibration import setup as cm
from experiments.calibration.ensemble import read_ensemble
from experiments.cli import main
from experiments.engine.resumable import ResumableFolder
from experiments.validation.targets import load_targets, replicate_values
from model.parameters import PARAMETERS
from tests.experiments.test_dask import cluster  # noqa: F401 - the real two-worker cluster

#: The parameter ABC must find, its true value (a tenth of its 0-1 range), and the statistic
#: that answers it: the share of returnees gone again, which climbs steadily with it.
PARAMETER, TRUTH = "intention_act_rate", 0.1
SMALL_ARM = (
    '{ main = { strategy = "none", months = 12, overrides = { n_returnees = 200, '
    "n_communities = 4, households_per_community = 60 } } }"
)
TARGET = """
[[target]]
id = "left_again"
kind = "level"
figure = {figure}
tolerance = 0.05
unit = "share of returnees"
source = "the model itself at {parameter} = {truth}"
wording = "synthetic"
population = "200 returnees"
after_return = "month 12"
confidence = "C"
statistic = "share_left_again"
arms = {arm}
"""


def _targets(path, figure: float):
    path.write_text(TARGET.format(figure=figure, parameter=PARAMETER, truth=TRUTH, arm=SMALL_ARM))
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A target whose figure is the model's own mean at the true value (10 seeds)."""
    path = _targets(tmp_path_factory.mktemp("synthetic") / "targets.toml", 0.0)
    runs = [replicate_values(load_targets(path), s, {PARAMETER: TRUTH}) for s in range(10)]
    figure = float(np.mean([r["left_again"]["value"] for r in runs]))
    return _targets(path, round(figure, 4))


def _calibrate(targets, out, *extra) -> int:
    args = ["calibrate", str(targets), "--parameters", PARAMETER, "--out", str(out), "--quiet"]
    args += ["--prior-factor", "none"]  # the whole table range: the truth is far from the default
    return main([*args, *extra])


@pytest.mark.slow
def test_abc_recovers_the_parameter_the_targets_were_made_with(synthetic, tmp_path):
    out = tmp_path / "cal"
    budget = ["--population", "50", "--generations", "6", "--workers", "2"]
    assert _calibrate(synthetic, out, *budget) == 0
    ensemble = read_ensemble(out)
    values, weights = ensemble.parameters[PARAMETER].to_numpy(), ensemble.weights
    mean = float(np.sum(values * weights))
    sd = float(np.sqrt(np.sum(weights * (values - mean) ** 2)))
    prior_sd = (PARAMETERS[PARAMETER].high - PARAMETERS[PARAMETER].low) / np.sqrt(12)
    assert abs(mean - TRUTH) < 0.04, mean
    assert sd < prior_sd / 4, sd  # the targets told ABC much more than the prior
    generations = cal.generations_done(out)
    assert ensemble.meta["simulations"] == generations["samples"].sum() > 6 * 50
    assert {"marginals.png", "fit.png", "summary.md"} <= {p.name for p in out.iterdir()}
    summary = (out / "summary.md").read_text()
    assert "1 of 1 targets within tolerance after calibration" in summary
    assert f"effective sample size of the ensemble: {1 / np.sum(weights**2):.1f}" in summary


def _generations(out) -> pd.DataFrame:
    return cal.generations_done(out)[["t", "population_end_time", "samples"]]


def test_a_stopped_calibration_goes_on_without_repeating_a_generation(synthetic, tmp_path):
    out = tmp_path / "cal"
    small = ["--population", "10", "--workers", "2"]
    assert _calibrate(synthetic, out, *small, "--generations", "1") == 0
    first = _generations(out)
    assert _calibrate(synthetic, out, *small, "--generations", "3", "--resume") == 0
    after = _generations(out)
    assert list(after["t"]) == [0, 1, 2]
    pd.testing.assert_frame_equal(after.iloc[:1], first)  # generation 0 kept, not made again
    assert read_ensemble(out).meta["simulations"] == after["samples"].sum()


def test_a_killed_calibration_loses_at_most_the_generation_in_flight(synthetic, tmp_path):
    out = tmp_path / "cal"
    cmd = [sys.executable, "-m", "experiments.cli", "calibrate", str(synthetic), "--quiet"]
    cmd += ["--parameters", PARAMETER, "--population", "20", "--generations", "50"]
    cmd += ["--prior-factor", "none"]
    cmd += ["--workers", "2", "--out", str(out)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    try:
        for line in proc.stdout:  # the line a generation prints once it is stored
            if line.startswith("generation 1:"):
                break
    finally:
        proc.kill()  # SIGKILL: no clean-up of any kind
        proc.wait(timeout=30)
        proc.stdout.close()
    kept = _generations(out)
    assert len(kept) >= 2
    done = len(kept) + 1
    assert _calibrate(synthetic, out, "--population", "20", "--generations", str(done),
                      "--workers", "2", "--resume") == 0  # fmt: skip
    after = _generations(out)
    assert list(after["t"]) == list(range(done))
    pd.testing.assert_frame_equal(after.iloc[: len(kept)], kept)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["no_such_targets.toml"], "no_such_targets.toml"),
        (["targets", "--population", "0"], "--population: '0' is not allowed"),
        (["targets", "--parameters", "hire_rat"], "'hire_rat' is not a parameter"),
        (["targets", "--scheduler", "nowhere"], "--scheduler: 'nowhere' is not a scheduler"),
        (["targets", "--resume", "--force"], "not allowed with argument"),
        (["targets", "--prior-factor", "1"], "--prior-factor: '1' is not allowed"),
        (["targets", "--parameters", "budget"], "--parameters: budget describes the context"),
        (["targets", "--parameters", ""], "--parameters: names no parameter"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, problem):
    out = tmp_path / "cal"
    try:
        code = main(["calibrate", *args, "--out", str(out)])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2
    assert problem in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


def test_a_folder_in_use_is_refused_and_left_as_it_was(synthetic, tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert _calibrate(synthetic, foreign) == 2
    assert "did not write" in capsys.readouterr().err
    assert _calibrate(synthetic, foreign, "--force") == 2  # --force clears calibrations only
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]

    earlier = tmp_path / "earlier"
    settings = {"targets_digest": "x", "scenario": "default", "parameters": None}
    cal.folder(earlier).prepare({**settings, "prior_factor": None}, resume=False, force=False)
    before = sorted(p.name for p in earlier.iterdir())
    assert _calibrate(synthetic, earlier) == 2
    assert "holds an earlier calibration" in capsys.readouterr().err
    assert _calibrate(synthetic, earlier, "--resume") == 2  # other targets: not the same run
    err = capsys.readouterr().err
    assert "targets_digest" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in earlier.iterdir()) == before


def test_the_distance_counts_misses_in_tolerances_and_contrasts_only_below_zero():
    d = cm.Distance({"a": (0.5, 0.1)}, ("b.x",))
    assert d({"a": 0.5, "b.x": 0.3}) == 0
    assert d({"a": 0.7, "b.x": 0.3}) == pytest.approx(4)
    assert d({"a": 0.5, "b.x": -cm.DIRECTION_SCALE}) == pytest.approx(1)
    full = cm.CLIP**2  # far off, or undefined: a full miss, never infinitely far
    assert d({"a": 50.0, "b.x": 0.3}) == d({"a": float("nan"), "b.x": 0.3}) == full
    assert d({"a": 0.5, "b.x": float("nan")}) == full


def test_the_screening_keeps_the_parameters_that_move_a_target():
    names = ["hire_rate", "visibility_fade", "remigration_rate"]
    parameters = [PARAMETERS[n] for n in names]
    problem = screening.morris_problem(cm.Setup("unused", "default"), parameters)
    from SALib.sample import morris as morris_sample

    x = morris_sample.sample(problem, 10, num_levels=screening.LEVELS, seed=1)
    scaled = (x - x.min(axis=0)) / np.ptp(x, axis=0)
    t1, t2 = 5 * scaled[:, 0] + 0.01 * scaled[:, 2], 2 * scaled[:, 1]
    y = pd.DataFrame({"t1": t1, "t2": t2, "distance": t1 + t2})
    table = screening.morris_table(problem, x, y, {"t1", "t2"})
    assert list(table.index[table["selected"]]) == ["hire_rate", "visibility_fade"]
    assert table.loc["hire_rate", "score"] == table.loc["hire_rate", "t1"] == pytest.approx(5)
    assert table.loc["remigration_rate", "t2"] == 0
    # a parameter that barely moves the distance still goes in if it is a target's lever
    y = y.assign(t3=scaled[:, 2], distance=t1)
    table = screening.morris_table(problem, x, y, {"t1", "t2", "t3"})
    assert set(table.index[table["selected"]]) == set(names)
    # a level target's lever comes before the distance's best when places are few
    cut = screening.select(table.assign(score=[5.0, 0.0, 4.0][::-1]), {"t3"})
    assert cut[0] == "remigration_rate"


@pytest.mark.distributed
def test_a_calibration_runs_on_a_dask_cluster(cluster, synthetic, tmp_path):  # noqa: F811
    address, _ = cluster
    out = tmp_path / "cal"
    assert _calibrate(synthetic, out, "--population", "10", "--generations", "2",
                      "--scheduler", address) == 0  # fmt: skip
    assert list(cal.generations_done(out)["t"]) == [0, 1]
    assert len(read_ensemble(out).parameters) == 10
    assert os.path.getsize(out / "fit.png") > 0


@pytest.mark.parametrize("state", [b"{ cut short", b"[1, 2]", b"\xff\xfe", b"null"])
def test_a_damaged_state_is_refused_on_resume_and_cleared_with_force(tmp_path, state):
    out = tmp_path / "cal"
    out.mkdir()
    (out / cal.STATE).write_bytes(state)
    settings = {"targets_digest": "x", "scenario": "default", "parameters": None,
                "prior_factor": None}  # fmt: skip
    with pytest.raises(cal.ScenarioError) as refused:
        cal.folder(out).prepare(settings, resume=True, force=False)
    assert refused.value.problems == [
        f"--out {out}: its {cal.STATE} is not the state of a calibration; allowed: --force to "
        "start again, or another --out"
    ]
    assert (out / cal.STATE).read_bytes() == state
    assert cal.folder(out).prepare(settings, resume=False, force=True) == settings
    assert cal.folder(out).load() == settings


def test_a_second_calibration_of_a_folder_in_use_is_refused_at_once(synthetic, tmp_path, capsys):
    out = tmp_path / "cal"
    settings = {"targets_digest": "x", "scenario": "default", "parameters": None,
                "prior_factor": None}  # fmt: skip
    with cal.folder(out).held(lambda: cal.folder(out).prepare(settings, resume=False, force=False)):
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        assert _calibrate(synthetic, out, "--resume") == 2
        assert _calibrate(synthetic, out, "--force") == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert (
            err
            == [
                f"error: --out {out}: another calibration is running there now; "
                "allowed: wait until it ends (then --resume), or another --out"
            ]
            * 2
        )
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    with cal.folder(out).held(lambda: cal.folder(out).prepare(settings, resume=False, force=True)):
        pass  # free again once the first has ended


def test_a_read_only_out_is_one_line_before_any_run(synthetic, tmp_path, capsys, monkeypatch):
    def read_only(*_):
        raise OSError(30, "Read-only file system", str(tmp_path / "cal" / cal.STATE))

    monkeypatch.setattr(ResumableFolder, "save", read_only)
    assert _calibrate(synthetic, tmp_path / "cal") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: --out {tmp_path / 'cal'}: cannot write there (Read-only file "
                   "system); allowed: a folder you can write in"]  # fmt: skip


def _interruptible():
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.8, 1.6, 3.0])
def test_ctrl_c_in_a_calibration_ends_with_one_line(synthetic, tmp_path, delay):
    """Ctrl-C reaches every process of the terminal's group: the command and its workers (and
    the fork server, perhaps still importing the model). None of them prints a traceback of
    the interrupt, and the command ends with its one line. (Not yet covered: a worker being
    forked at that very moment can still print a FileNotFoundError as the pool goes away.)"""
    import signal
    import time

    args = [sys.executable, "-m", "experiments.cli", "calibrate", str(synthetic),
            "--parameters", PARAMETER, "--prior-factor", "none", "--population", "20",
            "--generations", "50", "--workers", "2", "--quiet",
            "--out", str(tmp_path / "cal")]  # fmt: skip
    # A terminal delivers Ctrl-C even when this suite was started in the background, where the
    # shell leaves SIGINT ignored and every child would inherit that: the command gets it back.
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_interruptible)  # fmt: skip
    seen = ""
    while "calibrating on" not in seen and proc.poll() is None:
        seen += proc.stdout.readline()
    time.sleep(delay)  # the fork server importing the model, the workers starting, or busy
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 130
    assert "KeyboardInterrupt" not in err, err
    assert lines[0].startswith("interrupted: finished generations are safe"), err
