"""A comparison: every strategy on the same populations, with 95% intervals.

Replicate k of every strategy (and every budget) runs with seed ``base + k``; the model
draws the population before it looks at the strategy, so replicate k of every strategy
starts from the same returnees, communities and networks (common random numbers). The
difference between a strategy and ``none`` is therefore measured replicate by replicate,
which gives far narrower intervals than comparing two independent averages.

Runs go to a runner (:mod:`experiments.engine.runners`: this process, local processes or a
Dask scheduler), each calling :func:`model.run.run`. The results are taken back in task order
and gathered into small per-run tables (summaries, monthly model tables, who-is-left-behind
groups, monitoring-survey views); the large per-returnee tables are streamed to one Parquet
file (:class:`~experiments.engine.parquet.ParquetSink`) as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from tqdm import tqdm

from experiments.engine.parquet import ParquetSink
from experiments.engine.runners import InProcessRunner, in_order, make_runner
from model.inputs import ScenarioError
from model.mechanisms.scoring import intends_out_of_necessity
from model.model import ReintegrationModel
from model.run import SUMMARY_OUTCOMES, run
from model.scenario import ReintegrationScenario
from model.support import Strategy

BASELINE = "none"
#: Plain-language labels of the outcomes the report names; any other outcome of a run's
#: summary is reported under its own name.
LABELS = {
    "share_sustainable_m6": "sustainably reintegrated at 6 months (share)",
    "share_sustainable_m12": "sustainably reintegrated at 12 months (share)",
    "share_sustainable_m24": "sustainably reintegrated at 24 months (share)",
    "share_sustainable": "sustainably reintegrated at the last month (share)",
    "sustainable": "sustainably reintegrated at the last month (returnees)",
    "composite": "composite reintegration score (0-1)",
    "economic": "economic score (0-1)",
    "social": "social score (0-1)",
    "psychosocial": "psychosocial score (0-1)",
    "share_necessity": "intending to re-migrate out of necessity (share)",
    "tension": "community tension (0-1)",
    "nonmigrant_wellbeing": "non-migrants' well-being (0-1)",
    "spent": "money spent (USD)",
    "cost_per_sustainable": "cost per sustainably reintegrated returnee (USD)",
}
#: Outcomes reported per strategy: every outcome of a run's summary -> plain-language label.
OUTCOMES = {name: LABELS.get(name, name.replace("_", " ")) for name in SUMMARY_OUTCOMES}
#: The headline cost: USD per returnee sustainably reintegrated who would not be without it.
HEADLINE_COST = "cost_per_additional_sustainable"
#: Months after a person's own return at which a monitoring survey would interview them.
SURVEY_MONTHS = (3, 6, 12, 18, 24)
#: Returnee outcomes shown by group and by survey month.
RETURNEE_OUTCOMES = ("share_sustainable", "composite", "economic", "social", "psychosocial",
                     "share_necessity")  # fmt: skip
AGE_BANDS = ([0, 18, 25, 35, 200], ["under 18", "18-24", "25-34", "35 and over"])
#: Who is left behind: dimension -> how a returnee's profile row is labelled.
GROUPINGS = {
    "sex": lambda d: np.where(d.female, "women", "men"),
    "vulnerability": lambda d: np.where(d.vulnerable, "vulnerable", "not vulnerable"),
    "return": lambda d: np.where(d.forced, "forced", "voluntary"),
    "means": lambda d: np.where(d.empty_handed, "empty-handed", "with savings"),
    "age": lambda d: pd.cut(d.age, AGE_BANDS[0], right=False, labels=AGE_BANDS[1]).astype(str),
}
#: Community states shown per place, at the last month.
PLACE_STATES = ("tension", "cohesion", "stigma", "nonmigrant_wellbeing")


@dataclass(frozen=True)
class Task:
    """One run of a comparison: what a worker process needs, and nothing else."""

    scenario: ReintegrationScenario
    strategy: str
    replicate: int
    seed: int
    months: int
    strategies_file: str | None = None


@dataclass
class Settings:
    scenario: ReintegrationScenario  # at the scenario's own (or --set) budget
    scenarios: dict[float, ReintegrationScenario]  # one per budget
    strategies: dict[str, Strategy]  # the ones compared, baseline first
    months: int
    replicates: int
    seed: int
    workers: int
    strategies_file: str | None = None
    scheduler: str | None = None  # a Dask scheduler's address, else local processes

    @property
    def budgets(self) -> list[float]:
        return list(self.scenarios)

    def tasks(self) -> list[Task]:
        return [
            Task(s, name, k, self.seed + k, self.months, self.strategies_file)
            for s in self.scenarios.values()
            for name in self.strategies
            for k in range(self.replicates)
        ]


@dataclass
class Comparison:
    """Everything a comparison produced, as tables (one row per run, month or group)."""

    settings: Settings
    runs: pd.DataFrame  # one row per run: outcomes at the last month
    model: pd.DataFrame  # monthly model-level outcomes of every run
    communities: pd.DataFrame  # monthly community states of every run
    profiles: pd.DataFrame  # who each returnee is, per run
    groups: pd.DataFrame  # outcomes at the last month by group, per run
    monitoring: pd.DataFrame  # outcomes by months since return, per run
    places: pd.DataFrame  # per community at the last month, ranked by returnees received
    allocations: pd.DataFrame  # per package, per run: planned, committed, spent, why any left
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def reference_budget(self) -> float:
        """The budget the non-budget sections show: the scenario's own, else the largest."""
        own = self.settings.scenario.budget
        return own if own in self.settings.scenarios else max(self.settings.scenarios)


