"""Invariants over random small scenarios and strategies (hypothesis)."""

import math
import warnings
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.model import ReintegrationModel
from model.support import load_packages

PACKAGES = list(load_packages())


@st.composite
def programmes(draw):
    """A small scenario and an arbitrary strategy over the package catalogue."""
    chosen = draw(st.lists(st.sampled_from(PACKAGES), min_size=0, max_size=5, unique=True))
    weights = [draw(st.floats(0.01, 1.0)) for _ in chosen]
    scale = draw(st.floats(0.1, 1.0)) / max(sum(weights), 1e-9)
    # rounded down, so that shares drawn to sum to 1 never exceed it by rounding
    shares = {k: math.floor(w * scale * 1e6) / 1e6 for k, w in zip(chosen, weights, strict=True)}
    communities, households = draw(st.integers(1, 8)), draw(st.integers(40, 120))
    room = communities * households * 3  # max_returnees_per_household's default
    overrides = {
        "n_returnees": draw(st.integers(0, min(400, room))),
        "n_communities": communities,
        "households_per_community": households,
        "budget": draw(st.floats(0, 2e6)),
        "programme_months": draw(st.integers(1, 24)),
        "return_concentration": draw(st.floats(0, 3)),
        "share_forced": draw(st.floats(0, 1)),
        "share_trauma": draw(st.floats(0, 1)),
        "job_capacity": draw(st.floats(0, 2)),
    }
    targeting = draw(st.sampled_from(["needs", "needs_uncoordinated", "standard"]))
    return shares, overrides, targeting, draw(st.integers(0, 2**31))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(programmes())
def test_scores_bounded_people_conserved_budget_kept(strategies_file, drawn):
    shares, overrides, targeting, seed = drawn
    m = ReintegrationModel(
        strategy="drawn",
        strategies_file=strategies_file({"drawn": shares}, targeting=targeting),
        rng=seed,
        create_agents=False,
        **overrides,
    )
    r = m.world.returnees
    n, ids = r.n, m.world.returnees.household.copy()
    for _ in range(14):
        m.step()
        a = r.arrived
        for dim in ("economic", "social", "psychosocial", "composite", "necessity", "choice"):
            values = getattr(r, dim)[a]
            assert ((values >= 0) & (values <= 1)).all(), dim
        assert np.isnan(r.economic[~a]).all()
        assert 0 <= m.current["tension"] <= 1 and 0 <= m.current["cohesion"] <= 1
        spent = m.current["spent"]
        assert spent <= m.p.budget + 1e-6
        by_package = sum(v for k, v in m.current.items() if k.startswith("spent_"))
        assert abs(spent - by_package) < 1e-6 * max(1.0, spent)
    rows = {f.name: len(getattr(r, f.name)) for f in fields(r)}
    assert set(rows.values()) == {n} and n == overrides["n_returnees"], rows
    assert (r.household == ids).all()  # no returnee lost, moved or duplicated
    assert m.current["returned"] == n  # everyone has arrived after the waves
    if not shares:
        assert m.current["spent"] == 0


def test_none_spends_nothing_and_delivers_nothing():
    """No programme: no cash, no referral; productive assets only from returnees' own
    savings invested (never more than they brought)."""
    m = ReintegrationModel(strategy="none", rng=3, create_agents=False)
    brought = m.world.returnees.savings.sum()
    for _ in range(24):
        m.step()
    r = m.world.returnees
    assert m.current["spent"] == 0
    assert r.cash.sum() == 0 and not r.referred.any()
    assert 0 < r.business_asset.sum() <= brought
    assert m.world.structure.strength == {"service": 0.0, "employment": 0.0}


def test_no_deprecated_mesa_api_is_used():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = ReintegrationModel(rng=1, n_returnees=50, n_communities=2)
        for _ in range(3):
            m.step()
        m.datacollector.get_model_vars_dataframe()
    bad = [w for w in caught if issubclass(w.category, (DeprecationWarning, FutureWarning))]
    assert not bad, [str(w.message) for w in bad]


@pytest.mark.parametrize("capacity", [5e-324, 2.2e-308, 1e-200])
@pytest.mark.parametrize("strategy", ["none", "integrated"])
def test_a_village_with_almost_no_work_keeps_every_score_a_number(capacity, strategy):
    """Hypothesis found ``job_capacity=5e-324``: employment against a usual level that small
    overflowed to infinity and the economic score became NaN (now guarded: at most one in a
    million is taken as the usual level)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        m = ReintegrationModel(strategy=strategy, rng=0, create_agents=False, job_capacity=capacity,
                               n_returnees=29, n_communities=3, households_per_community=40,
                               budget=40000, programme_months=1)  # fmt: skip
        for _ in range(14):
            m.step()
    r = m.world.returnees
    assert ((r.economic[r.arrived] >= 0) & (r.economic[r.arrived] <= 1)).all()


def test_a_hire_rounded_up_where_less_than_a_job_is_filled_unhires_no_non_migrant(
    strategies_file,
):
    """Hypothesis found it (user13): in a village with almost no jobs, 0.015 of a job was
    filled in a month and the returnees' hire, rounded at random, took a whole one; the
    non-migrants' employment went negative (-0.61), then the village's work, farm earnings and
    the economic score (-14,227)."""
    shares = {"cash_grant": 0.166666, "business_support": 0.166666, "debt_relief": 0.166666,
              "vocational_training": 0.166666, "employment_services": 0.333333}  # fmt: skip
    m = ReintegrationModel(
        strategy="drawn",
        strategies_file=strategies_file({"drawn": shares}, targeting="standard"),
        rng=112, create_agents=False, n_returnees=87, n_communities=1,
        households_per_community=108, budget=54740.0, programme_months=9,
        return_concentration=0.0, share_forced=0.0, share_trauma=0.0, job_capacity=0.00390625,
    )  # fmt: skip
    r, c = m.world.returnees, m.world.communities
    for _ in range(14):
        m.step()
        assert (c.nonmigrant_employed >= 0).all() and (c.job_availability >= 0).all()
        assert (r.earned >= 0).all()
        assert ((r.economic[r.arrived] >= 0) & (r.economic[r.arrived] <= 1)).all()
