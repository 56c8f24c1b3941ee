"""Ageing: every month a returnee is a month older, and a child who turns 18 is an adult.

Runs reach 48 to 108 months (calibration, structural horizons), long enough for a returning
14-year-old to become a young adult who seeks work, leaves school and is scored as an adult,
and for a returnee of 33 to pass the age below which youth pulls towards leaving again
(``youth_age``). Both follow from the calendar, so nothing here is a parameter: a month is a
twelfth of a year, and 18 is the age of majority (the Convention on the Rights of the Child).
"""

from agents.state import World

#: A returnee under this age is a minor (the Convention on the Rights of the Child): a
#: definition, not a parameter.
ADULT_AGE = 18
MONTHS_A_YEAR = 12

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = ("returnees.age",)
#: State this mechanism writes, in place or by assignment.
WRITES = ("returnees.age", "returnees.minor")


def grow_older(world: World) -> None:
    """A month passes for everyone; who is under 18 is a child this month."""
    r = world.returnees
    r.age += 1.0 / MONTHS_A_YEAR
    r.minor = r.age < ADULT_AGE
