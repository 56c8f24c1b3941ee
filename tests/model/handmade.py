"""Pieces of hand-made worlds for the mechanism tests."""

from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

from agents.state import Returnees, Structure


def ring(n: int) -> sp.csr_matrix:
    """Row-normalised ring of n households (each tied to its two neighbours)."""
    i = np.arange(n)
    m = sp.coo_matrix((np.ones(2 * n), (np.r_[i, i], np.r_[(i + 1) % n, (i - 1) % n])))
    return sp.csr_matrix(m.multiply(0.5))


def people_at_levels(levels, distress, stigma: float = 0.0):
    """A world for :func:`model.mechanisms.psychosocial.heal`: adults alike in all but their
    own lasting level of distress (``levels``), with ``stigma`` and no care, starting at
    ``distress``."""
    n = len(levels)
    r = Returnees.empty(
        n,
        arrived=np.ones(n, bool),
        distress=distress,
        distress_level=levels,
        stigma=[stigma] * n,
    )
    return SimpleNamespace(returnees=r, structure=Structure(residents=1e3))


def assert_received_adds_up(result) -> None:
    """A run's received table: one row per returnee and individual package, and per package
    its units and places adding up to what the plan's allocations report."""
    received = result.received
    for a in result.allocations:
        rows = received[received.package == a.package]
        assert rows.units.sum() == a.units
        assert rows.community.nunique() == a.places
    individual = received[received.level == "individual"]
    assert not individual.duplicated(["package", "returnee"]).any()
