"""A robust comparison: every strategy in every plausible world, and how far the ranking holds.

A plausible world is one draw from a calibrated ensemble (:mod:`experiments.calibration.ensemble`):
a set of parameter values the published figures do not rule out. In each world every strategy
runs on the same seeds (common random numbers: same population, only the strategy differs),
so "A beats B in this world" is a paired statement. Draws are taken with replacement in
proportion to the posterior weights, so each drawn world counts once: weighting them again
would count the weights twice.

From the worlds come three tables: the share of worlds in which each strategy beats each other
(:func:`beat_shares`), each strategy's regret (:func:`regret_table`: per world, the best
strategy's outcome minus this one's), and the parameter ranges in which the runner-up wins
(:func:`flip_rules`, scenario discovery with a shallow decision tree over every varied
input). Outcomes within :data:`~experiments.comparison.statistics.TIE` of each other are a tie
everywhere: a tie counts half in a pairwise share and a world's "best" is split among those
tied, so no strategy wins a tie by being listed first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binomtest, spearmanr
from sklearn.tree import DecisionTreeClassifier

from experiments.comparison.compare import BASELINE, HEADLINE, Settings, Task, lost
from experiments.comparison.statistics import TIE
from experiments.engine.runners import run_all
from model.outcomes import Outcome, declare
from model.run import RunSpec, perform
from model.scenario import ReintegrationScenario, with_overrides

#: The outcomes the ranking is judged on (higher is better for each).
HEADLINE_OUTCOMES = ("share_sustainable", "composite", "nonmigrant_wellbeing")
#: Kept per world and strategy: the headline, the horizon comparison and do-no-harm.
WORLD_OUTCOMES = (*HEADLINE_OUTCOMES, "share_sustainable_m12", "share_sustainable_m24", "tension",
                  "sustainable", "spent")  # fmt: skip
#: Depth of the tree that explains who wins by the world's parameters: two splits stay
#: readable as a sentence, and a hundred-odd worlds cannot support more.
TREE_DEPTH = 2
#: A rule's range is kept when the runner-up's wins inside it could arise by chance less
#: often than this (see :func:`_significant`).
SIGNIFICANCE = 0.05
#: Shuffles of who wins that measure how strong a rule noise alone gives (see
#: :func:`_beyond_chance`): 99 resolve a 5% level.
PERMUTATIONS = 99
FLIP_COLUMNS = [
    "outcome",
    "leader",
    "runner_up",
    "rule",
    "parameter",
    "low",
    "high",
    "side",
    "worlds_in_rule",
    "runner_up_wins",
    "runner_up_wins_overall",
    "worlds",
]


def world_tasks(
    settings: Settings, scenario: ReintegrationScenario, draws: list[dict], replicates: int
) -> list[Task]:
    """Every strategy in every world (the run's scenario carries the world's parameter
    values); replicate k of world d uses seed ``base + d*R + k``.

    Within a world all strategies share seeds (paired); worlds get seeds of their own, so
    the share of worlds also carries chance, as a planner's one real world would.
    """
    worlds = [with_overrides(scenario, values) for values in draws]
    return [
        Task(RunSpec(world, name, settings.seed + d * replicates + k, settings.months, {},
                     settings.strategies_file, record="summary"),
             {"draw": d, "strategy": name, "replicate": k})
        for d, world in enumerate(worlds)
        for name in settings.strategies
        for k in range(replicates)
    ]  # fmt: skip


def run_world(task: Task) -> dict:
    """One run reduced to the outcomes a robust comparison reads (no per-returnee tables)."""
    result = perform(task.spec)
    row = {**task.keys, "seed": task.spec.seed}
    return row | {k: result.summary.get(k) for k in WORLD_OUTCOMES}


def run_worlds(settings: Settings, scenario: ReintegrationScenario) -> pd.DataFrame:
    """Run every world on the comparison's runner; one row per world and strategy (means
    over the world's replicates), with the world's parameter values beside them."""
    w = settings.worlds
    if w is None:
        raise ValueError("run_worlds needs settings.worlds")
    draws = w.values(scenario, settings.seed)
    tasks = world_tasks(settings, scenario, draws, w.replicates)
    rows = run_all(run_world, tasks, settings.where, lost, desc="plausible worlds")
    runs = pd.DataFrame(rows)
    means = runs.groupby(["draw", "strategy"], sort=False)[list(WORLD_OUTCOMES)].mean()
    parameters = pd.DataFrame(draws).rename_axis("draw")
    return means.reset_index().merge(parameters.reset_index(), on="draw")


# ---------------------------------------------------------------------------- the tables


def wide(worlds: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """One row per world, one column per strategy (in the order they were run)."""
    order = list(dict.fromkeys(worlds.strategy))
    return worlds.pivot(index="draw", columns="strategy", values=outcome)[order]


def beat_shares(worlds: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Share of worlds in which ``strategy`` beats ``other`` on ``outcome`` (a tie, within
    :data:`TIE`, counts half), for every ordered pair, with the counts of worlds won and
    tied; each world counts once (draws are already by weight)."""
    w = wide(worlds, outcome)
    rows = []
    for a in w.columns:
        for b in w.columns:
            if a != b:
                wins, ties = int((w[a] - w[b] > TIE).sum()), int(((w[a] - w[b]).abs() <= TIE).sum())
                rows.append({"outcome": outcome, "strategy": a, "other": b,
                             "share_of_worlds": (wins + 0.5 * ties) / len(w), "wins": wins,
                             "ties": ties, "worlds": len(w)})  # fmt: skip
    return pd.DataFrame(rows)


