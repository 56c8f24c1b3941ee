"""The report's HTML tables, computed from a comparison's results.

Names are escaped by the report's template and each mean carries its 95% interval below it
in small print; the parameter tables write out the source tags of each reason. The words
around them are :mod:`experiments.comparison.text`; both format numbers with
:mod:`experiments.comparison.formats`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from experiments.comparison.compare import (
    AGE_BANDS,
    BASELINE,
    EXTRA_PER_100K,
    HEADLINE,
    HEADLINE_COST,
    outcome,
)
from experiments.comparison.estimates import difference, estimate
from experiments.comparison.formats import cell, number, points, small_print, valued
from experiments.comparison.horizons import HORIZONS
from experiments.comparison.text import GROUP_TITLES
from model.mechanisms.scoring import DIMENSIONS
from model.parameters import GROUP_OF, PARAMETERS, plain

IOM_2017 = "IOM (2017), 'Towards an integrated approach to reintegration in the context of return'"
#: Source tags of the parameter table (see :mod:`model.parameters`) -> full references.
SOURCES = [
    (r"\b003 s\.([\d.]+)", IOM_2017 + r", section \1"),
    (r"\b003\b", IOM_2017),
    (r"\bDOMAIN\b", "the evidence list of the project's domain notes (IOM Knowledge Bites, "
     "Blattman et al., Haushofer et al., Centola and Macy, MAFE)"),
    (r"\bissue\b", "the project's founding issue, which set out the return context to model"),
    (r"\bassumed( \w+)?", r"assumed\1 for this model, as no source gives the number; a "
     "first candidate for sensitivity analysis"),
]  # fmt: skip
#: A reason's source: the parenthesis that ends it, or that comes before its plausible range
#: ("...(assumed); plausible 0.5-2x: ...").
SOURCE_PART = re.compile(r"\(([^()]*)\)(;[^()]*)?\s*$")
NO_REASON = "changed for this run; no reason recorded (a scenario file gives one under [reasons])"


def decode_sources(reason: str) -> str:
    """A reason with the source tags of its closing parenthesis written out."""
    match = SOURCE_PART.search(reason)
    if not match:
        return reason
    source = match.group(1)
    for tag, reference in SOURCES:
        source = re.sub(tag, reference, source)
    return f"{reason[: match.start()]}({source}){match.group(2) or ''}"


#: The outcomes the summary shows beside the headline, in this order, in the report's table
#: and in the terminal's.
AT_A_GLANCE = ("composite", "share_necessity", "tension", "nonmigrant_wellbeing")


def headline_heading() -> str:
    return f"{outcome(HEADLINE).heading()} at the last month"


def table_summary(summary: pd.DataFrame) -> pd.DataFrame:
    headline, spent, left = outcome(HEADLINE), outcome("spent"), outcome("left")
    dimensions = [outcome(d) for d in DIMENSIONS]
    rows = []
    for _, r in summary.iterrows():
        rows.append({
            "strategy": r.strategy,
            f"{headline.heading()} at {' / '.join(map(str, HORIZONS))} months": " / ".join(
                outcome(f"{HEADLINE}_m{m}").fmt(r[f"{HEADLINE}_m{m}"]) for m in HORIZONS),
            headline_heading(): valued(r, HEADLINE),
            "vs none (points)": cell(difference(r, HEADLINE), points),
            outcome(HEADLINE_COST).heading(): valued(r, HEADLINE_COST),
            **{outcome(o).heading(): valued(r, o) for o in AT_A_GLANCE[:1]},
            " / ".join(d.heading() for d in dimensions): " / ".join(d.fmt(r[d.name])
                                                                 for d in dimensions),
            **{outcome(o).heading(): valued(r, o) for o in AT_A_GLANCE[1:]},
            **structural_cells(r),
            f"{spent.short} / {left.short} (USD)": small_print(
                spent.fmt(r.spent), f"{left.short} {left.fmt(r.left)}"),
        })  # fmt: skip
    return pd.DataFrame(rows)


def structural_cells(row) -> dict[str, str]:
    """Structural work counted where it reaches: the people in its region, and what each
    resident beyond the villages modelled gains (the villages' own per-resident effect)."""
    reach, dividend = outcome("structural_reach"), outcome("structural_dividend")
    beyond = cell(estimate(row, dividend.name), points) if row.structural_gain_beyond > 0 else "-"
    return {reach.heading(): reach.fmt(row[reach.name]), f"{dividend.heading()} (points)": beyond}


#: The money columns of the package table: each strategy's rows add up to its total row.
MONEY = ("planned", "committed", "spent", "left", "redirected")


def largest_remainder(values: pd.Series) -> pd.Series:
    """Whole numbers that add up to the rounded total (Hamilton's largest-remainder method):
    each value rounded down, and the units still missing given to the largest remainders."""
    floors = np.floor(values.to_numpy(float))
    missing = int(round(values.sum() - floors.sum()))
    order = np.argsort(-(values.to_numpy(float) - floors), kind="stable")
    floors[order[:missing]] += 1
    return pd.Series(floors, index=values.index)


#: What structural work reaches, said in words where individual and community packages count
#: returnees and units: it builds the region's institutions, used by everyone there.
REGION_SERVED = "everyone in the region (its services)"
REGION_REACHED = "every village, and the region"


def reach(money: pd.DataFrame, column: str, structural: str) -> pd.Series:
    """A package's count of returnees or places, or, for structural work (which serves no one
    returnee and buys no unit in a village), whom it reaches in words: a 0 there would read as
    money that reached nobody."""
    counted = money[column].map(number)
    if "level" not in money:
        return counted
    return counted.where(money["level"] != "structural", structural)


def table_money(money: pd.DataFrame) -> pd.DataFrame:
    """Per strategy and package: planned, committed, spent, left and why, and who received it,
    then the strategy's total (no programme left out: it plans nothing). The amounts are
    means over replicates rounded so that the packages add up to the total shown."""
    parts = []
    for strategy, m in money[money.strategy != BASELINE].groupby("strategy", sort=False):
        whole = {c: largest_remainder(m[c]) for c in MONEY}
        rows = pd.DataFrame({
            "strategy": strategy,
            "package": m.package,
            **{f"{c} (USD)": whole[c].map(number) for c in MONEY[:4]},
            "moved by case reviews (USD)": whole["redirected"].map(number),
            "returnees served or units bought": reach(m, "units", REGION_SERVED),
            "communities reached": reach(m, "places", REGION_REACHED),
            "why any is left": m.reason,
        })  # fmt: skip
        total = {"strategy": strategy, "package": "total",
                 **{f"{c} (USD)": number(whole[c].sum()) for c in MONEY[:4]},
                 "moved by case reviews (USD)": number(whole["redirected"].sum()),
                 "returnees served or units bought": "", "communities reached": "",
                 "why any is left": ""}  # fmt: skip
        parts += [rows, pd.DataFrame([total])]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def table_left_behind(groups: pd.DataFrame, strategies) -> pd.DataFrame:
    d = groups[groups.dimension.isin(list(GROUP_TITLES))]
    wide = d.pivot_table(index=["dimension", "group"], columns="strategy", values=HEADLINE,
                         sort=False)  # fmt: skip
    counts = d.groupby(["dimension", "group"], sort=False).returnees.mean().round(0)
    wide = wide[list(strategies)].map(outcome(HEADLINE).fmt)
    wide.insert(0, "returnees (per replicate)", counts.astype(int))
    return wide.reindex(_group_order(wide.index)).reset_index()


def _group_order(index: pd.MultiIndex) -> list[tuple[str, str]]:
    """Dimensions as in GROUP_TITLES; age bands youngest first, as in the plot."""
    rank = {band: i for i, band in enumerate(AGE_BANDS[1])}
    dims = list(GROUP_TITLES)
    return sorted(index, key=lambda k: (dims.index(k[0]), rank.get(k[1], -1)))


def table_monitoring(monitoring: pd.DataFrame, strategies) -> pd.DataFrame:
    """Rows: survey rounds; columns: each strategy's share sustainably reintegrated."""
    m = monitoring.assign(cell=[valued(r, HEADLINE) for _, r in monitoring.iterrows()])
    wide = m.pivot(index="months_since_return", columns="strategy", values="cell")
    wide = wide[list(strategies)]
    reached = m.groupby("months_since_return").interviewed.mean().round(0).astype(int)
    wide.insert(0, "returnees reached (per replicate)", reached)
    return wide.rename_axis("months after return").reset_index()


def table_marginal(marginal: pd.DataFrame) -> pd.DataFrame:
    m = marginal.copy()
    m["budget step (USD)"] = [
        f"{a:,.0f} to {b:,.0f}" for a, b in zip(m.from_budget, m.to_budget, strict=True)
    ]
    gain = outcome(EXTRA_PER_100K).label
    m[gain] = [valued(r, EXTRA_PER_100K) for _, r in m.iterrows()]
    m["percentage points per extra 100,000"] = m.points_per_100k.map("{:+.2f}".format)
    return m[["strategy", "budget step (USD)", gain, "percentage points per extra 100,000"]]


def table_parameters(scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The values this scenario changes, each with the scenario's own reason; then the rest,
    at their defaults, with the parameter table's reason. Source tags written out."""
    changed, rest = [], []
    for name, p in PARAMETERS.items():
        value = getattr(scenario, name)
        row = {
            "group": GROUP_OF[name],
            "what it is": p.label,
            "parameter": name,
            "value": plain(value),
        }
        unit = {"unit": p.unit}
        if value != p.default:
            own = scenario.reasons.get(name)
            why = decode_sources(own) if own else NO_REASON
            changed.append({**row, "default": plain(p.default), **unit, "why this value": why})
        else:
            rest.append({**row, **unit, "why": decode_sources(p.reason)})
    return pd.DataFrame(changed), pd.DataFrame(rest)


def table_strategies(strategies: dict) -> pd.DataFrame:
    return pd.DataFrame([
        {"strategy": s.name, "description": s.description,
         "targeting": s.targeting,
         "budget shares": ", ".join(f"{k} {v:.0%}" for k, v in s.shares.items()) or "nothing"}
        for s in strategies.values()
    ])  # fmt: skip