# ---------------------------------------------------------------------------- statistics


def interval(values) -> tuple[float, float, float]:
    """Mean and 95% confidence interval of the mean over replicates (Student's t).

    Missing values (e.g. cost per sustainable returnee when none is) are left out.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if len(x) < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return (mean, mean - half, mean + half)


def mean_intervals(frame: pd.DataFrame, by: list[str], columns) -> pd.DataFrame:
    """``column``, ``column_lo``, ``column_hi`` for each group of ``by``."""
    rows = []
    for keys, g in frame.groupby(by, sort=False, observed=True):
        row = dict(zip(by, keys, strict=True))
        for col in columns:
            row[col], row[f"{col}_lo"], row[f"{col}_hi"] = interval(g[col])
        rows.append(row)
    names = [f"{col}{suffix}" for col in columns for suffix in ("", "_lo", "_hi")]
    return pd.DataFrame(rows, columns=[*by, *names])


def paired(runs: pd.DataFrame, strategy: str, other: str, col: str) -> tuple[float, ...]:
    """Mean and 95% interval of ``strategy - other``, replicate by replicate (same seeds)."""
    wide = runs[runs.strategy.isin([strategy, other])].pivot(
        index="replicate", columns="strategy", values=col
    )
    return interval(wide[strategy] - wide[other])


def ratio_interval(spent, extra) -> tuple[float, float, float]:
    """Mean spent over mean extra returnees, with its 95% interval by Fieller's theorem.

    Both come from the same replicates (paired), so their covariance counts. When the extra
    returnees cannot be told apart from zero, no finite range holds the ratio: the upper end
    is infinite (and the cost is missing when on average nobody is added).
    """
    a, b = np.asarray(spent, dtype=float), np.asarray(extra, dtype=float)
    n, ma, mb = len(a), float(a.mean()), float(b.mean())
    if mb <= 0:
        return (np.nan, np.nan, np.nan)
    if n < 2:
        return (ma / mb, np.nan, np.nan)
    t2 = float(stats.t.ppf(0.975, n - 1)) ** 2
    (vaa, vab), (_, vbb) = np.cov(a, b, ddof=1) / n
    qa, qb, qc = mb**2 - t2 * vbb, ma * mb - t2 * vab, ma**2 - t2 * vaa
    if qa <= 0:  # unbounded: the lowest plausible cost is at the most plausible extra
        return (ma / mb, ma / (mb + np.sqrt(t2 * vbb)), np.inf)
    root = np.sqrt(max(qb**2 - qa * qc, 0.0))
    return (ma / mb, (qb - root) / qa, (qb + root) / qa)


def summary_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per budget and strategy: means, 95% intervals, paired differences to none,
    and the headline cost per additional sustainably reintegrated returnee."""
    rows = []
    for (budget, strategy), g in runs.groupby(["budget", "strategy"], sort=False):
        same = runs[runs.budget == budget]
        row = {"budget": budget, "strategy": strategy, "replicates": len(g)}
        wide = same.pivot(index="replicate", columns="strategy", values="sustainable")
        extra = wide[strategy] - wide[BASELINE]
        spent = g.set_index("replicate").spent.reindex(extra.index)
        cost = (np.nan,) * 3 if strategy == BASELINE else ratio_interval(spent, extra)
        row.update(zip(_with_interval(HEADLINE_COST), cost, strict=True))
        row["left"] = budget - g.spent.mean()
        for col in OUTCOMES:
            row.update(zip(_with_interval(col), interval(g[col]), strict=True))
            diff = paired(same, strategy, BASELINE, col)
            row.update(zip(_with_interval(f"{col}_vs_none"), diff, strict=True))
        rows.append(row)
    return pd.DataFrame(rows)


