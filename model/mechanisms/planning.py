"""Planning rounds: the programme commits its money as returns are registered.

Every ``planning_round_months`` of the programme (from month 0) the plan commits money on
the returnees registered and still here, their needs as a needs assessment finds them this
month (monitoring: who is still without savings, whose debt grew, who is distressed; support
not yet delivered to those who left again is cancelled), and the places the returns so far
point to; it keeps money for the returns its forecast still expects, and carries what it does
not commit (:meth:`model.plan.Plan.commit_round`). With ``planning_round_months`` 0 the plan
was made before month 1 with perfect foresight, and nothing happens here.
"""

from agents.state import World
from model.parameters import Parameters
from model.plan import Plan

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "communities.households", "communities.jobs_base", "returnees.arrival_month",
    "returnees.arrived", "returnees.community", "returnees.debt", "returnees.distress",
    "returnees.left", "returnees.minor", "returnees.savings", "returnees.skill", "world.month",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = ()


def commit(world: World, plan: Plan, p: Parameters) -> None:
    """A planning round, in the months that hold one."""
    rounds, month = p.planning_round_months, world.month
    if rounds > 0 and month % rounds == 0 and month < p.programme_months:
        plan.commit_round(world, p)
