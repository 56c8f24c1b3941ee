"""Issue 20 item 8: the wish to leave out of necessity eases as people get used to what they
have (a fresh shortfall pushes in full, one lived with for years much less), and cash that
does not make its recipients unhappier through the tension it causes.

Each test would fail on the code before (it says which defect it guards).
"""

import copy

import numpy as np
import pytest

from agents.state import Communities
from model.mechanisms import remigration
from model.mechanisms.resentment import resentment_level
from model.model import ReintegrationModel
from tests.model.test_services_remigration import village


def test_a_shortfall_lived_with_pushes_less_than_a_fresh_one(p):
    """Necessity read every month's shortfall against full need, so chronic poverty pushed as
    hard in year five as a job lost last month; now the part one is used to weighs less."""
    p.insecurity = 0.0
    world = village(2, income=[40.0, 40.0], usual_need_met=[1.0, 0.4])
    fresh, lived_with = remigration.necessity_conditions(world, p)
    assert 0 < lived_with < fresh


def test_the_usual_level_settles_at_the_home_level_not_at_what_savings_or_cash_add(p):
    """The reference closes half its gap in a half-life to the need met, but no higher than
    what the household lives on by its own means: a newcomer's starts there (here nothing
    of its own), not at a first month their savings or a transfer paid for, and what those
    add on top never becomes the level a returnee takes as their lot (so a transfer spent
    leaves no fresh shortfall behind). A returnee not yet home has none."""
    world = village(3, income=[40.0] * 3, usual_need_met=[1.0, np.nan, np.nan])
    r = world.returnees
    r.arrived[2] = False
    path = []
    for _ in range(int(p.need_adaptation_half_life_months)):
        remigration.adapt(world, p)
        path.append(float(r.usual_need_met[0]))
    assert all(a > b for a, b in zip(path, path[1:], strict=False))
    assert np.isclose(path[-1], 0.5)  # half way from 1 to the home level, 0
    assert r.usual_need_met[1] == 0.0 and np.isnan(r.usual_need_met[2])


def _short_and_intending(need_adaptation: float) -> float:
    m = ReintegrationModel("voluntary_prepared", strategy="none", rng=5, months=36,
                           create_agents=False, need_adaptation=need_adaptation)  # fmt: skip
    while m.running:
        m.step()
    r, p = m.world.returnees, m.p
    short = r.arrived & (remigration.need_met(m.world, p) < 0.95)
    return float(np.mean(remigration.intends_out_of_necessity(r.necessity[short], p)))


def test_returnees_short_for_years_intend_to_leave_less_once_they_adapt():
    """Three years on, returnees whose households still fall short intended to leave out of
    necessity as if the shortfall were new; with adaptation fewer of them do."""
    assert _short_and_intending(0.65) < _short_and_intending(0.0)


def test_envy_is_of_what_neighbours_got_against_what_people_live_on_not_of_a_price_level(p):
    """The HRS figure (0.1 SD per 100 USD where a person lived on 18.7 USD a month) was read
    in the model's USD, whose level is assumed (100 USD a month a person): the cash trial,
    scaled to the model's prices, stirred 5.3 times the envy measured. The same aid in months
    of need now stirs the same envy at any price level, and HRS's at the survey's prices."""
    at_survey_prices = copy.copy(p)
    at_survey_prices.monthly_need_usd = p.envy_reference_need_usd
    months_of_need = 2.0
    levels = []
    for q in (p, at_survey_prices):
        c = Communities.empty(1, households=[1.0], job_availability=[1.0])
        c.visible_aid[:] = months_of_need * q.monthly_need_usd
        levels.append(resentment_level(c, q)[0])
    hrs = p.resentment_per_100usd * months_of_need * p.envy_reference_need_usd / 100
    assert levels == pytest.approx([hrs, hrs])
