"""Same scenario and seed: identical tables. Different seeds: different tables."""

import pandas as pd

from model.run import run


def _tables(seed, strategy="integrated"):
    r = run("default", strategy, seed, 12, overrides={"n_returnees": 300})
    return r.model_table, r.returnee_table, r.community_table


def test_same_seed_same_tables():
    for a, b in zip(_tables(11), _tables(11), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_different_seeds_different_tables():
    a, b = _tables(11), _tables(12)
    for x, y in zip(a, b, strict=True):
        assert not x.equals(y)


def test_strategies_share_the_population_of_a_seed():
    """Common random numbers: the population depends on the seed, never on the strategy."""
    a = run("default", "none", 5, 2, overrides={"n_returnees": 300})
    b = run("default", "integrated", 5, 2, overrides={"n_returnees": 300})
    pd.testing.assert_frame_equal(a.profiles, b.profiles)
