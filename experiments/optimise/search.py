"""The search for the best mix, its confirmation on fresh seeds, and what each share is worth.

**The search** is Optuna's multi-objective TPE sampler with constraints (docs/planners.md
says why Optuna and why TPE): candidates are proposed in batches of :data:`BATCH`, run
together, judged (:mod:`.judge`) and told back in order. The trial at each position has a
sampler seeded with ``seed + position``, so the proposals depend only on the seed and the
trials before it, not on how many processes ran them. Every trial is kept in Optuna's
journal (``study.log`` in the output folder) as it finishes: a killed search goes on from
there with ``--resume`` (:func:`resumed`). The journal is first cut back to the last whole
batch, so the sampler sees the history an uninterrupted search had (no failed or renumbered
trials); the batch the kill cut short is proposed again, exactly, and its trials that had
finished keep their verdicts, so finished runs are neither lost nor repeated and the resumed
search proposes what the uninterrupted one would have, wherever the kill fell.

**The confirmation** runs the best feasible mix, the runner-up and the scenario's own
strategies again on fresh seeds (:data:`CONFIRM_SEED`) in the same worlds: the best of many
noisy candidates looks better on the seeds it was picked on than it is, and fresh seeds take
that luck out. Differences are paired run by run, with 95% intervals.

**The sensitivity** moves :data:`STEP` of the budget into and out of each package of the
recommended mix (from or to the others in proportion) and measures the change in the share
sustainably reintegrated, paired, on the search's seeds.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import optuna
import pandas as pd
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock
from optuna.trial import FrozenTrial, TrialState

from experiments.comparison.compare import BASELINE
from experiments.comparison.statistics import interval
from experiments.optimise.judge import (
    CONSTRAINTS,
    DIRECTIONS,
    Design,
    Verdict,
    baseline_runs,
    judge,
    per_world,
    run_candidates,
)
from experiments.optimise.mix import moved, propose, strategy_of
from model.support import BUSINESS_PLANS, Strategy

#: Candidates proposed, run and told together: fixed, so results do not depend on workers.
BATCH = 8
#: Trials before the sampler models what works (the first are spread at random).
STARTUP_TRIALS = 16
#: Seeds of the confirmation: far from any the search used.
CONFIRM_SEED = 1_000_000
#: The sensitivity's step: 10 points of the budget.
STEP = 0.10
#: The journal the study is kept in, and its name.
JOURNAL, STUDY = "study.log", "optimise"

optuna.logging.set_verbosity(optuna.logging.WARNING)


@dataclass(frozen=True)
class Search:
    """What is searched: the packages, targeting rules and rules for whom business grants go
    to a mix may use, how many trials, the sampler's seed, and a time limit in seconds (None:
    none)."""

    packages: tuple[str, ...]
    targetings: tuple[str, ...]
    trials: int
    seed: int = 0
    time_limit: float | None = None
    plans: tuple[str, ...] = (BUSINESS_PLANS,)

    def strategy(self, values: dict, name: str = "optimised") -> Strategy:
        return strategy_of(values, self.packages, self.targetings, name, self.plans)


def constraints_of(trial: FrozenTrial) -> list[float]:
    """A trial's constraint values, in :data:`CONSTRAINTS`' order (feasible when all <= 0)."""
    return [trial.constraints[c] for c in CONSTRAINTS]


def study_in(out: Path, journal: str = JOURNAL) -> optuna.Study:
    """The study kept in ``out`` (made if new). The folder is held by one command at a time
    (:class:`~experiments.engine.resumable.ResumableFolder`), so a journal lock still there
    was left by a killed search and is taken over at once, not after Optuna's 30 s grace."""
    path = str(out / journal)
    with warnings.catch_warnings():  # Optuna warns that 1 s is short: here it is meant
        warnings.simplefilter("ignore", UserWarning)
        lock = JournalFileOpenLock(path, grace_period=1)
    storage = JournalStorage(JournalFileBackend(path, lock_obj=lock))
    return optuna.create_study(
        study_name=STUDY, storage=storage, directions=list(DIRECTIONS), load_if_exists=True
    )


def resumed(out: Path) -> tuple[optuna.Study, dict[int, FrozenTrial]]:
    """The study in ``out`` as the uninterrupted search had it at the start of the batch a
    kill cut short, and that batch's trials that had finished, by position.

    Optuna keeps a killed trial as running; closing it as failed and asking it again would
    leave failed and renumbered trials in the history the sampler reads, so later proposals
    would differ from an uninterrupted search's. Instead the journal is rewritten (atomically)
    with the finished trials of the whole batches only."""
    study = study_in(out)
    trials = study.get_trials(deepcopy=False)
    if all(t.state == TrialState.COMPLETE for t in trials):
        return study, {}
    done = complete(study)
    start = len(done) // BATCH * BATCH
    tidy = f"{JOURNAL}.tidy"
    (out / tidy).unlink(missing_ok=True)
    study_in(out, tidy).add_trials(done[:start])
    os.replace(out / tidy, out / JOURNAL)
    return study_in(out), {start + i: t for i, t in enumerate(done[start:])}


def sampler(search: Search, position: int) -> optuna.samplers.TPESampler:
    """The sampler of the trial at ``position`` (0 for the first), seeded by it alone: what it
    proposes depends on the seed and the trials before it, never on how it was resumed."""
    with warnings.catch_warnings():  # multivariate TPE is marked experimental
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(
            seed=search.seed + position,
            multivariate=True,
            n_startup_trials=STARTUP_TRIALS,
            constant_liar=True,
        )


def complete(study: optuna.Study) -> list[FrozenTrial]:
    return study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))


