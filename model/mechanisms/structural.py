"""The structural environment: services and employment support, built slowly, kept long.

Money for structural work first sits in a pipeline (laws, procedures, staff, referral
mechanisms take time), is built into capacity at ``1 / structural_lag_months`` of the pipeline
a month, and what is built erodes only at ``structural_decay`` a month: slow to start,
broad (it serves every community, returnees and non-migrants alike) and lasting after the
funding ends.
"""

import numpy as np


def invest(structure, kind: str, usd: float) -> None:
    structure.pending[kind] += usd


def build(structure, p) -> None:
    """One month of building and erosion; strength saturates with money per resident."""
    full = structure.residents * p.structural_cost_per_resident
    for kind in structure.pending:
        done = structure.pending[kind] / max(p.structural_lag_months, 1.0)
        structure.pending[kind] -= done
        structure.built[kind] = structure.built[kind] * (1 - p.structural_decay) + done
        structure.strength[kind] = float(1 - np.exp(-structure.built[kind] / full))