def _with_interval(col: str) -> tuple[str, str, str]:
    return (col, f"{col}_lo", f"{col}_hi")


def money_table(allocations: pd.DataFrame, months: int) -> pd.DataFrame:
    """Per budget, strategy and package: money planned, committed, spent and left, and why.

    Means over replicates (the population, and so what a package can absorb, differs). The
    reasons are the plan's, in order of how often they occur; money committed but due after
    the months simulated is named too, since the run stopped before it was spent.
    """
    by = ["budget", "strategy", "package"]
    g = allocations.groupby(by, sort=False)
    table = g[["planned", "committed", "spent"]].mean()
    table["left"] = table.planned - table.spent
    reasons = g.reason.agg(lambda r: "; or ".join(r[r != ""].value_counts().index))
    undelivered = (table.committed - table.spent > 0.5).map(
        {True: f"committed, but due after the {months} months simulated", False: ""}
    )
    table["reason"] = [
        "; ".join(x for x in pair if x) for pair in zip(reasons, undelivered, strict=True)
    ]
    return table.reset_index()


def left_reasons(money: pd.DataFrame) -> pd.Series:
    """One line per budget and strategy: each package that left money, how much and why."""
    left = money[money.left > 0.5]
    lines = left.groupby(["budget", "strategy"], sort=False).apply(
        lambda g: "; ".join(f"{r.package} {r.left:,.0f} ({r.reason})" for r in g.itertuples()),
        include_groups=False,
    )
    return lines.rename("left_reason")


def marginal_table(runs: pd.DataFrame) -> pd.DataFrame:
    """What the next 100,000 buys: extra sustainable returnees between consecutive budgets.

    No programme spends nothing at any budget, so it has no row.
    Budgets share seeds, so replicate k at two budgets has the same population and the
    gain is measured pairwise, replicate by replicate.
    """
    rows = []
    for strategy, g in runs[runs.strategy != BASELINE].groupby("strategy", sort=False):
        wide = g.pivot(index="replicate", columns="budget", values="sustainable")
        budgets = sorted(wide.columns)
        for low, high in zip(budgets, budgets[1:], strict=False):
            per_100k = (wide[high] - wide[low]) / (high - low) * 100_000
            mean, lo, hi = interval(per_100k)
            n = g.n_returnees.iloc[0]
            rows.append({
                "strategy": strategy, "from_budget": low, "to_budget": high,
                "extra_sustainable_per_100k": mean, "extra_sustainable_per_100k_lo": lo,
                "extra_sustainable_per_100k_hi": hi,
                "points_per_100k": 100 * mean / n if n else np.nan,
            })  # fmt: skip
    return pd.DataFrame(rows)


def monitoring_table(monitoring: pd.DataFrame) -> pd.DataFrame:
    """Outcomes at 3, 6, 12, 18 and 24 months after each person's return, with intervals."""
    by = ["budget", "strategy", "months_since_return"]
    observed = monitoring[monitoring.n > 0]
    table = mean_intervals(observed, by, RETURNEE_OUTCOMES)
    counts = monitoring.groupby(by, sort=False).n.mean().rename("interviewed").reset_index()
    return counts.merge(table, on=by, how="left")


