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

__all__ = [
    "UNITS",
    "apart",
    "cell",
    "number",
    "pct",
    "phrase",
    "points",
    "small_print",
    "usd",
    "valued",
]


#: The most decimals an interval is given to show its two ends apart.
MAX_DIGITS = 4
#: How the report's numbers read, said once, beside the decision at a glance and atop the
#: terminal's tables.
UNITS = (
    "Shares are percent of returnees; differences between strategies, or against no "
    "programme, are percentage points; scores and indices are on a 0-100 scale; money is "
    "USD. Every figure is a mean over the replicates, with its 95% interval in small print "
    "or in brackets."
)


def usd(x: float, digits: int = 0) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.{digits}f} USD"


def points(x: float, digits: int = 1) -> str:
    """A difference of shares, scores or indices in points (of percent, or of the 0-100
    scale). One that rounds to nothing reads "+0.0", never "-0.0" (an interval's end of
    -0.04 points printed "-0.0", which reads as a sign where there is none)."""
    if pd.isna(x):
        return "n/a"
    return f"{round(100 * x, digits) + 0.0:+.{digits}f}"  # + 0.0 turns -0.0 into 0.0


def size_points(x: float, digits: int = 1) -> str:
    """A difference whose direction the words already say ("widens", "worse off"): its size in
    points, with no sign ("narrows ... by -3.8 points" reads as a double negative)."""
    return points(abs(x), digits).lstrip("+")


def small_print(main: str, note: str) -> str:
    """A table cell: its value, and on the next line, in small print, what qualifies it."""
    return f"{main}\n{note}"


def apart(values: Estimate | tuple, fmt: Callable[..., str]) -> Callable[[float], str]:
    """``fmt`` with enough decimals that an interval's two ends read apart: "+1.0 to +1.0"
    reads as a mistake when the ends are 0.98 and 1.03 (the mean gets as many, so it reads
    inside them)."""
    _, lo, hi = values
    if fmt(lo) != fmt(hi) or lo == hi:
        return fmt
    for digits in range(1, MAX_DIGITS + 1):
        if fmt(lo, digits=digits) != fmt(hi, digits=digits):
            return lambda x: fmt(x, digits=digits)
    return fmt


def cell(values: Estimate, fmt: Callable[..., str]) -> str:
    """A table cell: the mean, and its 95% interval below it in small print; an interval
    without an upper end says so; one of no width (a difference of exactly nothing, as no
    programme against itself) is left out."""
    mean, lo, hi = values
    if pd.isna(lo) or pd.isna(hi) or lo == hi:
        return fmt(mean)
    upper = "no bound" if np.isinf(hi) else None
    shown = fmt if upper else apart(values, fmt)
    return small_print(shown(mean), f"{shown(lo)} to {upper or shown(hi)}")


def valued(row: pd.Series, name: str) -> str:
    """A table cell of an outcome in a summary row: read as its declaration says."""
    return cell(estimate(row, name), outcome(name).fmt)


def phrase(values: tuple, fmt: Callable[..., str], unit: str = "") -> str:
    """A mean with its 95% interval, in a sentence."""
    mean, lo, hi = values
    if pd.isna(lo) or lo == hi:
        return fmt(mean) + unit
    shown = apart(values, fmt)
    return f"{shown(mean)}{unit} (95% interval {shown(lo)} to {shown(hi)})"
