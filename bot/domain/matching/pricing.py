"""Pricing: the cells of the score matrix whose score beats their row's and column's prices."""

from __future__ import annotations

import numpy as np

from bot.domain.matching.matrix import CHUNK, Group, ScoreMatrix
from bot.domain.matching.model import F32Array, FloatArray, IntArray

SCAN_BATCH = 8192  # (row, chunk) pairs opened at a time by a scan, to bound memory


class PriceScan:
    """Finds the cells whose score exceeds their row's plus their column's price, round after
    round, opening only the chunks that could hold one.

    For every (row, chunk) it keeps an upper bound on max(score - u[row] - v[col]) over the
    chunk: at first the chunk's best score less the prices, exact once the chunk is opened.
    When prices change the bound grows by the row price's fall plus the chunk's largest column
    price fall, so it stays a bound; pricing rounds near the end open very few chunks.
    """

    def __init__(self, matrix: ScoreMatrix) -> None:
        self.matrix = matrix
        self.bounds: list[FloatArray] = []
        self.u = np.zeros(0)
        self.v = np.zeros(0)

    def violations(
        self, u: FloatArray, v: FloatArray, per_row: int, tolerance: float
    ) -> tuple[IntArray, IntArray, F32Array]:
        """Cells with score > u[row] + v[col] + tolerance, each row's ``per_row`` largest.

        Prices are never negative; ``inf`` marks people who may not take that side now.
        """
        first = not self.bounds
        empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        found = [empty]
        for i, g in enumerate(self.matrix.groups):
            if first:
                self.bounds.append(_first_bound(g, u, v))
            else:
                self.bounds[i] += _price_falls(g, self.u, u, self.v, v)
            found.append(_open_chunks(g, self.bounds[i], u, v, tolerance))
        self.u, self.v = u, v
        r, c, excess = (np.concatenate(x) for x in zip(*found, strict=True))
        # Each row's largest excesses first, then at most per_row of them.
        order = np.lexsort((-excess, r))
        r, c = r[order], c[order]
        rank = np.arange(len(r)) - np.searchsorted(r, r)
        keep = rank < per_row
        r, c = r[keep], c[keep]
        return r, c, self.matrix.values(r, c)


def _group_prices(g: Group, u: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The group's row prices, and its column prices as chunks (padding never violates)."""
    v_g = np.full(g.chunks * CHUNK, np.inf)
    v_g[: g.width] = v[g.col : g.col + g.width]
    return u[g.row : g.row + len(g.scores)], v_g.reshape(g.chunks, CHUNK)


def _first_bound(g: Group, u: FloatArray, v: FloatArray) -> FloatArray:
    u_g, v_chunks = _group_prices(g, u, v)
    bound: FloatArray = g.chunk_best - u_g[:, None] - v_chunks.min(axis=1)[None, :]
    return bound


def _price_falls(
    g: Group, u_old: FloatArray, u: FloatArray, v_old: FloatArray, v: FloatArray
) -> FloatArray:
    """How much the bound of each (row, chunk) may have grown since the last prices."""
    old_u, old_v = _group_prices(g, u_old, v_old)
    new_u, new_v = _group_prices(g, u, v)
    # Unchanged prices (inf included: inf - inf is nan) move nothing.
    with np.errstate(invalid="ignore"):
        row_fall = np.where(old_u == new_u, 0.0, old_u - new_u)
        col_fall = np.where(old_v == new_v, 0.0, old_v - new_v).max(axis=1)
    falls: FloatArray = row_fall[:, None] + col_fall[None, :]
    return falls


def _open_chunks(
    g: Group, bound: FloatArray, u: FloatArray, v: FloatArray, tolerance: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """Open every chunk whose bound is above the tolerance: its exact best excess becomes the
    bound, and that cell is a violation if it is above the tolerance."""
    u_g, v_chunks = _group_prices(g, u, v)
    fr, fch = np.nonzero(bound > tolerance)
    blocks = g.scores.reshape(len(g.scores), g.chunks, CHUNK)
    rows, cols, excess = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for start in range(0, len(fr), SCAN_BATCH):
        r, ch = fr[start : start + SCAN_BATCH], fch[start : start + SCAN_BATCH]
        # float32 like the scores (the tolerance is far above its rounding): half the memory.
        gain = blocks[r, ch]
        gain -= u_g[r, None].astype(np.float32)
        gain -= v_chunks[ch].astype(np.float32)
        best = gain.argmax(axis=1)
        top = gain[np.arange(len(r)), best]
        bound[r, ch] = top
        ok = top > tolerance
        rows.append(r[ok] + g.row)
        cols.append(ch[ok] * CHUNK + best[ok] + g.col)
        excess.append(top[ok].astype(np.float64))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(excess)
