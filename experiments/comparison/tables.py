"""The report's HTML tables, computed from a comparison's results.

Names are escaped by the report's template and each mean carries its 95% interval below it
in small print; the parameter tables write out the source tags of each reason. The words
around them are :mod:`experiments.comparison.text`; both format numbers with
:mod:`experiments.comparison.formats`.
"""

from __future__ import annotations

import re

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
from model.parameters import GROUP_OF, PARAMETERS

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
#: A reason's source: the parenthesis that ends it.
SOURCE_PART = re.compile(r"\(([^()]*)\)\s*$")
NO_REASON = "changed for this run; no reason recorded (a scenario file gives one under [reasons])"


def decode_sources(reason: str) -> str:
    """A reason with the source tags of its closing parenthesis written out."""
    match = SOURCE_PART.search(reason)
    if not match:
        return reason
    source = match.group(1)
    for tag, reference in SOURCES:
        source = re.sub(tag, reference, source)
    return f"{reason[: match.start()]}({source})"


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


def table_money(money: pd.DataFrame) -> pd.DataFrame:
    """Per strategy and package: planned, committed, spent, left and why, and who received it
    (no programme left out: it plans nothing)."""
    m = money[money.strategy != BASELINE]
    return pd.DataFrame({
        "strategy": m.strategy,
        "package": m.package,
        **{f"{c} (USD)": m[c].map(number) for c in ("planned", "committed", "spent", "left")},
        "moved by case reviews (USD)": m["redirected"].map(number),
        "returnees served or units bought": m["units"].map(number),
        "communities reached": m["places"].map(number),
        "why any is left": m.reason,
    })  # fmt: skip


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
        row = {"group": GROUP_OF[name], "parameter": name, "value": f"{value:g}"}
        unit = {"unit": p.unit}
        if value != p.default:
            own = scenario.reasons.get(name)
            why = decode_sources(own) if own else NO_REASON
            changed.append({**row, "default": f"{p.default:g}", **unit, "why this value": why})
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
