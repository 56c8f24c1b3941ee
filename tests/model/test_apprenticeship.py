"""Apprenticeship (yopctrl16): a trade learned from a master, on hand-made worlds."""

import numpy as np
import pytest

from model.mechanisms import NONE, OWN_ACCOUNT, apprenticeship, own_account
from tests.model.test_economy import returnees, world_of


def months_of_work(world, p, months: int) -> list[tuple[int, float]]:
    """The first returnee's work status and earnings in each of ``months`` months, the
    apprenticeships served and started before each month's work, as the month runs them."""
    rng = np.random.default_rng(0)
    seen = []
    for _ in range(months):
        apprenticeship.learn(world, p, rng)
        own_account.work(world, p, rng)
        seen.append((int(world.returnees.status[0]), float(world.returnees.earned[0])))
    return seen


def test_an_apprentice_works_for_the_master_then_sells_the_trade_without_stock(p):
    """Someone with no tools starts an apprenticeship, earns nothing from sales or day
    labour while serving it (the days are the master's), and once it ends works the trade on
    their own account, skill raised, with no stock at all; without apprenticeships the same
    person never sells (day labour only)."""
    p.casual_work_rate, p.apprenticeship_months = 1.0, 3
    p.apprenticeship_rate = 1.0
    r = returnees(1, skill=[0.4])
    seen = months_of_work(world_of(r), p, 5)
    assert [status for status, _ in seen[:3]] == [NONE] * 3
    assert [earned for _, earned in seen[:3]] == [0.0] * 3
    assert seen[3][0] == seen[4][0] == OWN_ACCOUNT and seen[3][1] > 0
    assert r.trained[0] and r.skill[0] == pytest.approx(0.4 + p.apprenticeship_skill_gain)
    assert r.business_asset[0] == 0.0
    p.apprenticeship_rate = 0.0
    alone = returnees(1, skill=[0.4])
    assert all(status != OWN_ACCOUNT for status, _ in months_of_work(world_of(alone), p, 5))


def test_only_adults_with_no_trade_and_no_wage_job_start_one(p):
    """A trade already run (tools and stock at the threshold), a wage job, childhood, one
    learned already: none of them starts an apprenticeship; the one left does."""
    p.apprenticeship_rate = 1.0
    start = p.own_account_start_usd
    r = returnees(
        5,
        business_asset=[start, 0.0, 0.0, 0.0, 0.0],
        employed=[False, True, False, False, False],
        minor=[False, False, True, False, False],
        trained=[False, False, False, True, False],
    )
    apprenticeship.learn(world_of(r), p, np.random.default_rng(0))
    assert r.apprentice.tolist() == [0, 0, 0, 0, p.apprenticeship_months]


def test_a_wage_job_ends_an_apprenticeship_unfinished(p):
    """An apprentice hired into a wage job leaves the master: no trade learned."""
    p.apprenticeship_rate = 1.0
    r = returnees(1, apprentice=[2], employed=[True])
    apprenticeship.learn(world_of(r), p, np.random.default_rng(0))
    assert r.apprentice[0] == 0 and not r.trained[0]


def test_no_apprenticeships_draw_nothing(p):
    """At the table's rate of 0 the mechanism takes no number from the generator, so every
    scenario without apprenticeships draws and runs as before."""
    assert p.apprenticeship_rate == 0.0
    rng, fresh = np.random.default_rng(5), np.random.default_rng(5)
    r = returnees(3)
    apprenticeship.learn(world_of(r), p, rng)
    assert rng.random() == fresh.random()
    assert not r.apprentice.any() and not r.trained.any()
