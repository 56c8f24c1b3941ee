"""Fixtures for the model's tests: parameters at their defaults, paired runs over seeds."""

from types import SimpleNamespace

import pytest

from model.parameters import DEFAULTS
from model.run import run


def _paired(strategies, seeds, months=24, scenario="default", strategies_file=None, **overrides):
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


@pytest.fixture
def paired():
    """Runs of each strategy over the same seeds (common random numbers), by strategy:
    ``paired(strategies, seeds, months, scenario=..., strategies_file=..., **overrides)``."""
    return _paired


@pytest.fixture
def p():
    """Every parameter at its default, as a plain namespace a test may change."""
    return SimpleNamespace(**DEFAULTS)
