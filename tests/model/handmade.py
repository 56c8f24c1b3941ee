"""Pieces of hand-made worlds for the mechanism tests."""

import numpy as np
import scipy.sparse as sp


def ring(n: int) -> sp.csr_matrix:
    """Row-normalised ring of n households (each tied to its two neighbours)."""
    i = np.arange(n)
    m = sp.coo_matrix((np.ones(2 * n), (np.r_[i, i], np.r_[(i + 1) % n, (i - 1) % n])))
    return sp.csr_matrix(m.multiply(0.5))
