"""``reintegrate optimise``: it finds a known optimum, respects do-no-harm where it binds, says
when no mix does no harm, resumes a killed search without losing or repeating a finished
trial, and gives the same trials with one worker or two. (Bad input: tests/experiments/
test_bad_input.py, with every other command's.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main, parser
from experiments.engine.runners import Where, choose_runner
from experiments.optimise import judge, search
from experiments.optimise.mix import MIN_SHARE, moved, rounded, shares_of, weight_name
from experiments.optimise.report import opening, versus_runner_up_words, versus_shipped_words
from experiments.optimise.search import JOURNAL, complete, study_in
from model.scenario import load_scenario
from model.support import Strategy, load_packages, load_strategies
from tests.experiments.test_dask import cluster  # noqa: F401 - the real two-worker cluster

PACKAGES = "cash_grant,counselling,dialogue_forum"


def stand_in(dominant="cash_grant", harmful_above=1.1, harm_any=False, screened=0.0):
    """A model whose optimum is known: the share sustainable rises with the dominant package's
    share, a little with the others, and by ``screened`` where business plans are screened;
    non-migrants lose well-being once the dominant package takes more than ``harmful_above``
    of the budget (the do-no-harm constraint binds there), or, with ``harm_any``, whenever any
    money is spent."""

    def perform(spec):
        s = spec.strategy
        shares = {} if isinstance(s, str) else s.shares
        own = shares.get(dominant, 0.0)
        noise = np.random.default_rng(spec.seed).normal(0, 0.002)
        paid = sum(shares.values())
        plans = 0.0 if isinstance(s, str) else screened * (s.business_plans == "screened")
        summary = {
            "share_sustainable": 0.3 + 0.3 * own + 0.05 * (paid - own) + plans + noise,
            "nonmigrant_wellbeing": 0.5
            - 0.2 * max(0.0, own - harmful_above)
            - 0.1 * harm_any * paid,
            "tension": 0.3,
            "gap_forced_voluntary": 0.2 - 0.1 * shares.get("counselling", 0.0),
            "spent": paid * spec.scenario.budget,
        }
        return SimpleNamespace(summary=summary)

    return perform


def optimise(tmp_path, *extra, out="out"):
    return main(["optimise", "--packages", PACKAGES, "--no-worlds", "--workers", "1",
                 "--quiet", "--out", str(tmp_path / out), *extra])  # fmt: skip


def test_a_mix_is_judged_in_its_own_number_of_worlds_drawn_as_compare_draws_them():
    """By default 8 worlds (each mix costs worlds x replicates runs), from the calibrated
    ensemble and every other assumption's plausible range; --draws and --no-worlds are
    honoured."""
    from experiments.cli.optimise import DRAWS, check

    def worlds(*extra):
        return check(parser().parse_args(["optimise", "--packages", PACKAGES, *extra]))[-1]

    default = worlds()
    assert default.draws == DRAWS == 8 and default.ensemble is not None
    values = default.values(load_scenario("default"), 0)
    assert len(values) == 8 and {"initial_attitude", "hire_rate"} <= set(values[0])
    assert worlds("--draws", "3").draws == 3
    assert worlds("--no-worlds") is None


def trials(path) -> pd.DataFrame:
    return pd.read_csv(path / "trials.csv")


def test_the_search_finds_the_package_that_dominates(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(judge, "perform", stand_in())
    assert optimise(tmp_path, "--trials", "40") == 0
    out = tmp_path / "out"
    chosen = load_strategies(load_packages(), path=out / "recommended.toml")["optimised"]
    assert max(chosen.shares, key=chosen.shares.get) == "cash_grant"
    assert chosen.shares["cash_grant"] > 0.6
    assert sum(chosen.shares.values()) <= 1
    t = trials(out)
    assert len(t) == 40 and t.feasible.all()
    text = capsys.readouterr().out
    assert text.startswith("optimising") and "% in Cash grant" in text
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "id='answer'" in page.replace('"', "'") and "Cash grant" in page
    for name in ("pareto.png", "convergence.png", "sensitivity.png", "confirmation.csv"):
        assert (out / name).stat().st_size > 0
    sensitivity = pd.read_csv(out / "sensitivity.csv").set_index(["package", "move"])
    # moving money out of the dominant package costs the most
    assert sensitivity.change.idxmin()[0] == "cash_grant"
    assert sensitivity.loc[("cash_grant", -0.1), "change"] < 0


def test_the_search_chooses_whom_business_grants_go_to_when_asked(tmp_path, monkeypatch, capsys):
    """With ``--business-plans by_need,screened`` the rule is searched as the shares are: where
    grants by need add to the share sustainable, the recommended mix gives them by need, and
    says so; without the option every candidate screens plans, as the shipped strategies do."""
    monkeypatch.setattr(judge, "perform", stand_in(screened=-0.05))
    assert optimise(tmp_path, "--trials", "24", "--business-plans", "by_need,screened") == 0
    out = tmp_path / "out"
    chosen = load_strategies(load_packages(), path=out / "recommended.toml")["optimised"]
    assert chosen.business_plans == "by_need"
    assert set(trials(out).business_plans) == {"by_need", "screened"}
    assert "business grants by need" in capsys.readouterr().out
    assert optimise(tmp_path, "--trials", "8", out="plain") == 0
    assert set(trials(tmp_path / "plain").business_plans) == {"screened"}


def test_a_search_stopped_short_says_so_and_which_move_would_gain(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(judge, "perform", stand_in())
    assert optimise(tmp_path, "--trials", "3") == 0
    out = " ".join(capsys.readouterr().out.split())
    chosen = load_strategies(load_packages(), path=tmp_path / "out" / "recommended.toml")
    assert chosen["optimised"].shares["cash_grant"] < 0.9  # three random mixes: room left
    assert "The search has not settled: moving 10 points into Cash grant gains" in out


def test_do_no_harm_binds_where_it_should(tmp_path, monkeypatch):
    monkeypatch.setattr(judge, "perform", stand_in(harmful_above=0.5))
    assert optimise(tmp_path, "--trials", "48") == 0
    t = trials(tmp_path / "out")
    assert (~t.feasible).any(), "some mixes put more than half into cash and do harm"
    assert (t[~t.feasible].cash_grant > 0.5).all()
    chosen = load_strategies(load_packages(), path=tmp_path / "out" / "recommended.toml")
    assert chosen["optimised"].shares["cash_grant"] <= 0.5 + 0.01
    # the best mix overall does harm: the constraint, not the objective, stopped it
    assert t.share_low.max() > t[t.feasible].share_low.max()


def test_no_mix_that_does_no_harm_is_said_plainly(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(judge, "perform", stand_in(harm_any=True))
    assert optimise(tmp_path, "--trials", "8") == 0
    assert "No mix of the 8 tried meets do-no-harm" in capsys.readouterr().out
    assert not (tmp_path / "out" / "recommended.toml").exists()
    assert (tmp_path / "out" / "report.html").is_file()


def test_a_second_run_into_the_same_folder_needs_resume_or_force(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(judge, "perform", stand_in())
    assert optimise(tmp_path, "--trials", "8") == 0
    assert optimise(tmp_path, "--trials", "8") == 2
    assert "--resume to go on" in capsys.readouterr().err
    assert optimise(tmp_path, "--trials", "16", "--resume") == 0
    assert len(trials(tmp_path / "out")) == 16
    assert optimise(tmp_path, "--trials", "8", "--resume", "--horizon", "12") == 2
    assert "used horizon 24, not 12" in capsys.readouterr().err


def test_a_time_limit_stops_after_a_batch_and_resume_goes_on(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(judge, "perform", stand_in())
    assert optimise(tmp_path, "--trials", "40", "--time-limit", "0.0001") == 0
    assert len(trials(tmp_path / "out")) == search.BATCH  # one batch, then the limit
    assert "stopped at the time limit: go on with --resume" in " ".join(
        capsys.readouterr().out.split()
    )
    assert optimise(tmp_path, "--trials", "40", "--resume") == 0
    assert len(trials(tmp_path / "out")) == 40


def test_the_best_so_far_keeps_the_best_mix_that_does_no_harm_across_infeasible_ones():
    from experiments.optimise.report import best_so_far

    trials = pd.DataFrame({"trial": [3, 0, 1, 2], "share_low": [0.9, 0.4, 0.6, 0.5],
                           "feasible": [False, False, True, True]})  # fmt: skip
    best = best_so_far(trials)
    assert np.isnan(best[0]) and best[1:].tolist() == [0.6, 0.6, 0.6]


def test_a_mix_is_spread_over_the_whole_budget_without_slivers():
    packages = ["a", "b", "c"]
    shares = shares_of({weight_name("a"): 1e-9, weight_name("b"): 0.5,
                        weight_name("c"): 0.999999}, packages)  # fmt: skip
    assert shares.keys() == {"a", "b"}  # c's weight (-ln 0.999999) is a sliver
    assert sum(shares.values()) == pytest.approx(1)
    assert min(shares.values()) >= MIN_SHARE
    mix = Strategy(name="m", shares={"a": 0.7, "b": 0.3})
    more = moved(mix, "b", 0.1, "b+")
    assert more.shares["b"] == pytest.approx(0.4) and sum(more.shares.values()) == pytest.approx(1)
    less = moved(mix, "b", -0.5, "b-")  # cannot take more than b has
    assert "b" not in less.shares and less.shares["a"] == pytest.approx(1)
    assert sum(rounded(Strategy(name="r", shares={"a": 1 / 3, "b": 2 / 3})).values()) <= 1


# ---------------------------------------------------------------------------- real runs

REAL = ["optimise", "--set", "n_returnees=80", "--set", "n_communities=3", "--set",
        "households_per_community=40", "--set", "budget=80000", "--set", "programme_months=6",
        "--packages", PACKAGES, "--horizon", "6", "--replicates", "1", "--no-worlds",
        "--confirm-replicates", "2", "--quiet"]  # fmt: skip


def _start(out, trials, workers, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "experiments.cli", *REAL, "--trials", str(trials), "--workers",
         str(workers), "--out", str(out), *extra],
        start_new_session=True,  # its own process group: kill -9 reaches its workers too
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _finished(out) -> int:
    try:
        return len(complete(study_in(out)))
    except Exception:  # the journal is being written: look again
        return 0


def test_killed_then_resumed_gives_the_trials_of_an_uninterrupted_search(tmp_path):
    whole = _start(tmp_path / "whole", 32, 2)
    assert whole.wait(timeout=600) == 0, whole.stderr.read().decode()

    cut = tmp_path / "cut"
    proc = _start(cut, 32, 1)
    # Watched by the journal's size (a stat, cheap however busy the machine), not by reading
    # the study: reading it under load took longer than the whole search once.
    part_way = (tmp_path / "whole" / JOURNAL).stat().st_size // 3
    journal = cut / JOURNAL
    deadline = time.monotonic() + 300
    while not journal.exists() or journal.stat().st_size < part_way:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed_at = _finished(cut)
    assert 0 < killed_at < 32, "the search was not killed part-way"

    resumed = _start(cut, 32, 1, "--resume")
    assert resumed.wait(timeout=600) == 0, resumed.stderr.read().decode()
    a, b = trials(tmp_path / "whole"), trials(cut)
    assert len(b) == 32  # every trial exactly once, none lost
    # the same candidates, in the same order, with the same verdicts (trial numbers differ:
    # the trials the kill cut short are counted as failed and asked again)
    pd.testing.assert_frame_equal(a.drop(columns="trial"), b.drop(columns="trial"))


@pytest.mark.distributed
def test_a_search_on_a_dask_cluster_proposes_and_judges_as_one_here(cluster, tmp_path):  # noqa: F811
    address, _ = cluster
    here = _start(tmp_path / "here", 12, 1)
    assert here.wait(timeout=600) == 0, here.stderr.read().decode()
    there = subprocess.run(
        [sys.executable, "-m", "experiments.cli", *REAL, "--trials", "12", "--scheduler",
         address, "--out", str(tmp_path / "there")],
        capture_output=True, timeout=600,
    )  # fmt: skip
    assert there.returncode == 0, there.stderr.decode()
    pd.testing.assert_frame_equal(trials(tmp_path / "here"), trials(tmp_path / "there"))


@pytest.mark.parametrize("cut_after", [8, 12])
def test_a_search_cut_while_proposing_resumes_to_the_same_trials(tmp_path, monkeypatch, cut_after):
    """A kill can fall between two proposals of a batch (after 8), or while a batch is told
    (after 12: half of the second batch judged): the trials proposed so far are asked again
    as they were, those judged keep their verdicts, and the rest are proposed as the
    uninterrupted search did."""
    monkeypatch.setattr(judge, "perform", stand_in())
    design = judge.Design(load_scenario("default"), ({},), 1, 24, 0, progress=False)
    plan = search.Search(tuple(PACKAGES.split(",")), ("needs", "standard"), 24, seed=5)

    def searched(out, cut=None):
        out.mkdir()
        study = search.study_in(out)
        with choose_runner(judge.run_one, Where(1)) as runner:
            if cut is not None:
                search.run_search(study, design, replace(plan, trials=cut), runner, int)
                for position in (cut, cut + 1):  # proposed, never judged
                    study.sampler = search.sampler(plan, position)
                    search.propose(study.ask(), plan.packages, plan.targetings)
                study, judged = search.resumed(out)
                assert sorted(judged) == list(range(8, cut))  # kept, not run again
            search.run_search(study, design, plan, runner, int)
        return [(t.params, t.values) for t in search.complete(study)]

    whole = searched(tmp_path / "whole")
    assert searched(tmp_path / "cut", cut_after) == whole
    assert len(whole) == 24


@pytest.mark.parametrize(
    "lo, hi, shipped, runner_up",
    [
        (0.01, 0.03, ".", "the winner is distinguishable"),
        (-0.01, 0.01, "chance could explain", "not distinguishable"),
        (-0.03, -0.01, "fund individual rather", "runner-up does better"),
    ],
)
def test_the_words_follow_the_sign_of_each_interval(lo, hi, shipped, runner_up):
    """A mix worse than the best shipped strategy beyond chance was called 'a difference
    chance could explain', and a winner the runner-up beat on fresh seeds 'distinguishable'."""
    said = versus_shipped_words(lo, hi, "individual")
    confirmed = SimpleNamespace(versus_shipped=((lo + hi) / 2, lo, hi))
    assert (opening(confirmed) == "Put") == (hi >= 0)  # no recommendation a shipped one beats
    assert said == shipped if shipped == "." else shipped in said
    assert runner_up in versus_runner_up_words(lo, hi)
