"""The structural environment: services and employment support, built slowly, kept long.

Money for structural work passes through two stages before it works (committed: laws,
procedures and plans; in progress: staff hired and trained, referral mechanisms set up),
each taking on average half of ``structural_lag_months``, so capacity grows along an S-curve:
nothing in the first month, most of it after the lag. What is built erodes only at
``structural_decay`` a month: slow to start, broad (it serves every community, returnees and
non-migrants alike) and lasting after the funding ends.
"""

import numpy as np

from agents.state import Structure
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


def build(structure: Structure, p: Parameters) -> None:
    """One month of building and erosion; strength saturates with money per resident."""
    full = structure.residents * p.structural_cost_per_resident
    rate = min(1.0, 2.0 / max(p.structural_lag_months, 1.0))
    for kind in structure.pending:
        done = structure.building[kind] * rate
        started = structure.pending[kind] * rate
        structure.building[kind] += started - done
        structure.pending[kind] -= started
        structure.built[kind] = structure.built[kind] * (1 - p.structural_decay) + done
        structure.strength[kind] = float(1 - np.exp(-structure.built[kind] / full))
