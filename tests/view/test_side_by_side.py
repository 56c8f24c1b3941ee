"""The page's model: two strategies on one population, and the budget split as a strategy."""

import numpy as np
import pytest

from model.support import LEVELS, check_strategy, level_shares, split_by_level
from view.side_by_side import MONTHS_AFTER_PROGRAMME, SIDES, SPLIT_BASE, YOUR_SPLIT, SideBySide

# --- the budget split as a strategy (model.support's, as the sliders use it) -------------------


def test_split_gives_each_level_its_share_and_keeps_the_mix_within(support):
    packages, strategies = support
    base = strategies[SPLIT_BASE]
    weights = {"individual": 2.0, "community": 1.0, "structural": 1.0}
    split = check_strategy(split_by_level(YOUR_SPLIT, weights, packages, base), packages)
    levels = level_shares(split, packages)
    spend = sum(base.shares.values())
    for level, weight in weights.items():
        assert levels[level] == pytest.approx(spend * weight / sum(weights.values()))
    base_levels = level_shares(base, packages)
    for name, share in base.shares.items():
        level = packages[name].level
        assert split.shares[name] / levels[level] == pytest.approx(share / base_levels[level])


def test_split_at_the_base_balance_is_the_base_strategy(support):
    packages, strategies = support
    base = strategies[SPLIT_BASE]
    split = split_by_level(YOUR_SPLIT, level_shares(base, packages), packages, base)
    assert split.shares == pytest.approx({n: s for n, s in base.shares.items() if s > 0})


def test_split_of_nothing_spends_nothing(support):
    packages, strategies = support
    nothing = dict.fromkeys(LEVELS, 0.0)
    split = split_by_level(YOUR_SPLIT, nothing, packages, strategies["integrated"])
    assert split.shares == {}
    assert "nothing spent" in split.description


def test_a_level_the_base_leaves_out_is_split_evenly(support):
    packages, strategies = support
    split = split_by_level(YOUR_SPLIT, {"community": 1.0}, packages, strategies["individual"])
    community = [n for n, p in packages.items() if p.level == "community"]
    assert set(split.shares) == set(community)
    assert len(set(split.shares.values())) == 1


def test_the_split_sliders_are_the_strategy_your_split_runs(support):
    packages, _ = support
    model = SideBySide(strategy_a="integrated", individual=2, community=1, structural=1)
    side = model.sides["B"]
    assert side.strategy.name == YOUR_SPLIT
    levels = level_shares(side.strategy, packages)
    assert levels["individual"] == pytest.approx(levels["community"] + levels["structural"])


# --- the side-by-side model ---------------------------------------------------------------------


def test_both_sides_start_from_the_same_population_and_then_differ():
    model = SideBySide(strategy_a="none", strategy_b="integrated", seed=3)
    a, b = (model.sides[s].world for s in SIDES)
    for field in ("community", "household", "arrival_month", "forced", "skill", "savings"):
        np.testing.assert_array_equal(getattr(a.returnees, field), getattr(b.returnees, field))
    np.testing.assert_array_equal(a.households.community, b.households.community)
    assert (a.ties != b.ties).nnz == 0
    for _ in range(4):
        model.step()
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == 4 == model.month
    assert (table["A: spent"] == 0).all()  # "none" buys nothing
    assert table["B: spent"].iloc[-1] > 0


def test_the_same_strategy_on_both_sides_gives_the_same_trajectory():
    model = SideBySide(strategy_a="integrated", strategy_b="integrated", seed=5)
    for _ in range(5):
        model.step()
    table = model.datacollector.get_model_vars_dataframe()
    for key in ("share_sustainable", "economic", "tension", "spent"):
        np.testing.assert_array_equal(table[f"A: {key}"], table[f"B: {key}"])


def test_the_model_stops_after_the_programme_and_the_months_after_it():
    model = SideBySide(strategy_a="none", strategy_b="none")
    months = model.sides["A"].p.programme_months + MONTHS_AFTER_PROGRAMME
    for _ in range(months):
        assert model.running
        model.step()
    assert not model.running