def places_table(places: pd.DataFrame) -> pd.DataFrame:
    """Communities ranked by returnees received (1 = most), averaged over replicates."""
    by = ["budget", "strategy", "rank"]
    table = mean_intervals(places, by, ["returnees", *RETURNEE_OUTCOMES, *PLACE_STATES])
    order = {name: i for i, name in enumerate(places.strategy.unique())}
    return table.sort_values(
        by, key=lambda c: c.map(order) if c.name == "strategy" else c, ignore_index=True
    )


def left_behind_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Outcomes at the last month by sex, vulnerability, return type, means, age, community."""
    by = ["budget", "strategy", "dimension", "group"]
    table = mean_intervals(groups, by, RETURNEE_OUTCOMES)
    counts = groups.groupby(by, sort=False).n.mean().rename("returnees").reset_index()
    return counts.merge(table, on=by)


# ---------------------------------------------------------------------------- one run


def run_task(task: Task) -> dict:
    """Run one strategy on one replicate and reduce it to the tables a comparison needs."""
    result = run(task.scenario, task.strategy, task.seed, task.months,
                 strategies_file=task.strategies_file)  # fmt: skip
    keys = {"budget": float(task.scenario.budget), "strategy": task.strategy,
            "replicate": task.replicate}  # fmt: skip
    returnees = result.returnee_table.astype(
        {"month": "int16", "returnee": "int32", "months_since_return": "int16"}
    )
    returnees["intends_necessity"] = intends_out_of_necessity(returnees.necessity, task.scenario)
    last = returnees[returnees.month == task.months - 1].merge(result.profiles, on="returnee")
    summary = {**keys, "seed": task.seed, "n_returnees": result.summary["n_returnees"]}
    summary.update({k: result.summary.get(k) for k in OUTCOMES})
    return {
        "summary": summary,
        "model": _tag(result.model_table, keys),
        "communities": _tag(result.community_table, keys),
        "profiles": _tag(result.profiles, keys),
        "groups": _tag(_by_group(last), keys),
        "monitoring": _tag(_by_survey_month(returnees), keys),
        "places": _tag(_by_place(last, result.community_table, task.months), keys),
        "allocations": _tag(_allocations(task, result.summary["spent_by_package"]), keys),
        "returnees": _tag(returnees, keys),
    }


def _allocations(task: Task, spent: dict[str, float]) -> pd.DataFrame:
    """The plan's allocations with what the run spent on each package.

    :func:`model.run.run` returns tables, not its model; building the model again with the
    same seed draws the same population, and so gives the plan the run followed.
    """
    plan = ReintegrationModel(
        task.scenario,
        strategy=task.strategy,
        rng=task.seed,
        strategies_file=task.strategies_file,
        create_agents=False,
    ).plan
    rows = [{"package": a.package, "level": a.level, "planned": a.planned,
             "committed": a.committed, "spent": spent.get(a.package, 0.0), "reason": a.reason}
            for a in plan.allocations]  # fmt: skip
    return pd.DataFrame(rows, columns=["package", "level", "planned", "committed", "spent",
                                       "reason"])  # fmt: skip


def _tag(frame: pd.DataFrame, keys: dict) -> pd.DataFrame:
    return pd.concat([pd.DataFrame(keys, index=frame.index), frame], axis=1)


#: Returnee-table columns averaged into RETURNEE_OUTCOMES (booleans become shares).
_MEANS = {"sustainable": "share_sustainable", "composite": "composite", "economic": "economic",
          "social": "social", "psychosocial": "psychosocial",
          "intends_necessity": "share_necessity"}  # fmt: skip


def _outcomes(frame: pd.DataFrame, by) -> pd.DataFrame:
    grouped = frame.groupby(by, observed=True)[list(_MEANS)]
    table = grouped.mean().rename(columns=_MEANS)
    table.insert(0, "n", grouped.size())
    return table


def _by_group(last: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for dimension, label in GROUPINGS.items():
        table = _outcomes(last.assign(group=label(last)), "group").reset_index()
        parts.append(table.assign(dimension=dimension))
    return pd.concat(parts, ignore_index=True)


def _by_place(last: pd.DataFrame, communities: pd.DataFrame, months: int) -> pd.DataFrame:
    """Each community's returnee outcomes and states; ranked, since which village receives
    most is drawn anew in each replicate while "the busiest village" means the same."""
    states = communities[communities.month == months - 1].set_index("community")
    table = states[list(PLACE_STATES)].join(_outcomes(last, "community"))
    table["returnees"] = states.arrived_returnees
    table["rank"] = np.lexsort((table.index, -table.returnees.to_numpy())).argsort() + 1
    return table.drop(columns="n").rename_axis("community").reset_index()


def _by_survey_month(returnees: pd.DataFrame) -> pd.DataFrame:
    surveyed = returnees[returnees.months_since_return.isin(SURVEY_MONTHS)]
    table = _outcomes(surveyed, "months_since_return").reindex(SURVEY_MONTHS)
    table["n"] = table["n"].fillna(0).astype(int)
    return table.rename_axis("months_since_return").reset_index()


# ---------------------------------------------------------------------------- many runs


def run_comparison(settings: Settings, out: Path) -> Comparison:
    """Run every task, stream returnee tables to ``out/returnees.parquet``, gather the rest."""
    out.mkdir(parents=True, exist_ok=True)
    tasks = settings.tasks()
    parts: dict[str, list] = {k: [] for k in ("summary", "model", "communities", "profiles",
                                              "groups", "monitoring", "places",
                                              "allocations")}  # fmt: skip
    with runner_for(settings, len(tasks)) as runner, ParquetSink(out / "returnees.parquet") as sink:
        results = in_order(runner.results(tasks, _lost))
        for result in tqdm(results, total=len(tasks), desc="compare", unit="run"):
            sink.write(result.pop("returnees"))
            for key, value in result.items():
                parts[key].append(value)
    return Comparison(
        settings=settings,
        runs=pd.DataFrame(parts["summary"]),
        **{k: pd.concat(parts[k], ignore_index=True) for k in parts if k != "summary"},
    )


def runner_for(settings: Settings, n_tasks: int):
    """Dask if asked; else local processes, or this process alone when one worker is asked."""
    workers = max(1, min(settings.workers, n_tasks))
    if workers == 1 and not settings.scheduler:
        return InProcessRunner(run_task)
    return make_runner(run_task, workers, settings.scheduler)


def _lost(task: Task, why: str):
    raise ScenarioError([f"compare: {why} running replicate {task.replicate} of "
                         f"{task.strategy!r}, every time it was tried"])  # fmt: skip


def summarise(comparison: Comparison) -> None:
    """Fill ``comparison.tables``: summary, money, monitoring, left behind (and marginal
    gains)."""
    c = comparison
    several = len(c.settings.budgets) > 1
    money = money_table(c.allocations, c.settings.months)
    summary = summary_table(c.runs)
    reasons = left_reasons(money).reindex(pd.MultiIndex.from_frame(summary[["budget", "strategy"]]))
    summary.insert(summary.columns.get_loc("left") + 1, "left_reason", reasons.fillna("").values)
    tables = {
        "summary": summary,
        "money": money,
        "monitoring": monitoring_table(c.monitoring),
        "left_behind": left_behind_table(c.groups),
        "places": places_table(c.places),
    }
    if several:
        tables["marginal"] = marginal_table(c.runs)
    else:
        for name in ("summary", "money", "monitoring", "left_behind", "places"):
            tables[name] = tables[name].drop(columns="budget")
    c.tables = tables


def write_tables(comparison: Comparison, out: Path) -> list[Path]:
    """CSV tables for a spreadsheet, Parquet run tables for anyone who digs further."""
    c, paths = comparison, []
    for name, table in {**c.tables, "runs": c.runs}.items():
        paths.append(out / f"{name}.csv")
        table.to_csv(paths[-1], index=False, float_format="%.6g")
    for name in ("model", "communities", "profiles"):
        paths.append(out / f"{name}.parquet")
        getattr(c, name).to_parquet(paths[-1], index=False)
    return [*paths, out / "returnees.parquet"]
