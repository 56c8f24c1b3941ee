"""How a number reads in the report and the terminal: an outcome, a mean with its interval.

An outcome's own numbers read as its declaration says (:class:`model.outcomes.Outcome`);
here are the forms around them: dollars in words, differences in points, a mean with its
95% interval in a table cell or in a sentence. The report's words
(:mod:`experiments.comparison.text`), its HTML tables (:mod:`experiments.comparison.tables`)
and the terminal (:mod:`experiments.cli.compare`) all write numbers with these, so a share or
an interval looks the same wherever it appears.

Table cells are plain text: the line after a cell's first is its small print, which the
report's template sets below the value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from experiments.comparison.compare import outcome
from experiments.comparison.estimates import Estimate, estimate
from model.outcomes import amount as number
from model.outcomes import share as pct

__all__ = ["cell", "number", "pct", "phrase", "points", "small_print", "usd", "valued"]


def usd(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f} USD"


def points(x: float) -> str:
    """A difference of shares in percentage points."""
    return "n/a" if pd.isna(x) else f"{100 * x:+.1f}"


def small_print(main: str, note: str) -> str:
    """A table cell: its value, and on the next line, in small print, what qualifies it."""
    return f"{main}\n{note}"


def cell(values: Estimate, fmt: Callable[[float], str]) -> str:
    """A table cell: the mean, and its 95% interval below it in small print; an interval
    without an upper end says so."""
    mean, lo, hi = values
    if pd.isna(lo) or pd.isna(hi):
        return fmt(mean)
    upper = "no bound" if np.isinf(hi) else fmt(hi)
    return small_print(fmt(mean), f"{fmt(lo)} to {upper}")


def valued(row: pd.Series, name: str) -> str:
    """A table cell of an outcome in a summary row: read as its declaration says."""
    return cell(estimate(row, name), outcome(name).fmt)


def phrase(values: tuple, fmt: Callable[[float], str], unit: str = "") -> str:
    """A mean with its 95% interval, in a sentence."""
    mean, lo, hi = values
    if pd.isna(lo):
        return fmt(mean) + unit
    return f"{fmt(mean)}{unit} (95% interval {fmt(lo)} to {fmt(hi)})"
