"""Schooling: returning children (under 18) go to school, or do not.

A child is a member of a household, not a job seeker or a debtor (:mod:`model.mechanisms.
livelihoods` leaves them out of the labour market). A child who comes back is out of school
at first: records, documents and missed years stand in the way, and each month an
out-of-school child enrols with a small chance (``school_enrolment_rate``), a large one
while school reintegration support lasts (``school_support_enrolment_rate``; a package such
as ``child_reintegration``). A child in school leaves it to work when the household cannot
meet its needs, in proportion to the need unmet (``school_dropout_rate``), unless support
keeps them there. Attendance is an indicator of a child's social dimension (access to
education in the Reintegration Sustainability Survey), so a child is not "reintegrated" by
the same measure as a working adult (003 s.2: unaccompanied and separated children need
further support "to even begin" reintegrating).
"""

import numpy as np

from agents.state import World
from model.mechanisms import Random, uniform
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.income", "returnees.arrived", "returnees.household", "returnees.in_school",
    "returnees.minor", "returnees.school_support_left",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "returnees.in_school", "returnees.school_support_left",
)  # fmt: skip


def attend(world: World, p: Parameters, rng: Random) -> None:
    """This month's enrolments and drop-outs among the children present.

    One uniform draw per returnee every month keeps strategies on common random numbers."""
    r, h = world.returnees, world.households
    draw = uniform(rng, r)
    child = r.arrived & r.minor
    supported = r.school_support_left > 0
    enrol = np.where(supported, p.school_support_enrolment_rate, p.school_enrolment_rate)
    unmet = 1.0 - h.income[r.household]
    drop = np.where(supported, 0.0, p.school_dropout_rate * unmet)
    enrols = child & ~r.in_school & (draw < enrol)
    drops = child & r.in_school & (draw < drop)
    r.in_school = child & ((r.in_school & ~drops) | enrols)
    r.school_support_left = np.where(
        child, np.maximum(0, r.school_support_left - 1), r.school_support_left
    )
