"""Helpers for tests: paired runs over seeds (common random numbers) and their columns."""

import numpy as np

from model.run import run


def paired(strategies, seeds, months=24, scenario="default", strategies_file=None, **overrides):
    """Summaries of each strategy over the same seeds (common random numbers)."""
    return {
        s: [
            run(
                scenario,
                s,
                seed,
                months,
                overrides=overrides,
                tables=False,
                strategies_file=strategies_file,
            )
            for seed in seeds
        ]
        for s in strategies
    }


def series(results, key):
    """Per-seed values of one model-table column (month by month) as an array [seed, month]."""
    return np.array([r.model_table[key].to_numpy() for r in results])


def final(results, key):
    return np.array([r.summary[key] for r in results], dtype=float)
