"""What knowing every arrival in advance would be worth: the cost of not knowing.

A programme commits its money in planning rounds (every ``planning_round_months``) on the
returns registered and the needs assessed so far, with a forecast for the rest, and re-plans
as monitoring comes in (IOM 2017 s.4.4). A plan made once before month 1 with perfect
foresight of who arrives where, when and with which needs (``planning_round_months`` = 0) is
the switch that measures what not knowing costs (issue 21 item 3): every strategy but
``none`` runs again at the reference budget with that plan, on the same seeds as the
comparison's own runs (the same returnees, communities and draws), and the difference,
replicate by replicate, is what foresight would add. A positive difference is the value of
better registration and forecasting of returns; a negative one says planning in rounds does
better than a plan fixed in advance (money is paced and re-committed as needs show).
"""

from __future__ import annotations

import pandas as pd

from experiments.comparison.compare import BASELINE, Settings, Task, lost
from experiments.comparison.estimates import estimate, interval_columns
from experiments.comparison.formats import cell, pct, phrase, points, usd
from experiments.comparison.statistics import interval
from experiments.engine.runners import run_all
from model.run import RunSpec, perform
from model.scenario import ReintegrationScenario, with_overrides

#: The plan that knows every arrival before month 1.
FORESIGHT = {"planning_round_months": 0}
#: What each foresight run keeps: the headline, the composite and the money spent.
KEPT = ("share_sustainable", "composite", "spent")
#: The foresight table's estimates (each a mean and its 95% interval), in order.
ESTIMATES = ("share_sustainable", "foresight_share_sustainable", "foresight_gain",
             "foresight_gain_composite", "spent", "foresight_spent")  # fmt: skip
COLUMNS = ["budget", "strategy", "replicates"] + [
    c for name in ESTIMATES for c in interval_columns(name)
]


def plans_ahead(scenario: ReintegrationScenario) -> bool:
    """Whether the scenario's own plan already knows every arrival (nothing to compare)."""
    return scenario.planning_round_months <= 0


def foresight_tasks(settings: Settings, scenario: ReintegrationScenario) -> list[Task]:
    """Every strategy but ``none`` (it has no plan) with the plan that knows, on the seeds
    of the comparison's own replicates: replicate k uses seed ``base + k``, as there."""
    knowing = with_overrides(scenario, FORESIGHT)
    return [
        Task(RunSpec(knowing, name, settings.seed + k, settings.months, {},
                     settings.strategies_file, record="summary"),
             {"budget": float(scenario.budget), "strategy": name, "replicate": k})
        for name in settings.strategies if name != BASELINE
        for k in range(settings.replicates)
    ]  # fmt: skip


def run_knowing(task: Task) -> dict:
    """One run with the plan that knows, reduced to what the table reads."""
    result = perform(task.spec)
    return {**task.keys, **{k: result.summary.get(k) for k in KEPT}}


def run_foresight(settings: Settings, scenario: ReintegrationScenario) -> pd.DataFrame | None:
    """The foresight runs at the reference budget, one row per strategy and replicate (None
    when the scenario's plan already knows every arrival)."""
    if plans_ahead(scenario):
        return None
    tasks = foresight_tasks(settings, scenario)
    return pd.DataFrame(run_all(run_knowing, tasks, settings.where, lost, desc="plans that knew"))


def foresight_table(runs: pd.DataFrame, knowing: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: the share sustainable with the plan in rounds and with the plan that
    knows, what foresight adds to it and to the composite (paired, replicate by replicate),
    and the money each spent, means with 95% intervals."""
    keys = ["budget", "strategy", "replicate"]
    both = runs[keys + list(KEPT)].merge(knowing, on=keys, suffixes=("", "_known"))
    rows = []
    for (budget, strategy), g in both.groupby(["budget", "strategy"], sort=False):
        values = {
            "share_sustainable": g.share_sustainable,
            "foresight_share_sustainable": g.share_sustainable_known,
            "foresight_gain": g.share_sustainable_known - g.share_sustainable,
            "foresight_gain_composite": g.composite_known - g.composite,
            "spent": g.spent,
            "foresight_spent": g.spent_known,
        }
        row = {"budget": budget, "strategy": strategy, "replicates": len(g)}
        for name, x in values.items():
            row.update(zip(interval_columns(name), interval(x), strict=True))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def table_foresight(table: pd.DataFrame) -> pd.DataFrame:
    """The report's table: per strategy, the share sustainable planned in rounds and with
    foresight, what foresight adds (points, also on the composite) and the money spent."""
    rows = list(table.itertuples(index=False))
    column = {
        "planned in rounds": ("share_sustainable", pct),
        "with foresight": ("foresight_share_sustainable", pct),
        "foresight adds (points)": ("foresight_gain", points),
        "to the composite (points)": ("foresight_gain_composite", points),
        "spent in rounds": ("spent", usd),
        "spent with foresight": ("foresight_spent", usd),
    }
    return pd.DataFrame({
        "strategy": [r.strategy for r in rows],
        **{label: [cell(estimate(pd.Series(r._asdict()), name), fmt) for r in rows]
           for label, (name, fmt) in column.items()},
    })  # fmt: skip


def text_foresight(table: pd.DataFrame | None, months: int) -> str:
    """What the table says, in a planner's words: the strategy foresight helps most, the one
    it helps least, and whether either difference is beyond chance (``table`` None: the
    scenario's own plan already knows every arrival)."""
    if table is None or table.empty:
        return (
            "This scenario's plan already knows every arrival before month 1 "
            "(planning_round_months = 0): there is no cost of not knowing to show."
        )
    ordered = table.sort_values("foresight_gain", ascending=False)
    most, least = ordered.iloc[0], ordered.iloc[-1]
    lines = [
        "Every strategy ran again on the same populations with a plan made before month 1 that "
        "knew who would arrive where, when and with which needs; this comparison's own plan "
        "commits money every planning round on what is known so far. The difference is what "
        "better registration and forecasting of returns would be worth at "
        f"{months} months, with {table.budget.iloc[0]:,.0f} USD."
    ]
    for row in (most, least) if len(ordered) > 1 else (most,):
        lines.append(f"{row.strategy}: {_points(row)}.")
    if (table.foresight_gain < 0).any():
        lines.append(
            "Where foresight does worse, the rounds used what a plan fixed in advance cannot: "
            "money meant for returnees who left before it came, committed again later (the "
            "spending columns), and community units placed where returns concentrated first."
        )
    return " ".join(lines)


def _points(row: pd.Series) -> str:
    gain = estimate(row, "foresight_gain")
    if gain.lo > 0:
        verdict = "foresight helps, beyond chance"
    elif gain.hi < 0:
        verdict = "planning in rounds does better than a plan fixed in advance, beyond chance"
    else:
        verdict = "the two cannot be told apart"
    return f"{phrase(gain, points, ' points')} sustainable with foresight: {verdict}"