def tell(study: optuna.Study, trial: optuna.Trial, v: Verdict) -> None:
    for name, value in zip(CONSTRAINTS, v.constraints, strict=True):
        trial.set_constraint(name, value)
    for name, value in v.figures.items():
        trial.set_user_attr(name, value)
    study.tell(trial, list(v.objectives))


def run_search(
    study: optuna.Study,
    design: Design,
    search: Search,
    runner,
    advance: Callable[[int], None],
    finished: dict[int, FrozenTrial] | None = None,
) -> bool:
    """Propose, run, judge and tell until ``search.trials`` trials are complete, or until a
    batch ends after the time limit (then False: at least one batch is judged per call).
    ``finished``: trials judged before a kill, by position (:func:`resumed`), told again
    without running them. ``advance(n)`` counts newly judged trials."""
    finished = finished or {}
    baseline = baseline_runs(design, runner)
    start = time.monotonic()
    while (done := len(complete(study))) < search.trials:
        asked, values = [], []
        positions = range(done, done + min(BATCH - done % BATCH, search.trials - done))
        for position in positions:
            study.sampler = sampler(search, position)
            asked.append(study.ask())
            values.append(propose(asked[-1], search.packages, search.targetings, search.plans))
        known = {i: verdict_of(k) for i, p in enumerate(positions)
                 if (k := finished.get(p)) is not None and k.params == asked[i].params}  # fmt: skip
        todo = [i for i in range(len(asked)) if i not in known]
        fresh = iter(judge(design, [search.strategy(values[i]) for i in todo], baseline, runner))
        for i, trial in enumerate(asked):
            tell(study, trial, known[i] if i in known else next(fresh))
        advance(len(todo))
        late = search.time_limit is not None and time.monotonic() - start > search.time_limit
        if late and len(complete(study)) < search.trials:
            return False
    return True


def verdict_of(trial: FrozenTrial) -> Verdict:
    """A finished trial's verdict, as it was told."""
    objectives, constraints = trial.values, constraints_of(trial)
    return Verdict(
        (objectives[0], objectives[1]),
        (constraints[0], constraints[1], constraints[2]),
        dict(trial.user_attrs),
    )


def feasible(study: optuna.Study) -> list[FrozenTrial]:
    """Complete trials that do no harm, best first on the first objective (ties: narrower
    gap, then earlier)."""
    ok = [t for t in complete(study) if all(c <= 0 for c in constraints_of(t))]
    return sorted(ok, key=lambda t: (-t.values[0], t.values[1], t.number))


# ---------------------------------------------------------------------------- after the search


@dataclass(frozen=True)
class Confirmed:
    """The confirmation: per strategy its runs on fresh seeds; the recommended mix's paired
    differences to the best shipped strategy and to the runner-up."""

    runs: pd.DataFrame  # candidate, strategy, world, replicate and outcomes
    best_shipped: str
    versus_shipped: tuple[float, float, float]  # share sustainable, points on 0-1
    worlds_better: float  # share of worlds where the mix beats the best shipped strategy
    versus_runner_up: tuple[float, float, float] | None


def paired(runs: pd.DataFrame, a: str, b: str, col: str = "share_sustainable"):
    """The paired difference a - b run by run (same world and replicate), with its interval,
    and the share of worlds in which a's mean is higher."""
    wide = runs.pivot_table(index=["world", "replicate"], columns="strategy", values=col)
    diff = wide[a] - wide[b]
    worlds = diff.groupby("world").mean()
    return interval(diff), float((worlds > 0).mean())


def confirm(
    design: Design, recommended: Strategy, runner_up: Strategy | None, shipped: list[str], runner
) -> Confirmed:
    """The recommended mix, its runner-up and the shipped strategies on fresh seeds."""
    names: list[Strategy | str] = [recommended, *([runner_up] if runner_up else []), BASELINE]
    names += shipped
    runs = run_candidates(design, names, runner, "confirming on fresh seeds")
    label = {i: s if isinstance(s, str) else s.name for i, s in enumerate(names)}
    runs["strategy"] = runs.candidate.map(label)
    means = runs[runs.strategy.isin(shipped)].groupby("strategy").share_sustainable.mean()
    best = str(means.idxmax()) if len(means) else BASELINE
    versus, better = paired(runs, recommended.name, best)
    runner = paired(runs, recommended.name, runner_up.name)[0] if runner_up else None
    return Confirmed(runs, best, versus, better, runner)


def sensitivity(
    design: Design, recommended: Strategy, packages: tuple[str, ...], runner
) -> pd.DataFrame:
    """For each package, the paired change in the share sustainably reintegrated when
    :data:`STEP` of the budget moves into it, and out of it where it has that much."""
    moves = [
        (p, sign * STEP)
        for p in packages
        for sign in (1, -1)
        if sign > 0 or recommended.shares.get(p, 0.0) >= STEP
    ]
    variants = [recommended] + [
        moved(recommended, p, step, f"{p} {step:+.2f}") for p, step in moves
    ]
    runs = run_candidates(design, variants, runner, "sensitivity to each share")
    runs["strategy"] = runs.candidate.map({i: v.name for i, v in enumerate(variants)})
    rows = []
    for (package, step), variant in zip(moves, variants[1:], strict=True):
        (mean, lo, hi), _ = paired(runs, variant.name, recommended.name)
        rows.append(
            {"package": package, "move": step, "change": mean, "change_lo": lo, "change_hi": hi}
        )
    return pd.DataFrame(rows, columns=["package", "move", "change", "change_lo", "change_hi"])


def world_means(runs: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: its mean over worlds of each world's mean."""
    return (
        runs.groupby("strategy").apply(per_world, include_groups=False).groupby("strategy").mean()
    )
