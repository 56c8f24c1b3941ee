"""Pieces of hand-made worlds for the mechanism tests."""

from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

from agents.state import Households, Returnees, Structure


def ring(n: int) -> sp.csr_matrix:
    """Row-normalised ring of n households (each tied to its two neighbours)."""
    i = np.arange(n)
    m = sp.coo_matrix((np.ones(2 * n), (np.r_[i, i], np.r_[(i + 1) % n, (i - 1) % n])))
    return sp.csr_matrix(m.multiply(0.5))


def households_meeting(met) -> Households:
    """One household per entry, meeting that share of its need this month (what
    :func:`model.mechanisms.household_economy.pool` leaves in ``Households.income``)."""
    met = np.asarray(met, dtype=float)
    return Households.empty(len(met), income=met)


def people_at_levels(levels, distress, need_usd: float, stigma: float = 0.0):
    """A world for :func:`model.mechanisms.psychosocial.heal`: adults alike in all but their
    own lasting level of distress (``levels``), each in a household meeting all its need as
    usual, with ``stigma`` and no care, starting at ``distress``."""
    n = len(levels)
    r = Returnees.empty(
        n,
        arrived=np.ones(n, bool),
        household=np.arange(n),
        distress=distress,
        distress_level=levels,
        stigma=[stigma] * n,
        income=[need_usd] * n,
        usual_need_met=[1.0] * n,
    )
    return SimpleNamespace(
        returnees=r, households=households_meeting([1.0] * n), structure=Structure(residents=1e3)
    )


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
