"""Social networks: ties between households, built straight into sparse arrays.

Within a community, households sit on a clustered ring lattice (Watts-Strogatz: each tied to
its ``ties_within_community`` nearest neighbours, a few ties rewired at random inside the
village) because acceptance that needs reinforcement spreads through clustered ties (complex
contagion). A few ties join households of different communities (kin elsewhere). Ties within
a household are its membership (a returnee's ``household``); ties to the diaspora are each
returnee's ``diaspora_ties`` count. Building with numpy keeps a million households cheap;
:func:`to_networkx` gives the graph people look at and analyse.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from agents.state import World
from model.parameters import Parameters


def household_ties(community: np.ndarray, p: Parameters, rng: np.random.Generator) -> sp.csr_matrix:
    """Row-normalised household adjacency: ``ties @ x`` is each household's neighbours' mean
    of ``x``; a household without ties is its own neighbour, so it keeps its own value."""
    ties = tie_matrix(community, p, rng)
    degree = np.diff(ties.indptr)  # 0/1 entries, no duplicates: the count is the sum
    ties.data = np.repeat(1.0 / np.maximum(degree, 1.0), degree)  # each row scaled in place
    alone = degree == 0
    return (ties + sp.diags(alone.astype(float))).tocsr() if alone.any() else ties


def tie_matrix(community: np.ndarray, p: Parameters, rng: np.random.Generator) -> sp.csr_matrix:
    """Symmetric 0/1 adjacency of households: clustered within, sparse between communities."""
    n = len(community)
    starts = np.searchsorted(community, np.arange(community.max() + 1 if n else 0))
    size = np.bincount(community)[community]
    local = np.arange(n) - starts[community]
    sources, targets = [], []
    for offset in range(1, p.ties_within_community // 2 + 1):
        ok = size > 2 * offset  # skip lattice offsets a small village cannot hold
        target_local = (local + offset) % size
        rewire = rng.random(n) < p.tie_rewiring
        target_local = np.where(rewire, rng.integers(0, 2**62, n) % size, target_local)
        target = starts[community] + target_local
        keep = ok & (target != np.arange(n))
        sources.append(np.arange(n)[keep])
        targets.append(target[keep])
    n_between = rng.binomial(n, min(1.0, p.ties_between_communities)) if n else 0
    a, b = rng.integers(0, n, n_between), rng.integers(0, n, n_between)
    keep = community[a] != community[b]
    sources.append(a[keep])
    targets.append(b[keep])
    src, dst = np.concatenate(sources), np.concatenate(targets)
    both = (np.concatenate([src, dst]), np.concatenate([dst, src]))  # symmetric in one pass
    m = sp.coo_matrix((np.ones(len(both[0])), both), shape=(n, n)).tocsr()  # sums duplicates
    m.data[:] = 1.0
    return m


def to_networkx(world: World, max_households: int | None = None) -> nx.Graph:
    """A networkx graph of households and returnees, for viewing and analysis.

    With ``max_households`` a sample is taken: whole communities, those receiving most
    returnees first, so the picture shows where return happens and stays readable and cheap;
    the graph's ``sampled`` attribute says whether it is one.
    """
    h, r = world.households, world.returnees
    keep = np.arange(h.n)
    if max_households is not None and h.n > max_households:
        busiest = np.argsort(-world.communities.expected_returnees, kind="stable")
        rank = np.empty_like(busiest)
        rank[busiest] = np.arange(len(busiest))
        keep = keep[np.argsort(rank[h.community], kind="stable")][:max_households]
    keep_set = np.zeros(h.n, dtype=bool)
    keep_set[keep] = True
    adjacency = sp.triu(world.ties, k=1).tocoo()
    g = nx.Graph(sampled=bool(h.n > len(keep)))
    for i in keep:
        g.add_node(("household", int(i)), kind="household", community=int(h.community[i]))
    on = keep_set[adjacency.row] & keep_set[adjacency.col]
    g.add_edges_from(
        (("household", int(a)), ("household", int(b)), {"kind": "neighbours"})
        for a, b in zip(adjacency.row[on], adjacency.col[on], strict=True)
    )
    for i in np.flatnonzero(r.arrived & keep_set[r.household]):
        g.add_node(("returnee", int(i)), kind="returnee", community=int(r.community[i]))
        g.add_edge(("returnee", int(i)), ("household", int(r.household[i])), kind="family")
    return g
