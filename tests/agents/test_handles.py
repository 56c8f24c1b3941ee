"""Agents as handles: each mesa.Agent reads and writes its own row of the state arrays."""

import mesa
import numpy as np

from agents import Community, Household, Returnee
from agents.state import Returnees
from model.model import ReintegrationModel


def small_model(**kwargs) -> ReintegrationModel:
    params = {"n_returnees": 30, "n_communities": 3, "households_per_community": 20}
    return ReintegrationModel("default", strategy="none", rng=5, **params, **kwargs)


def test_one_handle_per_row_and_mesa_sees_them_by_type():
    m = small_model()
    w = m.world
    assert len(m.agents_by_type[Returnee]) == w.returnees.n == 30
    assert len(m.agents_by_type[Household]) == w.households.n == 60
    assert len(m.agents_by_type[Community]) == w.communities.n == 3


def test_a_handle_reads_and_writes_its_own_row_only():
    m = small_model()
    before = m.world.returnees.distress.copy()
    r = m.returnees_list[7]
    r.distress = 0.25
    assert m.world.returnees.distress[7] == 0.25
    assert np.array_equal(np.delete(m.world.returnees.distress, 7), np.delete(before, 7))
    m.step()
    assert r.distress == m.world.returnees.distress[7]  # reads follow the arrays month by month


def test_handles_link_returnee_household_and_community():
    m = small_model()
    for r in m.returnees_list[:10]:
        assert r.household.index == m.world.returnees.household[r.index]
        assert r.community.index == m.world.returnees.community[r.index]
        assert r.household.community.index == r.community.index
        assert r.household.is_returnee_household or not r.arrived


def test_agentset_selects_and_aggregates_on_row_values():
    m = small_model()
    for _ in range(8):
        m.step()
    arrived = m.agents_by_type[Returnee].select(lambda a: a.arrived)
    assert len(arrived) == int(m.world.returnees.arrived.sum())
    mean = np.mean(arrived.get("composite"))
    assert np.isclose(mean, np.nanmean(m.world.returnees.composite[m.world.returnees.arrived]))


def test_a_state_table_is_built_by_hand_with_typed_zero_rows():
    r = Returnees.empty(3, distress=[0.1, 0.2, 0.3])
    assert r.n == 3
    assert r.distress.dtype == np.float64 and r.community.dtype == np.int64
    assert r.arrived.dtype == np.bool_ and not r.arrived.any()


def test_handles_are_mesa_agents():
    m = small_model()
    assert all(isinstance(a, mesa.Agent) for a in m.agents)
