"""Issue 20, items 3 and 4: intentions that move and turn into departures at a sourced rate;
children who are household members, not job seekers or debtors.

Each test would fail on the code before the issue (it says which defect it guards).
"""

import numpy as np
import pytest

from model.mechanisms import remigration, schooling, scoring
from model.model import ReintegrationModel
from model.outcomes import model_summary
from model.support import Strategy
from tests.model.test_services_remigration import village


def _run(scenario="default", strategy="none", months=12, **overrides):
    m = ReintegrationModel(scenario, strategy=strategy, rng=3, months=months,
                           create_agents=False, **overrides)  # fmt: skip
    while m.running:
        m.step()
    return m


def test_savings_ease_necessity_and_raise_the_means_to_choose(p):
    """Item 3: necessity ignored savings and choice never changed after return (the same
    17.5% in every scenario); now savings cushion necessity and give the means to leave by
    choice, and earnings above need count as means too."""
    p.insecurity = 0.0
    world = village(3, income=[40.0] * 3, earned=[40.0, 40.0, 400.0], savings=[0.0, 900.0, 0.0])
    necessity = remigration.necessity_conditions(world, p)
    choice = remigration.choice_conditions(world, p)
    assert necessity[1] < necessity[0]  # same shortfall, a cushion to fall back on
    assert choice[1] > choice[0] and choice[2] > choice[0]  # savings, a thriving business


def test_own_use_farm_work_pays_for_no_journey_and_the_horizon_is_a_parameter(p):
    """review14: the means to leave counted ``earned`` whole, own-use farm work the family
    eats included, over a literal twelve months; now cash earnings only, over
    ``journey_saving_months``."""
    need = p.monthly_need_usd
    world = village(3, earned=[need + 100.0] * 3, farmed=[0.0, 100.0, 0.0])
    means = remigration.means(world, p)
    assert means[1] == 0.0 < means[0]  # the same earnings, all above need eaten at home
    p.journey_saving_months = 2 * p.journey_saving_months
    assert remigration.means(world, p)[0] == pytest.approx(min(1.0, 2 * means[0]))


def test_intentions_persist_and_move_month_by_month(p):
    """Item 3: intentions are states: a month of hardship raises necessity part of the way to
    what it supports, more months further, and it eases when things improve."""
    world = village(1, income=[0.0])
    r = world.returnees
    r.economic[:] = r.social[:] = r.psychosocial[:] = r.necessity[:] = r.choice[:] = 0.0
    world.households.income[:] = 1.0
    path = []
    for month in range(4):
        r.income[:] = 0.0 if month < 3 else p.monthly_need_usd
        scoring.assess(world, p)
        path.append(float(r.necessity[0]))
    target = float(remigration.necessity_conditions(world, p)[0])
    assert 0 < path[0] < path[1] < path[2] < p.necessity_weight_income  # persistence
    assert path[3] < path[2] and path[3] > target  # easing, not a jump


def test_a_childs_necessity_reads_the_households_need(p):
    """Item 4: a child earns nothing, so their own income made them 'short of need' and
    pushed them out; a child's need met is the household's."""
    p.insecurity = 0.0
    world = village(2, income=[0.0, 0.0], minor=[True, False])
    world.households.income[:] = 1.0
    necessity = remigration.necessity_conditions(world, p)
    assert necessity[0] == 0.0 and necessity[1] > 0.5


