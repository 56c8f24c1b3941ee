"""Shocks: what returnees must cope with, not only the levels they reach.

IOM's definition of sustainable reintegration asks that returnees *cope with* re-migration
drivers, so resilience is tested by shocks (LSMS-ISA, Heltberg: illness, death and price
shocks are the commonest in rural Africa):

- a **household shock** (illness, a death in the family) hits an arrived returnee with a
  small monthly probability and costs some months of need, paid from savings, then cash, then
  borrowed (added to debt); a household lenders refuse (a debtor in long arrears:
  :func:`model.mechanisms.debt.refused_credit`) cannot borrow, and what it cannot pay
  (``Returnees.unfunded``) comes out of what it lives on that month
  (:func:`model.mechanisms.household_economy.pool`);
- a **community shock** (a bad harvest, a price shock) takes a share of a community's jobs
  away for some months: the labour market then lays workers off, returnees and non-migrants
  alike. It is a temporary change of the community's jobs, kept with those of joint
  activities and works (``world.temporary_jobs``);
- a **regional shock** (a drought, a regional price collapse; ``regional_shock_rate``, none by
  default) is a community shock in every village at once: covariate, so neighbours cannot
  help each other through it;
- local **insecurity** (a 0-1 context parameter) makes every shock likelier.

Community packages that protect jobs (irrigation against a bad harvest: ``shock_protected_jobs``
of small infrastructure) reduce the jobs a village loses, by a number of jobs, whatever its size.

``Returnees.shock`` records the last shock for other mechanisms (re-migration): 1 in the month
a household or community shock hits the returnee, multiplied by ``shock_memory`` each month
after. Every month draws one number per returnee and one per community, in that order (and, in a
scenario with regional shocks, one more for the region), from the model's generator, whatever
happens: runs stay reproducible and paired strategies meet
the same shocks.
"""

import numpy as np

from agents.state import Returnees, World
from model.mechanisms import Random, uniform, uniform_each
from model.mechanisms.debt import refused_credit
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.jobs_base", "communities.jobs_temporary", "communities.shock_protected_jobs",
    "returnees.arrears", "returnees.arrived", "returnees.cash", "returnees.community",
    "returnees.debt", "returnees.household", "returnees.minor", "returnees.savings",
    "returnees.shock", "world.month", "world.products", "world.temporary_jobs",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.jobs_temporary", "returnees.cash", "returnees.debt", "returnees.savings",
    "returnees.shock", "returnees.unfunded", "world.temporary_jobs",
)  # fmt: skip


def strike(world: World, p: Parameters, rng: Random) -> None:
    """This month's household and community shocks."""
    r, c = world.returnees, world.communities
    likelier = 1 + p.insecurity_shock_gain * p.insecurity
    household = uniform(rng, r) < p.household_shock_rate * likelier
    community = uniform(rng, c) < p.community_shock_rate * likelier
    if p.regional_shock_rate > 0:
        community |= uniform_each(rng, c) < p.regional_shock_rate * likelier
    hit = r.arrived & (household | community[r.community])
    payer = r.arrived & household & ~r.minor  # a child is hit, but the adults pay
    cost = np.where(payer, p.household_shock_months * p.monthly_need_usd, 0.0)
    pay(r, cost, refused_credit(world, p))
    exposed = np.maximum(0.0, p.community_shock_job_loss * c.jobs_base - c.shock_protected_jobs)
    lost = np.where(community, exposed, 0.0)
    if community.any():
        world.temporary_jobs.append((-lost, world.month + p.community_shock_months))
        c.jobs_temporary -= lost  # acts from this month; delivery sums them from next month
    r.shock = np.where(hit, 1.0, r.shock * p.shock_memory)


def pay(r: Returnees, cost: np.ndarray, refused: np.ndarray) -> None:
    """A shock's cost, paid from savings, then cash, then borrowed; what those ``refused``
    credit cannot pay is left unfunded this month."""
    from_savings = np.minimum(r.savings, cost)
    from_cash = np.minimum(r.cash, cost - from_savings)
    r.savings -= from_savings
    r.cash -= from_cash
    rest = cost - from_savings - from_cash
    r.debt += np.where(refused, 0.0, rest)
    r.unfunded = np.where(refused, rest, 0.0)
