"""Fixtures for the model's tests: parameters at their defaults, paired runs over seeds."""

from types import SimpleNamespace

import pytest

from model.parameters import DEFAULTS
from tests.model.runs import paired_runs


@pytest.fixture
def paired():
    """Runs of each strategy over the same seeds (common random numbers), by strategy:
    ``paired(strategies, seeds, months, scenario=..., strategies_file=..., **overrides)``."""
    return paired_runs


@pytest.fixture
def p():
    """Every parameter at its default, as a plain namespace a test may change."""
    return SimpleNamespace(**DEFAULTS)