def test_only_intending_returnees_leave_at_the_act_rate(p):
    """Item 3: everyone left with a hazard proportional to their intention; now those who
    intend act at the rate panels of intentions measured, each for one reason."""
    n = 60_000
    world = village(n)
    r = world.returnees
    r.necessity[:] = np.repeat([0.9, 0.1, 0.1], n // 3)
    r.choice[:] = np.repeat([0.9, 0.9, 0.1], n // 3)
    p.intention_act_rate = 0.05
    gone = remigration.leave(world, p, np.random.default_rng(1))
    third = n // 3
    assert not (gone >= 2 * third).any()  # no intention, no departure
    expected, sd = p.intention_act_rate * third, np.sqrt(third * 0.05 * 0.95)
    for reason, rows in (("necessity", gone < third), ("choice", gone >= third)):
        assert abs(rows.sum() - expected) < 5 * sd
        assert world.departures[reason] == rows.sum()
    assert r.left_necessity[:third].sum() == world.departures["necessity"]
    assert not r.left_necessity[third:].any()


def test_departures_by_reason_add_up_month_by_month():
    """Item 3: the monthly table reports intentions and departures by reason; the month's
    departures add up to the share gone."""
    table = _run(months=24).datacollector.get_model_vars_dataframe()
    for reason in ("necessity", "choice"):
        monthly = table[f"leaving_{reason}"] * table["returned"]
        gone = table[f"left_{reason}"] * table["returned"]
        assert monthly.sum() == pytest.approx(gone.iloc[-1])
        assert table[f"share_{reason}"].between(0, 1).all()
    assert table.leaving_necessity.sum() > 0


def test_choice_differs_by_context():
    """Item 3: the choice route gave the same share in every scenario; now returnees with
    savings and prospects (prepared voluntary return) intend to leave by choice more often
    than those deported in debt."""
    small = dict(months=6, n_returnees=300, n_communities=4)
    prepared = _run("voluntary_prepared", **small).current["share_choice"]
    deported = _run("forced_debt", **small).current["share_choice"]
    assert prepared > deported


def test_children_do_not_seek_work_or_carry_debt():
    """Item 4: 3% minors sought jobs, carried debt and scored economic self-sufficiency; now
    they are household members: never employed, no debt, their economic score their
    household's share of need met, their economic indicators not asked."""
    m = _run(months=12, share_minor=0.3, n_returnees=400, n_communities=4)
    r, h = m.world.returnees, m.world.households
    child = r.arrived & r.minor
    assert child.sum() > 50
    assert not r.employed[r.minor].any() and (r.debt[r.minor] == 0).all()
    assert (r.earned[r.minor] == 0).all()
    assert np.isnan(m.world.indicators["income"][child]).all()
    assert not np.isnan(m.world.indicators["school"][child]).any()
    assert r.employed[r.arrived & ~r.minor].any()  # adults still work
    assert np.corrcoef(r.economic[child], h.income[r.household[child]])[0, 1] > 0.9


def test_school_support_enrols_and_need_unmet_takes_children_out(p):
    """Item 4: no child went to school; now children enrol, faster with school support, and
    leave school when their household cannot meet its needs."""
    n = 4000
    rng = np.random.default_rng(5)
    supported = village(n, minor=np.ones(n, bool), school_support_left=np.full(n, 6))
    alone = village(n, minor=np.ones(n, bool))
    for world in (supported, alone):
        world.households.income[:] = 1.0
        for _ in range(3):
            schooling.attend(world, p, rng)
    assert supported.returnees.in_school.mean() > alone.returnees.in_school.mean() > 0
    poor = village(n, minor=np.ones(n, bool), in_school=np.ones(n, bool))
    fed = village(n, minor=np.ones(n, bool), in_school=np.ones(n, bool))
    poor.households.income[:], fed.households.income[:] = 0.0, 1.0
    for world in (poor, fed):
        schooling.attend(world, p, rng)
    assert poor.returnees.in_school.mean() < fed.returnees.in_school.mean() == 1.0
    adults = village(10, in_school=np.ones(10, bool))
    schooling.attend(adults, p, rng)
    assert not adults.returnees.in_school.any()  # school is for children


def test_the_child_package_reaches_children_only_and_raises_attendance():
    """Item 4: no package was for children; now ``child_reintegration`` goes to returnees
    under 18 under any targeting, and the children it reaches go to school more."""
    kids = Strategy(name="kids", targeting="standard", shares={"child_reintegration": 1.0})
    small = dict(months=10, share_minor=0.3, n_returnees=400, n_communities=4)
    helped, none = _run(strategy=kids, **small), _run(**small)
    r = helped.world.returnees
    reached = r.case_left > 0
    under_18_at_start = r.age - small["months"] / 12 < 18  # some have turned 18 since
    assert reached.any() and under_18_at_start[reached].all()
    assert helped.current["share_in_school"] > none.current["share_in_school"]
    assert model_summary(helped.world, helped.p, [])["spent"] > 0


def test_ties_abroad_fade_with_the_years_home_and_so_does_the_pull_of_choice():
    """Ties abroad halve every ``ties_abroad_half_life_months`` spent home: a returnee's pull
    to leave by choice eases over the years they stay, and a shorter half-life eases it sooner."""
    model = ReintegrationModel("default", strategy="none", rng=3, months=1, create_agents=False)
    model.step()
    w, p = model.world, model.p
    w.returnees.diaspora_ties[:] = 4.0
    w.returnees.arrival_month[:] = 0
    now = remigration.ties_abroad(w, p).copy()
    pull_now = remigration.choice_conditions(w, p).copy()
    w.month += int(p.ties_abroad_half_life_months)
    assert np.allclose(remigration.ties_abroad(w, p), now / 2)
    assert (remigration.choice_conditions(w, p) <= pull_now).all()
    assert (remigration.choice_conditions(w, p) < pull_now).any()


def test_children_grow_up_and_the_young_grow_older():
    """Nobody aged: a returning 14-year-old was a child (no work, in school, scored as a
    child) for the whole of a 108-month run, and youth pulled towards leaving for ever. Now a
    child who turns 18 seeks work and is scored as an adult, and ages move a year in 12 months."""
    m = _run(months=48, share_minor=0.3, n_returnees=400, n_communities=4)
    r = m.world.returnees
    start = ReintegrationModel(
        "default", strategy="none", rng=3, create_agents=False,
        share_minor=0.3, n_returnees=400, n_communities=4,
    ).world.returnees  # fmt: skip
    np.testing.assert_allclose(r.age - start.age, 4.0)
    grown = start.minor & ~r.minor & r.arrived
    assert grown.sum() > 50  # most of those 14-17 at the start are adults four years on
    assert (r.minor == (r.age < 18)).all()
    assert r.status[grown].any() and not np.isnan(m.world.indicators["income"][grown]).any()
    assert not r.in_school[grown].any()
