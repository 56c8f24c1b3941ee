"""A comparison's tables: its runs reduced, per budget and strategy, to means and intervals.

:mod:`experiments.comparison.compare` makes the runs and keeps one row per run (or per
month, group or place); this module turns those rows into what a planner reads: the summary
with the headline cost, the money planned, spent and left and why, what the next 100,000
buys, monitoring-survey rounds, who is left behind and the busiest places, and writes them
as CSV (with the run tables as Parquet). The estimators are
:mod:`experiments.comparison.statistics`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.comparison.compare import (
    BASELINE,
    EXTRA_PER_100K,
    HEADLINE_COST,
    OUTCOMES,
    PLACE_STATES,
    RETURNEE_OUTCOMES,
    Comparison,
)
from experiments.comparison.estimates import interval_columns, versus_none
from experiments.comparison.foresight import foresight_table
from experiments.comparison.horizons import horizon_table
from experiments.comparison.robust import Robust, robust_tables
from experiments.comparison.statistics import interval, mean_intervals, paired, ratio_interval


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
        row.update(zip(interval_columns(HEADLINE_COST), cost, strict=True))
        row["left"] = max(0.0, budget - g.spent.mean())  # never "-0" from rounding
        for col in OUTCOMES:
            row.update(zip(interval_columns(col), interval(g[col]), strict=True))
            diff = paired(same, strategy, BASELINE, col)
            row.update(zip(interval_columns(versus_none(col)), diff, strict=True))
        rows.append(row)
    return pd.DataFrame(rows)


def money_table(allocations: pd.DataFrame, months: int) -> pd.DataFrame:
    """Per budget, strategy and package: money planned, moved by case reviews (``redirected``:
    into the package, or out of it if negative), committed, spent and left, and why;
    who received it (returnees served or community units bought, and the places reached).

    Means over replicates (the population, and so what a package can absorb, differs). The
    reasons are the plan's, in order of how often they occur; money committed but due after
    the months simulated is named too, since the run stopped before it was spent.
    """
    by = ["budget", "strategy", "package", "level"]
    g = allocations.groupby(by, sort=False)
    columns = ["planned", "redirected", "committed", "spent", "units", "places"]
    table = g[columns].mean()
    left = table.planned + table.redirected - table.spent  # case reviews move money
    table["left"] = left.clip(lower=0.0).round(2)  # to the cent: no 1e-11 of float rounding
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
    left = money[money.left > 0.5]  # none at all with no money (a budget of 0)
    lines = {
        key: "; ".join(f"{r.package} {r.left:,.0f} ({r.reason})" for r in g.itertuples())
        for key, g in left.groupby(["budget", "strategy"], sort=False)
    }
    index = pd.MultiIndex.from_tuples(list(lines), names=["budget", "strategy"])
    return pd.Series(list(lines.values()), index=index, name="left_reason", dtype=object)


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
            gain = interval(per_100k)
            n = g.n_returnees.iloc[0]
            rows.append({
                "strategy": strategy, "from_budget": low, "to_budget": high,
                **dict(zip(interval_columns(EXTRA_PER_100K), gain, strict=True)),
                "points_per_100k": 100 * gain[0] / n if n else np.nan,
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


@dataclass(frozen=True)
class Tables:
    """What a planner reads of a comparison, each table with a ``budget`` column (one budget
    or several): passed whole between the modules that print, plot and report it."""

    summary: pd.DataFrame
    money: pd.DataFrame
    monitoring: pd.DataFrame
    left_behind: pd.DataFrame
    places: pd.DataFrame
    horizons: pd.DataFrame  # at 12, 24 and 48 months (those the runs reached)
    marginal: pd.DataFrame | None = None  # what more money buys: with several budgets only
    robust: Robust | None = None  # with plausible worlds only
    foresight: pd.DataFrame | None = None  # the cost of not knowing, at the reference budget

    def at(self, budget: float) -> Tables:
        """The tables at one budget (the marginal gains, across budgets, and the plausible
        worlds and the cost of not knowing, at the reference budget, kept whole)."""
        whole = ("marginal", "robust", "foresight")
        per_budget = {f.name: at_budget(getattr(self, f.name), budget) for f in fields(self)
                      if f.name not in whole}  # fmt: skip
        return Tables(**per_budget, **{name: getattr(self, name) for name in whole})

    def files(self) -> dict[str, pd.DataFrame]:
        """Every table by the name of its CSV file."""
        named = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "robust"}
        if self.robust is not None:
            named |= self.robust.files()
        return {name: table for name, table in named.items() if table is not None}


def plain_csv(x: float) -> str:
    """A CSV cell as a spreadsheet and a planner read it: six significant digits, never an
    exponent (``1000000``, not ``1e+06``)."""
    return np.format_float_positional(x, precision=6, unique=True, fractional=False, trim="-")


def at_budget(frame: pd.DataFrame, budget: float) -> pd.DataFrame:
    """A table's (or the runs') rows at one budget."""
    return frame[frame.budget == budget]


def summarise(comparison: Comparison) -> Tables:
    """A comparison's tables: summary, money, monitoring, left behind, places, the 12/24/48-month
    horizons (and marginal gains, and with plausible worlds the robust comparison's tables)."""
    c = comparison
    money = money_table(c.allocations, c.settings.months)
    summary = summary_table(c.runs)
    reasons = left_reasons(money).reindex(pd.MultiIndex.from_frame(summary[["budget", "strategy"]]))
    summary.insert(summary.columns.get_loc("left") + 1, "left_reason", reasons.fillna("").values)
    return Tables(
        summary=summary,
        money=money,
        monitoring=monitoring_table(c.monitoring),
        left_behind=left_behind_table(c.groups),
        places=places_table(c.places),
        horizons=horizon_table(c.model),
        marginal=marginal_table(c.runs) if len(c.settings.budgets) > 1 else None,
        robust=robust_tables(c.worlds) if c.worlds is not None else None,
        foresight=foresight_table(c.runs, c.foresight) if c.foresight is not None else None,
    )


def write_tables(comparison: Comparison, tables: Tables, out: Path) -> list[Path]:
    """CSV tables for a spreadsheet, Parquet run tables for anyone who digs further."""
    c, paths = comparison, []
    for name, table in {**tables.files(), "runs": c.runs}.items():
        paths.append(out / f"{name}.csv")
        table.to_csv(paths[-1], index=False, float_format=plain_csv)
    for name in ("model", "communities", "profiles"):
        paths.append(out / f"{name}.parquet")
        getattr(c, name).to_parquet(paths[-1], index=False)
    return [*paths, out / "returnees.parquet"]
