"""The structural environment: services and employment support, built slowly, kept long.

Structural work strengthens the services, referral and employment systems of a region: the
villages modelled and ``structural_region_population`` residents beyond them, all served by
the same institutions. Its money builds the region's strength, and the modelled villages feel
that strength as every other place in the region does: thinly spread where the region is
large, but everywhere it reaches.

Money passes through two stages before it works (committed: laws, procedures and plans; in
progress: staff hired and trained, referral mechanisms set up), each taking on average half
of ``structural_lag_months``, so capacity grows along an S-curve: nothing in the first month,
most of it after the lag. What is built erodes only at ``structural_decay`` a month, as the
staff trained leave: slow to start, broad (it serves every community, returnees and
non-migrants alike) and lasting after the funding ends.

What the region beyond the villages gains is not simulated household by household: it is
the modelled district's own per-resident effect (:func:`dividend`), the well-being its
households would gain from the services and jobs the work adds, as they were before anyone
returned, times the residents beyond (counted in :mod:`model.outcomes`).
"""

import numpy as np

from agents.state import Structure, World
from model.mechanisms import against_usual, remembered
from model.mechanisms.resentment import wellbeing_conditions
from model.parameters import Parameters

#: State this mechanism reads (table.variable; checked by tests/model/test_state_access.py).
READS = (
    "structure.building", "structure.built", "structure.pending", "structure.residents",
    "structure.strength",
)  # fmt: skip
#: State this mechanism writes, in place or by assignment.
WRITES = (
    "structure.building", "structure.built", "structure.pending", "structure.strength",
)  # fmt: skip


def invest(structure: Structure, kind: str, usd: float) -> None:
    structure.pending[kind] += usd


def region_residents(structure: Structure, p: Parameters) -> float:
    """Everyone the structural work serves: the villages modelled and the region beyond."""
    return structure.residents + p.structural_region_population


def district_share(structure: Structure, p: Parameters) -> float:
    """The modelled villages' share of the region's residents (what of the money is theirs)."""
    return structure.residents / region_residents(structure, p)


def build(structure: Structure, p: Parameters) -> None:
    """One month of building and erosion; strength saturates with money per resident of the
    region."""
    full = region_residents(structure, p) * p.structural_cost_per_resident
    rate = min(1.0, 2.0 / max(p.structural_lag_months, 1.0))
    for kind in structure.pending:
        done = structure.building[kind] * rate
        started = structure.pending[kind] * rate
        structure.building[kind] += started - done
        structure.pending[kind] -= started
        structure.built[kind] = structure.built[kind] * (1 - p.structural_decay) + done
        structure.strength[kind] = float(1 - np.exp(-structure.built[kind] / full))


def reach(structure: Structure, p: Parameters) -> float:
    """People whose services the work has strengthened: the whole region, once it acts."""
    acting = any(s > 0 for s in structure.strength.values())
    return region_residents(structure, p) if acting else 0.0


def dividend(world: World, p: Parameters) -> float:
    """Well-being (0-1) a resident gains from the structure as it stands, where no one has
    returned: the modelled households at their usual employment and their villages' service
    capacity, with and without the jobs employment services open and the services they
    strengthen (cohesion and tension unchanged). The mean over the district's households."""
    h, c, s = world.households, world.communities, world.structure
    if not any(s.strength.values()):
        return 0.0  # nothing built: nothing to gain (and no arrays to compute)
    k = h.community  # what is the same for a village's households is worked out per village
    usual = c.usual_job_availability
    opened = p.structural_job_gain * s.strength["employment"]
    work = against_usual(np.minimum(1.0, usual + opened), usual)
    income = np.minimum(1.0, h.means * (1 + p.household_wage_share * (work - 1))[k])
    stronger = 1 + p.structural_service_gain * s.strength["service"]
    access = np.minimum(1.0, c.service_capacity * stronger)
    cohesion = c.usual_cohesion  # no one returned: no resentment, no tension
    with_it = wellbeing_conditions(income, k, access, cohesion, p)
    gain = np.subtract(with_it, wellbeing_without(world, p), out=with_it)  # its own array
    return float(np.add.reduce(gain) / len(gain))  # np.mean's sum and division, unwrapped


def wellbeing_without(world: World, p: Parameters) -> np.ndarray:
    """Per household, the well-being of :func:`dividend` without the structure: at its usual
    employment and its village's service capacity. Of what it is made only the capacity
    changes (community packages add to it), seldom, so the result is kept with a copy of the
    capacity and worked out again when it changes (:func:`remembered`, under the weights it
    was worked out with); the households' means and villages and the usual cohesion are set
    when the world is built and never written, and are kept as the same objects."""
    h, c = world.households, world.communities
    weights = (
        p.nonmigrant_weight_income, p.nonmigrant_weight_services, p.nonmigrant_weight_cohesion
    )  # fmt: skip

    def without(capacity: np.ndarray) -> np.ndarray:
        usual_access = np.minimum(1.0, capacity)
        means = np.minimum(1.0, h.means)
        return wellbeing_conditions(means, h.community, usual_access, c.usual_cohesion, p)

    name = f"well-being without structure, weights {weights}"
    fixed = (h.means, h.community, c.usual_cohesion)
    return remembered(world, name, without, c.service_capacity, *fixed)
