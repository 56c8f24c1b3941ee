"""How a number reads in the report: shares, dollars, points, a mean with its 95% interval.

The report's words (:mod:`experiments.comparison.text`) and its HTML tables
(:mod:`experiments.comparison.tables`) show the same numbers; writing each kind of number in
one place keeps a share or an interval looking the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{100 * x:.1f}%"


def usd(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f} USD"


def cell(row, col: str, fmt: Callable[[float], str]) -> str:
    """A table cell: the mean, and its 95% interval below it in small print."""
    lo, hi = row.get(f"{col}_lo"), row.get(f"{col}_hi")
    if pd.isna(lo) or pd.isna(hi):
        return fmt(row[col])
    return f"{fmt(row[col])}<br><span class='ci'>{fmt(lo)} to {fmt(hi)}</span>"


def phrase(values: tuple, fmt: Callable[[float], str], unit: str = "") -> str:
    """A mean with its 95% interval, in a sentence."""
    mean, lo, hi = values
    if pd.isna(lo):
        return fmt(mean) + unit
    return f"{fmt(mean)}{unit} (95% interval {fmt(lo)} to {fmt(hi)})"


def points(x: float) -> str:
    """A difference of shares in percentage points."""
    return "n/a" if pd.isna(x) else f"{100 * x:+.1f}"


def number(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f}"


def vs_none(row: pd.Series, col: str) -> pd.Series:
    """A summary row's paired difference to no programme, as ``d``, ``d_lo``, ``d_hi``."""
    return pd.Series({"d": row[f"{col}_vs_none"], "d_lo": row[f"{col}_vs_none_lo"],
                      "d_hi": row[f"{col}_vs_none_hi"]})  # fmt: skip
