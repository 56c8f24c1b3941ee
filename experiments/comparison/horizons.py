"""12, 24 and 48 months: what each strategy has done by the end of its first year, of its
funding and two years after, for returnees, for non-migrants and everywhere structural work
reaches.

A programme funded for two years is judged at different horizons by different people: cash
acts fast and fades, structural work starts slowly and lasts. This module reads the
comparison's monthly model table (one row per run and month) at each horizon the runs reached
and gives, per strategy, the share sustainably reintegrated and the non-migrants' well-being
(each with its paired difference to no programme), the structural strength, and the people
structural work reaches with the well-being each resident beyond the modelled villages gains
(the villages' own per-resident effect, :func:`model.mechanisms.structural.dividend`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.comparison.compare import BASELINE, outcome
from experiments.comparison.estimates import (
    difference,
    estimate,
    high,
    interval_columns,
    low,
    versus_none,
)
from experiments.comparison.formats import cell, number, pct, points
from experiments.comparison.plots import MONTH_AXIS, Plot, _legend, _plot
from experiments.comparison.statistics import interval, tied_best

#: Months of the programme at which the report compares strategies.
HORIZONS = (12, 24, 48)
#: Outcomes read at each horizon; those also given as a paired difference to no programme.
OUTCOMES = ("share_sustainable", "nonmigrant_wellbeing", "structural_strength",
            "structural_reach", "structural_dividend", "structural_gain_beyond")  # fmt: skip
PAIRED = ("share_sustainable", "nonmigrant_wellbeing")


def horizon_table(model: pd.DataFrame) -> pd.DataFrame:
    """Per budget, strategy and horizon reached: means with 95% intervals over replicates,
    and for :data:`PAIRED` outcomes the paired difference to no programme (``_vs_none``)."""
    rows = []
    at = model[model.month.isin(HORIZONS)]
    for (budget, month), same in at.groupby(["budget", "month"], sort=False):
        for strategy, g in same.groupby("strategy", sort=False):
            row = {"budget": budget, "strategy": strategy, "month": month}
            for col in OUTCOMES:
                row.update(zip(interval_columns(col), interval(g[col]), strict=True))
            for col in PAIRED:
                wide = same.pivot(index="replicate", columns="strategy", values=col)
                diff = interval(wide[strategy] - wide[BASELINE])
                row.update(zip(interval_columns(versus_none(col)), diff, strict=True))
            rows.append(row)
    names = [*OUTCOMES, *(versus_none(col) for col in PAIRED)]
    columns = [c for n in names for c in interval_columns(n)]
    return pd.DataFrame(rows, columns=["budget", "strategy", "month", *columns])


def table_horizons(horizons: pd.DataFrame) -> pd.DataFrame:
    """The report's table: one row per strategy and horizon."""
    h = horizons.sort_values("month", kind="stable")
    return pd.DataFrame({
        "month": h.month,
        "strategy": h.strategy,
        outcome("share_sustainable").heading(): [
            cell(estimate(r, "share_sustainable"), pct) for _, r in h.iterrows()],
        "vs none (points)": [cell(difference(r, "share_sustainable"), points)
                             for _, r in h.iterrows()],
        "non-migrants' well-being vs none (points)": [
            cell(difference(r, "nonmigrant_wellbeing"), points) for _, r in h.iterrows()],
        outcome("structural_strength").heading(): h.structural_strength.map(
            outcome("structural_strength").fmt),
        outcome("structural_reach").heading(): h.structural_reach.map(
            outcome("structural_reach").fmt),
        "well-being of each resident beyond the villages (points)": [
            cell(estimate(r, "structural_dividend"), points) for _, r in h.iterrows()],
    })  # fmt: skip


def text_horizons(horizons: pd.DataFrame) -> str:
    """Who leads at each horizon on returnees and on non-migrants, and how far structural
    work reaches by the last one; computed, never by a strategy's name."""
    if horizons.empty:
        return ("The comparison ran fewer than 12 months: run it with --months 48 to see the "
                "strategies at 12, 24 and 48 months.")  # fmt: skip
    paid = horizons[horizons.strategy != BASELINE]
    parts = []
    for month, g in paid.groupby("month", sort=True):
        by = g.set_index("strategy")
        on_returnees = tied_best(by.share_sustainable)
        on_nonmigrants = tied_best(by.nonmigrant_wellbeing_vs_none)
        parts.append(
            f"At {month} months {' and '.join(on_returnees)} "
            f"{'lead' if len(on_returnees) > 1 else 'leads'} on the share sustainably "
            f"reintegrated ({pct(by.share_sustainable[on_returnees[0]])}), "
            f"{' and '.join(on_nonmigrants)} on non-migrants' well-being "
            f"({points(by.nonmigrant_wellbeing_vs_none[on_nonmigrants[0]])} points against no "
            "programme)."
        )
    last = paid[paid.month == paid.month.max()].set_index("strategy")
    reaching = last[last.structural_reach > 0]
    parts.append(_reach_sentence(reaching, int(paid.month.max())))
    missing = [m for m in HORIZONS if m not in set(horizons.month)]
    if missing:
        parts.append(f"The runs stopped before {', '.join(map(str, missing))} months: run "
                     "with --months 48 to see them.")  # fmt: skip
    return " ".join(parts)


def _reach_sentence(reaching: pd.DataFrame, month: int) -> str:
    if reaching.empty:
        return "No strategy compared does structural work, so none reaches beyond the villages."
    each = "; ".join(reached(name, r) for name, r in reaching.iterrows())
    return f"At {month} months, structural work reaches {each}."


def reached(name: str, r: pd.Series) -> str:
    """``64,000 people under X, each resident beyond the villages +2.3 points better off``;
    a region that is the villages alone says so."""
    where = (
        f"each resident beyond the villages {_gain(r.structural_dividend)} points better off"
        if r.structural_gain_beyond > 0
        else "all of them in the villages modelled"
    )
    return f"{number(r.structural_reach)} people under {name}, {where}"


def _gain(x: float) -> str:
    """A gain in points with as many decimals (up to three) as keep it from reading "+0.0":
    a region's small gain read "+0.0 points better off"."""
    digits = next((d for d in (1, 2) if round(100 * x, d) != 0), 3)
    return points(x, digits)


def plot_horizons(horizons: pd.DataFrame, colours: dict) -> Plot:
    """Paired differences to no programme at each horizon: returnees and non-migrants."""
    fig = Figure(figsize=(10, 4))
    axes = fig.subplots(1, 2)
    titles = {versus_none(o): f"{outcome(o).label} vs none (points)" for o in PAIRED}
    paid = horizons[horizons.strategy != BASELINE]
    for ax, (col, title) in zip(axes, titles.items(), strict=True):
        for strategy, g in paid.groupby("strategy", sort=False):
            err = np.nan_to_num([100 * (g[col] - low(g, col)), 100 * (high(g, col) - g[col])])
            ax.errorbar(
                g.month,
                100 * g[col],
                yerr=err,
                marker="o",
                capsize=3,
                color=colours[strategy],
                label=strategy,
            )
        ax.axhline(0, color="#7f7f7f", lw=1)
        ax.set_xticks(list(HORIZONS))
        ax.set_xlabel(MONTH_AXIS)
        ax.set_title(title)
        ax.grid(alpha=0.3)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.25)
    return _plot(
        "horizons",
        "Each strategy against no programme at 12, 24 and 48 months: "
        "returnees sustainably reintegrated and non-migrants' well-being",
        fig,
    )
