"""Statistics over replicates: means with 95% intervals, paired differences, a ratio's interval.

Kept apart from the runs (:mod:`experiments.comparison.compare`) and the tables built from
them (:mod:`experiments.comparison.summary`) because every table, the report's words
(:mod:`experiments.comparison.text`) and its figures rest on these few estimators: one place
says how an interval is computed, whatever shows it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def interval(values) -> tuple[float, float, float]:
    """Mean and 95% confidence interval of the mean over replicates (Student's t).

    Missing values (e.g. cost per sustainable returnee when none is) are left out.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if len(x) < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return (mean, mean - half, mean + half)


def mean_intervals(frame: pd.DataFrame, by: list[str], columns) -> pd.DataFrame:
    """``column``, ``column_lo``, ``column_hi`` for each group of ``by``."""
    rows = []
    for keys, g in frame.groupby(by, sort=False, observed=True):
        row = dict(zip(by, keys, strict=True))
        for col in columns:
            row[col], row[f"{col}_lo"], row[f"{col}_hi"] = interval(g[col])
        rows.append(row)
    names = [f"{col}{suffix}" for col in columns for suffix in ("", "_lo", "_hi")]
    return pd.DataFrame(rows, columns=[*by, *names])


def paired(runs: pd.DataFrame, strategy: str, other: str, col: str) -> tuple[float, ...]:
    """Mean and 95% interval of ``strategy - other``, replicate by replicate (same seeds)."""
    wide = runs[runs.strategy.isin([strategy, other])].pivot(
        index="replicate", columns="strategy", values=col
    )
    return interval(wide[strategy] - wide[other])


def ratio_interval(spent, extra) -> tuple[float, float, float]:
    """Mean spent over mean extra returnees, with its 95% interval by Fieller's theorem.

    Both come from the same replicates (paired), so their covariance counts. When the extra
    returnees cannot be told apart from zero, no finite range holds the ratio: the upper end
    is infinite (and the cost is missing when on average nobody is added).
    """
    a, b = np.asarray(spent, dtype=float), np.asarray(extra, dtype=float)
    n, ma, mb = len(a), float(a.mean()), float(b.mean())
    if mb <= 0:
        return (np.nan, np.nan, np.nan)
    if n < 2:
        return (ma / mb, np.nan, np.nan)
    t2 = float(stats.t.ppf(0.975, n - 1)) ** 2
    (vaa, vab), (_, vbb) = np.cov(a, b, ddof=1) / n
    qa, qb, qc = mb**2 - t2 * vbb, ma * mb - t2 * vab, ma**2 - t2 * vaa
    if qa <= 0:  # unbounded: the lowest plausible cost is at the most plausible extra
        return (ma / mb, ma / (mb + np.sqrt(t2 * vbb)), np.inf)
    root = np.sqrt(max(qb**2 - qa * qc, 0.0))
    return (ma / mb, (qb - root) / qa, (qb + root) / qa)


#: Two outcomes (on a 0-1 scale) closer than this count as a tie: 0.05 points, finer than a
#: mean over a few replicates can rank strategies, and two identical strategies must tie.
TIE = 5e-4


def tied_best(values: pd.Series, prefer: str | None = None) -> list[str]:
    """The names (the index) whose value is within :data:`TIE` of the largest; ``prefer``
    first when it is among them, so every sentence that names one leader names the same."""
    top = values[values >= values.max() - TIE].index.astype(str).tolist()
    return sorted(top, key=lambda name: name != prefer)
