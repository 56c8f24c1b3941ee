"""The farming year: a lean season when work on the land and for others is scarce.

In the rain-fed farming villages the model describes, the months before the harvest are the
"hungry season": stocks run low and there is little paid work on the land (about three
months before the next harvest: BASIS, UC Davis, Zambia). Work for the farm and day labour,
and the part of households' own means that moves with the village's work, follow the year:
``lean_season_depth`` less in the ``lean_season_months`` from ``lean_season_start``, and
correspondingly more in the other months, so a year's total is what it was without seasons.
The season moves earnings *within* the year; it does not make villages poorer or richer.
"""

import numpy as np

from agents.state import World
from model.mechanisms import against_usual
from model.parameters import Parameters

MONTHS_A_YEAR = 12


def lean(month: int, p: Parameters) -> bool:
    """Whether the model's month ``month`` (0 = the first) falls in the lean season."""
    return (month - (p.lean_season_start - 1)) % MONTHS_A_YEAR < p.lean_season_months


def season(month: int, p: Parameters) -> float:
    """The farming year's factor on the village's work this month: ``1 - depth`` in the lean
    season, and enough above 1 in the others that the year averages 1."""
    lean_months = min(p.lean_season_months, MONTHS_A_YEAR)
    if lean_months in (0, MONTHS_A_YEAR):
        return 1.0
    if lean(month, p):
        return 1.0 - p.lean_season_depth
    return 1.0 + p.lean_season_depth * lean_months / (MONTHS_A_YEAR - lean_months)


def village_work(world: World, p: Parameters) -> np.ndarray:
    """Per village: its work this month against its usual level (employment now over before
    the returns), times the farming year's :func:`season`. Work for the farm, day labour and
    households' wage means all move with it (each row takes its village's: worked out per
    village, the same numbers as row by row, in fewer passes over the rows)."""
    c = world.communities
    now = against_usual(c.job_availability, c.usual_job_availability)
    return now * season(world.month, p)
