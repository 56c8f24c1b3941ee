"""Arrivals: returnees come back in waves, into their families and communities.

A family that depended on the migrant's remittances loses them on return; a family that
financed the journey and sees its member come back empty-handed or deported is disappointed.
A community's ``arrived_returnees`` counts those present: returnees who left again
(:func:`model.mechanisms.remigration.leave`) no longer weigh on its jobs and services.
"""

import numpy as np

from agents.state import World
from model.mechanisms import per_community
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "households.disposition", "households.returnees", "returnees.arrival_month",
    "returnees.arrived", "returnees.community", "returnees.empty_handed", "returnees.forced",
    "returnees.household", "world.month",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "communities.arrived_returnees", "households.disposition",
    "households.returnees", "returnees.arrived",
)  # fmt: skip


def arrive(world: World, p: Parameters) -> np.ndarray:
    """Mark this month's arrivals; return their indices."""
    r, h, c = world.returnees, world.households, world.communities
    new = np.flatnonzero((r.arrival_month == world.month) & ~r.arrived)
    r.arrived[new] = True
    np.add.at(h.returnees, r.household[new], 1)
    c.arrived_returnees = per_community(r.arrived.astype(float), r.community, c.n)
    disappointment = p.family_disappointment * (
        p.stigma_empty_handed * r.empty_handed[new] + p.stigma_forced * r.forced[new]
    )
    np.subtract.at(h.disposition, r.household[new], disappointment)
    h.disposition.clip(0, 1, out=h.disposition)
    return new