def best_in_world(worlds: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per world (rows) and strategy (columns): best there, or tied with the best."""
    w = wide(worlds, outcome)
    return w.ge(w.max(axis=1) - TIE, axis=0)


#: The columns of the table of worlds, declared once: the report's table and the terminal's
#: read their labels and formats here.
ACROSS_WORLDS: dict[str, Outcome] = {o.name: o for o in (
    declare("share_best", "best in (share of worlds)", "worlds", True, "best in"),
    declare("share_tied_best", "best or tied for best in", "worlds", True, "best or tied"),
    declare("beats_none", "beats no programme in", "worlds", True, "beats none in"),
    declare("mean_regret", "mean regret (points)", "points", False, "regret: mean (pts)"),
    declare("p95_regret", "95th percentile of regret", "points", False, "95th pct"),
    declare("max_regret", "largest regret", "points", False, "max"),
)}  # fmt: skip


def across_worlds(robust: Robust, short: bool) -> pd.DataFrame:
    """Per strategy, on the headline: the share of worlds it is best in (a tie split among
    the tied) and best or tied for best in, beats no programme in, and its regret, read as
    :data:`ACROSS_WORLDS` declares (``short`` headings where width is scarce)."""
    regret = robust.regret[robust.regret.outcome == HEADLINE].set_index("strategy")
    shares = robust.shares
    vs_none = shares[(shares.outcome == HEADLINE) & (shares.other == BASELINE)]
    values = regret.assign(beats_none=vs_none.set_index("strategy").share_of_worlds)
    columns = {"strategy": regret.index.to_numpy()}
    for name, o in ACROSS_WORLDS.items():
        columns[o.heading() if short else o.label] = values[name].map(o.fmt).to_numpy()
    return pd.DataFrame(columns)


def regret_table(worlds: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per strategy: regret per world (best outcome there minus its own), its mean, 95th
    percentile and maximum over worlds, and the share of worlds in which it is best, a
    world where several tie for best split evenly among them."""
    w = wide(worlds, outcome)
    regret = w.max(axis=1).to_numpy()[:, None] - w
    best = best_in_world(worlds, outcome)
    return pd.DataFrame({
        "outcome": outcome,
        "strategy": w.columns,
        "mean_regret": regret.mean().to_numpy(),
        "p95_regret": regret.quantile(0.95).to_numpy(),
        "max_regret": regret.max().to_numpy(),
        "share_best": best.div(best.sum(axis=1), axis=0).mean().to_numpy(),
        "share_tied_best": best.mean().to_numpy(),
    })  # fmt: skip


def ranked(regret: pd.DataFrame, outcome: str) -> list[str]:
    """The strategies other than the counterfactual, least mean regret first (then most
    worlds best, then run order): the leader every sentence names, and its runner-up."""
    r = regret[(regret.outcome == outcome) & (regret.strategy != BASELINE)]
    r = r.assign(order=range(len(r))).sort_values(
        ["mean_regret", "share_best", "order"], ascending=[True, False, True]
    )
    return r.strategy.astype(str).tolist()


def flip_rules(worlds: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """The parameter ranges in which the runner-up, not the leader, does better.

    Leader and runner-up are the first two of :func:`ranked`. A shallow decision tree on
    every input the worlds vary separates the worlds in which the runner-up beats the leader
    (by more than a tie); each leaf where it does in most worlds is a rule: a box of parameter
    ranges, the worlds in it, and how many of them the runner-up wins. The rules are kept only
    when stronger than shuffled wins give (:func:`_beyond_chance`), and each keeps only the
    ranges that matter (:func:`_significant`). None when the runner-up wins no world.

    Why a tree rather than PRIM (EMA Workbench's ``prim``): the report must state its rules
    with no analyst at hand, and PRIM needs one to pick a box on its peeling trajectory; a
    depth-2 tree gives at most a few boxes of two ranges each, a sentence a planner can read,
    and both are read the same way (coverage, density, quasi-p-values).
    """
    order = ranked(regret_table(worlds, outcome), outcome)
    if len(order) < 2:
        return pd.DataFrame(columns=FLIP_COLUMNS)
    leader, runner_up = order[:2]
    w = wide(worlds, outcome)
    y = (w[runner_up] - w[leader] > TIE).to_numpy()
    x = _varying(worlds.drop_duplicates("draw").set_index("draw").reindex(w.index))
    if x.empty or not y.any():
        return pd.DataFrame(columns=FLIP_COLUMNS)
    rules = _rules(x, y)
    if not _beyond_chance(x, y, rules):
        return pd.DataFrame(columns=FLIP_COLUMNS)
    rows = []
    boxes = (_significant(b, x, y) for b, _ in rules)
    kept = [b for b in dict.fromkeys(tuple(b.items()) for b in boxes if b)]
    for rule, bounds in enumerate(kept, start=1):
        members = _inside(dict(bounds), x)
        for name, (low, high) in bounds:
            rows.append([outcome, leader, runner_up, rule, name, low, high,
                         _side(low, high, x[name]), int(members.sum()), int(y[members].sum()),
                         int(y.sum()), len(y)])  # fmt: skip
    return pd.DataFrame(rows, columns=FLIP_COLUMNS)


def _side(low: float, high: float, seen: pd.Series) -> str:
    """How a range reads: "below" its top when it starts at the lowest value seen, "above"
    its bottom when it ends at the highest, else "between"."""
    if low <= seen.min():
        return "below"
    return "above" if high >= seen.max() else "between"


def margin_drivers(worlds: pd.DataFrame, outcome: str, a: str, b: str) -> pd.Series:
    """The inputs the margin of ``a`` over ``b`` moves with across the worlds, strongest
    first: Spearman rank correlations significant after a Bonferroni correction for the
    number of inputs (with a hundred inputs, some correlate by chance). What would decide
    between the two when no range of the inputs flips them."""
    w = wide(worlds, outcome)
    x = _varying(worlds.drop_duplicates("draw").set_index("draw").reindex(w.index))
    margin = (w[a] - w[b]).to_numpy()
    if x.empty or len(w) < 4 or np.ptp(margin) == 0:
        return pd.Series(dtype=float)
    tests = {n: spearmanr(x[n], margin) for n in x.columns}
    kept = {n: float(t.statistic) for n, t in tests.items() if t.pvalue < SIGNIFICANCE / len(tests)}
    return pd.Series(kept, dtype=float).sort_values(key=abs, ascending=False)


def _rules(x: pd.DataFrame, y: np.ndarray) -> list[tuple[dict, np.ndarray]]:
    """The leaves of a shallow tree on the worlds' inputs where the runner-up wins in most
    worlds: each a box of ranges, and which worlds fall in it."""
    tree = DecisionTreeClassifier(max_depth=TREE_DEPTH, min_samples_leaf=max(1, len(y) // 10),
                                  random_state=0).fit(x, y)  # fmt: skip
    return [(b, m) for b, m in _leaves(tree, x) if y[m].mean() > 0.5]


def _strength(y: np.ndarray, rules: list[tuple[dict, np.ndarray]]) -> float:
    """How likely the strongest rule's wins would be at the overall rate (one-sided
    binomial); 1 without a rule. Smaller is stronger."""
    base = min(float(y.mean()), 1.0)
    chances = (binomtest(int(y[m].sum()), int(m.sum()), base, alternative="greater").pvalue
               for _, m in rules)  # fmt: skip
    return min(chances, default=1.0)


def _beyond_chance(x: pd.DataFrame, y: np.ndarray, rules: list[tuple[dict, np.ndarray]]) -> bool:
    """Whether the tree's rules are stronger than what it finds when who wins is shuffled
    among the worlds (a permutation test, :data:`PERMUTATIONS` shuffles, seeded): with a
    hundred inputs and a hundred worlds, some input always seems to split them, and the
    shuffles measure how well noise does."""
    if not rules:
        return False
    observed = _strength(y, rules)
    rng = np.random.default_rng(0)
    shuffled = [
        _strength(z, _rules(x, z)) for z in (rng.permutation(y) for _ in range(PERMUTATIONS))
    ]
    return float(np.mean(np.array(shuffled) <= observed)) < SIGNIFICANCE


def _inside(bounds: dict[str, tuple[float, float]], x: pd.DataFrame) -> np.ndarray:
    """Which worlds lie within every range of a rule (ends included)."""
    inside = np.ones(len(x), bool)
    for name, (low, high) in bounds.items():
        inside &= ((x[name] >= low) & (x[name] <= high)).to_numpy()
    return inside


def _significant(
    bounds: dict[str, tuple[float, float]], x: pd.DataFrame, y: np.ndarray
) -> dict[str, tuple[float, float]]:
    """The ranges of a rule that matter: each is kept only if the runner-up wins more often
    inside the rule than inside the rule without that range, beyond what chance gives (a
    one-sided binomial test, the "quasi-p-value" of PRIM practice, Bryant and Lempert 2010).
    With a hundred inputs and a hundred worlds, a tree finds some split on noise; this drops
    it. The tree chose each range as the best split among every input the worlds vary, so the
    test's level is :data:`SIGNIFICANCE` over their number (Bonferroni, as
    :func:`margin_drivers`): at 0.05 alone, the best of a hundred noise inputs passes about
    as often as not, and a rule read "where counselling does nothing and the wage premium
    for skill is below 0.99" named an input that decides nothing."""
    inside = _inside(bounds, x)
    level = SIGNIFICANCE / x.shape[1]
    kept = {}
    for name, limits in bounds.items():
        without = _inside({k: v for k, v in bounds.items() if k != name}, x)
        base = float(y[without].mean())
        test = binomtest(int(y[inside].sum()), int(inside.sum()), min(base, 1.0),
                         alternative="greater")  # fmt: skip
        if base < 1 and test.pvalue < level:
            kept[name] = limits
    return kept


def parameter_sets(worlds: pd.DataFrame) -> pd.Series:
    """Per world (draw), a label of its parameter set: worlds drawn from the same particle
    share it, so they differ by replicate noise alone."""
    per_draw = worlds.drop_duplicates("draw").set_index("draw")
    params = per_draw[[c for c in per_draw.columns if c not in {"strategy", *WORLD_OUTCOMES}]]
    labels = pd.util.hash_pandas_object(params, index=False) if len(params.columns) else 0
    return pd.Series(labels, index=per_draw.index)


def replicate_noise(worlds: pd.DataFrame, outcome: str, a: str, b: str) -> tuple[int, int]:
    """Pairs of worlds with the same parameters, and how many of them disagree on whether
    ``a`` beats, ties or trails ``b``: the disagreement between worlds that replicate noise
    alone makes, measured for free when a particle is drawn more than once."""
    w = wide(worlds, outcome)
    diff = (w[a] - w[b]).to_numpy()
    verdict = np.where(diff > TIE, 1, np.where(diff < -TIE, -1, 0))
    counts = pd.crosstab(parameter_sets(worlds).reindex(w.index).to_numpy(), verdict)
    pairs = int((counts.sum(axis=1) * (counts.sum(axis=1) - 1) // 2).sum())
    same = int((counts * (counts - 1) // 2).to_numpy().sum())
    return pairs, pairs - same


def _varying(frame: pd.DataFrame) -> pd.DataFrame:
    """The parameter columns that differ between worlds (outcomes and keys left out)."""
    keys = {"strategy", *WORLD_OUTCOMES}
    params = frame[[c for c in frame.columns if c not in keys]].astype(float)
    return params.loc[:, params.nunique() > 1]


def _leaves(tree: DecisionTreeClassifier, x: pd.DataFrame):
    """Each leaf as (the parameter ranges leading to it, which worlds fall in it).

    A range's open end is the lowest or highest value seen among the worlds, so a rule reads
    "from 0.02 to 0.11" rather than "up to 0.11".
    """
    t, names = tree.tree_, list(x.columns)
    leaf_of = tree.apply(x)
    stack: list[tuple[int, dict[str, tuple[float | None, float | None]]]] = [(0, {})]
    while stack:
        node, bounds = stack.pop()
        if t.children_left[node] == -1:
            members = leaf_of == node
            closed = {n: (x[n].min() if lo is None else lo, x[n].max() if hi is None else hi)
                      for n, (lo, hi) in bounds.items()}  # fmt: skip
            yield closed, members
            continue
        name, cut = names[t.feature[node]], float(t.threshold[node])
        lo, hi = bounds.get(name, (None, None))
        stack.append((t.children_right[node], {**bounds, name: (cut, hi)}))
        stack.append((t.children_left[node], {**bounds, name: (lo, cut)}))


@dataclass(frozen=True)
class Robust:
    """The robust comparison's tables, for every headline outcome."""

    shares: pd.DataFrame  # per outcome and pair: the share of worlds one beats the other in
    regret: pd.DataFrame  # per outcome and strategy: best in, regret
    flips: pd.DataFrame  # per outcome: the parameter ranges in which the runner-up wins
    worlds: pd.DataFrame  # per world and strategy: outcomes and the world's parameters

    def files(self) -> dict[str, pd.DataFrame]:
        """The tables by the name of their CSV file."""
        return {"robust_shares": self.shares, "robust_regret": self.regret,
                "robust_flips": self.flips, "worlds": self.worlds}  # fmt: skip


def robust_tables(worlds: pd.DataFrame) -> Robust:
    """The robust comparison's tables, for every headline outcome."""

    def every(table) -> pd.DataFrame:
        parts = [t for t in (table(worlds, o) for o in HEADLINE_OUTCOMES) if len(t)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FLIP_COLUMNS)

    return Robust(every(beat_shares), every(regret_table), every(flip_rules), worlds)
