"""Planning rounds: the programme commits its money as returns are registered.

Every ``planning_round_months`` of the programme (from month 0, after the month's arrivals)
a round opens each package's money for the returns its stated forecast expects before the
next round, and commits the community packages where the returns registered so far point;
every month, individual packages serve from what the round opened the returnees registered
and still here, their needs as a needs assessment finds them that month (monitoring: who is
still without savings, whose debt grew, who is distressed). Support not yet delivered to
those who left again is cancelled, and money not committed is carried to the next round
(:meth:`model.plan.Plan.commit_month`). With ``planning_round_months`` 0 the plan was made
before month 1 with perfect foresight, and nothing happens here.
"""

from agents.state import World
from model.parameters import Parameters
from model.plan import Plan

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.households", "communities.job_availability", "communities.jobs_base",
    "returnees.arrival_month", "returnees.arrived", "returnees.business_asset",
    "returnees.community", "returnees.debt",
    "returnees.distress", "returnees.left", "returnees.minor", "returnees.savings",
    "returnees.skill", "world.month",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = ()


def commit(world: World, plan: Plan, p: Parameters) -> None:
    """A month of planning while the programme runs (none with perfect foresight)."""
    if p.planning_round_months > 0 and world.month < p.programme_months:
        plan.commit_month(world, p)
