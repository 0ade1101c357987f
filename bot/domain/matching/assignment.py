"""Maximum-weight matchings of sparse bipartite graphs with scipy, and their dual prices."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra, min_weight_full_bipartite_matching

from bot.domain.matching.model import FloatArray, IntArray


def cold_matching(
    r: IntArray, c: IntArray, w: FloatArray, m: int, n: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """The maximum-weight matching of a sparse graph, from scratch."""
    # Costs must be non-zero: cost = top - score, plus a private "unmatched" column per row at
    # cost top (score 0), so a full matching of the rows always exists.
    top = float(w.max()) + 1.0
    graph = coo_matrix(
        (
            np.concatenate([top - w, np.full(m, top)]),
            (np.concatenate([r, np.arange(m)]), np.concatenate([c, n + np.arange(m)])),
        ),
        shape=(m, n + m),
    ).tocsr()
    ri, ci = min_weight_full_bipartite_matching(graph)
    real = ci < n
    ri, ci = ri[real], ci[real]
    values = top - np.asarray(graph[ri, ci]).ravel()
    return ri, ci, values


def warm_matching(
    r: IntArray, c: IntArray, w: FloatArray, u: FloatArray, v: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """The maximum-weight matching of a sparse graph, started from prices u and v.

    scipy's solver wants a full matching of rows, and takes no starting prices. Both are
    arranged by a square problem: one dummy column per row ("stays unmatched", cost 0), one
    dummy row per column ("left free", cost 0), and a dummy edge (column's dummy, row's dummy)
    for each real edge, so that every matching of the real graph is a full matching of the
    square one, and conversely. Every row and every column is then matched, so costs can be
    reduced by any prices without changing the answer: with good prices (those of the previous
    pricing round) almost every cost of the optimum is already zero and the solver is quick.
    """
    m, n = len(u), len(v)
    real = u[r] + v[c] - w
    rows = np.concatenate([r, np.arange(m), m + np.arange(n), m + c])
    cols = np.concatenate([c, n + np.arange(m), np.arange(n), n + r])
    cost = np.concatenate([real, u, v, np.zeros(len(r))])
    # A full matching has m + n edges whatever it picks, so a constant keeps every cost
    # positive (the solver reads a zero as "no edge") without changing the answer.
    cost += 1.0 - min(float(cost.min()), 0.0)
    graph = coo_matrix((cost, (rows, cols)), shape=(m + n, n + m)).tocsr()
    ri, ci = min_weight_full_bipartite_matching(graph)
    paired = (ri < m) & (ci < n)
    ri, ci = ri[paired], ci[paired]
    order = np.argsort(r * n + c)
    at = order[np.searchsorted(r[order] * n + c[order], ri * n + ci)]
    return ri, ci, w[at]


def duals(
    r: IntArray, c: IntArray, w: FloatArray, ri: IntArray, ci: IntArray, values: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Optimal dual prices of a maximum-weight matching, as shortest-path distances.

    Prices u (rows) and v (columns) prove a matching optimal when u, v >= 0, u + v >= w on every
    edge, u + v = w on matched edges, and u = 0 (v = 0) on unmatched rows (columns). With
    d(row) = u and d(column) = -v these are difference constraints d(y) <= d(x) + length(x, y),
    which the shortest distances from a source node satisfy; the optimal matching guarantees
    there is no negative cycle. scipy's Dijkstra re-scans a node whose distance drops, so it
    handles the negative lengths; a vectorised Bellman-Ford pass then confirms (or finishes)
    the distances, so the result does not depend on that detail.
    """
    m, n = int(r.max()) + 1, int(c.max()) + 1
    source = m + n
    free_rows = np.setdiff1d(np.arange(m), ri)
    free_cols = np.setdiff1d(np.arange(n), ci)
    src = np.concatenate(
        [
            r,
            m + ci,
            np.arange(m),
            np.full(n, source),
            np.full(len(free_rows), source),
            m + free_cols,
        ]
    )
    dst = np.concatenate(
        [
            m + c,
            ri,
            np.full(m, source),
            m + np.arange(n),
            free_rows,
            np.full(len(free_cols), source),
        ]
    )
    length = np.concatenate([-w, values, np.zeros(m + n + len(free_rows) + len(free_cols))])
    # Explicit zeros are edges of length 0 in a scipy sparse graph.
    graph = csr_matrix((length, (src, dst)), shape=(source + 1, source + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "negative weights": handled, see above
        d = dijkstra(graph, indices=source)
    for _ in range(source + 1):
        reach = d[src] + length
        shorter = reach < d[dst] - 1e-9
        if not shorter.any():
            break
        np.minimum.at(d, dst[shorter], reach[shorter])
    u: FloatArray = d[:m] - d[source]
    v: FloatArray = d[source] - d[m:source]
    return np.maximum(u, 0.0), np.maximum(v, 0.0)


@dataclass(frozen=True)
class Slots:
    """Capacity as an assignment problem: a column that may take k partners is k slot columns
    with the same edges.

    Only columns (learners) have capacity; every row still takes one partner, so no pair can be
    chosen twice and any matching of the slots is a valid choice of pairs, and conversely. The
    slots' prices prove optimality in the same way: a cell left out is no better than its row's
    price plus its column's *lowest* slot price (``column_prices``).
    """

    capacity: IntArray  # per column, at least 1

    @property
    def first(self) -> IntArray:
        """The first slot of each column."""
        first: IntArray = np.cumsum(self.capacity) - self.capacity
        return first

    @property
    def count(self) -> int:
        """How many slot columns there are."""
        return int(self.capacity.sum())

    def edges(
        self, r: IntArray, c: IntArray, w: FloatArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Every edge once per slot of its column."""
        copies = self.capacity[c]
        starts = np.cumsum(copies) - copies
        within = np.arange(int(copies.sum())) - np.repeat(starts, copies)
        slot_c: IntArray = np.repeat(self.first[c], copies) + within
        return np.repeat(r, copies), slot_c, np.repeat(w, copies)

    def owner(self, slots: IntArray) -> IntArray:
        """The column of each slot."""
        owners: IntArray = np.repeat(np.arange(len(self.capacity)), self.capacity)[slots]
        return owners

    def slot_prices(self, v: FloatArray) -> FloatArray:
        """Column prices as slot prices (a warm start: any start is correct)."""
        prices: FloatArray = np.repeat(v, self.capacity)
        return prices

    def column_prices(self, v: FloatArray) -> FloatArray:
        """Each column's lowest slot price: the price a cell left out must not beat."""
        prices: FloatArray = np.minimum.reduceat(v, self.first)
        return prices
