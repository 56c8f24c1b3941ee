"""Apprenticeship: learning a trade from a master, the way into skilled work without a grant.

Where few can buy a trade's tools and stock, young people still learn one: they sit with a
tailor, a mechanic, a carpenter or a hairdresser for months, working for the master for their
keep or a little, and leave knowing the trade (Frazer 2006, Ghana; Alfonsi et al. 2020,
Uganda). Each month an adult with no wage job, no trade (tools and stock below
``own_account_start_usd``) and none learned yet starts an apprenticeship with chance
``apprenticeship_rate``; for ``apprenticeship_months`` their days are the master's, so they
neither sell nor seek day labour (the family farm still has their spare days: the model's
order puts the farm before day labour); a wage job offered is taken, and ends it. When it
ends they are ``trained``: their skill rises by ``apprenticeship_skill_gain`` and they work
the trade on their own account with the hand tools they have, as a tailor working on
customers' cloth or a mechanic under a tree does, without the stock a petty trader needs
(:func:`model.mechanisms.own_account.work`): their earnings are their skill's, at the
village's demand, sharing its buyers with every other seller, as any trade's.

It is the path by which YOP's controls could catch up with the grantees, who bought training
and tools at once (Blattman, Fiala & Martinez 2014: "grant recipients invest some in skills
training but most in tools and materials"; 2020: the controls "eventually increased their
incomes through business and casual labor"). At ``apprenticeship_rate`` 0 (the table's) the
mechanism draws nothing and changes nothing.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import Random, uniform
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "returnees.apprentice", "returnees.arrived", "returnees.business_asset",
    "returnees.employed", "returnees.minor", "returnees.skill", "returnees.trained",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = ("returnees.apprentice", "returnees.skill", "returnees.trained")


def learn(world: World, p: Parameters, rng: Random) -> None:
    """The month's apprenticeships: served a month (:func:`serve`), and new ones started
    (:func:`start`); nothing at all where ``apprenticeship_rate`` is 0."""
    if p.apprenticeship_rate <= 0:
        return  # no draw: a scenario without apprenticeships runs as before, to the bit
    r = world.returnees
    serve(r, p)
    start(r, uniform(rng, r) < p.apprenticeship_rate, p)


def serve(r: Returnees, p: Parameters) -> None:
    """A month served by every apprentice here; one hired into a wage job leaves the master
    (the job pays now). Those whose last month it was know the trade: ``trained``, their
    skill raised by ``apprenticeship_skill_gain`` (at most 1)."""
    quits = (r.apprentice > 0) & r.employed
    r.apprentice = np.where(quits, 0, r.apprentice)
    serving = (r.apprentice > 0) & r.arrived
    r.apprentice = np.where(serving, r.apprentice - 1, r.apprentice)
    done = serving & (r.apprentice == 0)
    r.trained = r.trained | done
    r.skill = np.where(done, np.minimum(1.0, r.skill + p.apprenticeship_skill_gain), r.skill)


def start(r: Returnees, chosen: np.ndarray, p: Parameters) -> None:
    """Apprenticeships started this month by the ``chosen`` who can start one: adults here
    with no wage job, no trade (tools and stock below ``own_account_start_usd``), none
    learned and none under way."""
    free = r.arrived & ~r.minor & ~r.employed & ~r.trained & (r.apprentice == 0)
    starting = chosen & free & (r.business_asset < p.own_account_start_usd)
    r.apprentice = np.where(starting, p.apprenticeship_months, r.apprentice)


def learning(r: Returnees) -> np.ndarray:
    """Who is serving an apprenticeship this month: their days are the master's."""
    return r.apprentice > 0
