"""How a comparison's tables name a mean's interval and its paired difference to no programme.

An outcome ``x`` is stored as three columns, ``x`` (the mean) and ``x_lo``, ``x_hi`` (its 95%
interval); its paired difference to no programme as ``x_vs_none`` with its own interval.
These names are made here and nowhere else: every other module asks for an outcome's
:class:`Estimate` (or its columns) by the outcome's name.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

LOW, HIGH = "_lo", "_hi"
VS_NONE = "_vs_none"


class Estimate(NamedTuple):
    """A mean and its 95% interval (``lo`` and ``hi`` NaN when there is none)."""

    mean: float
    lo: float
    hi: float


def interval_columns(name: str) -> tuple[str, str, str]:
    """The mean's column, then its interval's."""
    return (name, name + LOW, name + HIGH)


def versus_none(name: str) -> str:
    """The column of an outcome's paired difference to no programme."""
    return name + VS_NONE


def estimate(row: pd.Series, name: str) -> Estimate:
    """A table row's mean of ``name`` and its interval (NaN ends where the row has none)."""
    mean, lo, hi = (row.get(c, float("nan")) for c in interval_columns(name))
    return Estimate(mean, lo, hi)


def difference(row: pd.Series, name: str) -> Estimate:
    """A summary row's paired difference to no programme on ``name``, with its interval."""
    return estimate(row, versus_none(name))


def low(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name + LOW]


def high(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name + HIGH]
