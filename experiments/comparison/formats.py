"""How a number reads in the report: shares, dollars, points, a mean with its 95% interval.

The report's words (:mod:`experiments.comparison.text`) and its HTML tables
(:mod:`experiments.comparison.tables`) show the same numbers; writing each kind of number in
one place keeps a share or an interval looking the same wherever it appears.

Words that carry markup (a name in bold) are ``Markup``: built by ``Markup.format`` or by
adding plain strings to it, which escapes every plain string, so a name a user typed is text
wherever it lands; the report's template escapes whatever is not ``Markup``. The terminal
reads the same words with the markup taken off (:func:`terminal`). Table cells are plain
text (a table's columns do not keep ``Markup``): the line after a cell's first is its small
print, which the template sets below the value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from markupsafe import Markup, escape


def pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{100 * x:.1f}%"


def usd(x: float) -> str:
    return "n/a" if pd.isna(x) or np.isinf(x) else f"{x:,.0f} USD"


def strong(text: str) -> Markup:
    """A name or a word in bold; the text itself escaped."""
    return Markup("<b>{}</b>").format(text)


def small_print(main: str, note: str) -> str:
    """A table cell: its value, and on the next line, in small print, what qualifies it."""
    return f"{main}\n{note}"


def terminal(words: str) -> str:
    """Words of the report as the terminal shows them: markup off, escapes read back."""
    return escape(words).striptags()


def cell(row, col: str, fmt: Callable[[float], str]) -> str:
    """A table cell: the mean, and its 95% interval below it in small print."""
    lo, hi = row.get(f"{col}_lo"), row.get(f"{col}_hi")
    if pd.isna(lo) or pd.isna(hi):
        return fmt(row[col])
    return small_print(fmt(row[col]), f"{fmt(lo)} to {fmt(hi)}")


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
