"""The score matrix, kept by group of rows, and the few good candidates each person starts with.

Columns come in chunks of ``CHUNK``; each row remembers the best score of every chunk (and each
column the best of every chunk of ``ROW_CHUNK`` rows), so that candidates and pricing scans
(``pricing``) only open the chunks that could hold what they look for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.domain.matching.model import BoolArray, F32Array, IntArray

CHUNK = 128  # columns per chunk: each row's best cell of every chunk is a candidate
ROW_CHUNK = 32  # rows per chunk when looking for each column's best rows
FILTER_ROWS = 2048  # rows filtered at a time by ``keep_only``, to bound memory


@dataclass(frozen=True)
class Group:
    """The scores of one stage's rows against the columns they may pair with."""

    row: int  # first row and column in the problem
    col: int
    width: int  # columns; ``scores`` is padded with zeros to whole chunks
    scores: F32Array  # rows x chunks * CHUNK; <= 0 means not allowed
    chunk_best: F32Array  # rows x chunks: each row's best score in each chunk
    row_chunk_best: F32Array  # chunks of ROW_CHUNK rows x columns: each column's best there

    @property
    def chunks(self) -> int:
        """How many column chunks the group has."""
        return int(self.chunk_best.shape[1])


@dataclass(frozen=True)
class ScoreMatrix:
    """Every allowed pair's score, kept by group."""

    groups: tuple[Group, ...]
    shape: tuple[int, int]

    def allowed_cells(self) -> tuple[IntArray, IntArray, F32Array]:
        """Every allowed (row, column, score): for small pools, solved in full."""
        found = [_cells(g, *np.nonzero(g.scores[:, : g.width] > 0)) for g in self.groups]
        return _concat(found)

    def candidates(self, k: int) -> tuple[IntArray, IntArray, F32Array]:
        """A few good partners each: a row's best cell in each of its ``k`` best chunks, and a
        column's best row in each of its ``k`` best chunks of rows (per group)."""
        found = [part for g in self.groups for part in (_row_best(g, k), _col_best(g, k))]
        return _concat(found)

    def values(self, rows: IntArray, cols: IntArray) -> F32Array:
        """The scores of these cells (0 where a row's group does not reach the column)."""
        out = np.zeros(len(rows), dtype=np.float32)
        for g in self.groups:
            local_r, local_c = rows - g.row, cols - g.col
            inside = (local_r >= 0) & (local_r < len(g.scores)) & (local_c >= 0)
            inside &= local_c < g.width
            out[inside] = g.scores[local_r[inside], local_c[inside]]
        return out

    def sample(self, limit: int) -> F32Array:
        """Allowed scores of evenly spaced rows: all of them up to ``limit`` cells, else about
        ``limit`` (the spread of a large programme, without copying its whole matrix)."""
        cells = sum(len(g.scores) * g.width for g in self.groups)
        step = max(1, -(-cells // max(limit, 1)))
        parts = [g.scores[::step, : g.width] for g in self.groups]
        return np.concatenate([np.zeros(0, np.float32), *(p[p > 0] for p in parts)])

    def lines_with_cells(self) -> tuple[BoolArray, BoolArray]:
        """The rows, and the columns, that have at least one allowed cell."""
        rows, cols = np.zeros(self.shape[0], bool), np.zeros(self.shape[1], bool)
        for g in self.groups:
            rows[g.row : g.row + len(g.scores)] |= g.chunk_best.max(axis=1, initial=0) > 0
            cols[g.col : g.col + g.width] |= g.row_chunk_best[:, : g.width].max(axis=0) > 0
        return rows, cols

    def keep_only(self, allowed: Callable[[F32Array], BoolArray]) -> None:
        """Refuse (set to 0), in place, every allowed cell that ``allowed`` says no to, and
        renew the chunk bests so that candidates and pricing never see them."""
        for g in self.groups:
            for start in range(0, len(g.scores), FILTER_ROWS):
                block = g.scores[start : start + FILTER_ROWS]
                block[(block > 0) & ~allowed(block)] = 0.0
            _renew(g)

    def refuse(self, refused: Callable[[int, int, int, int], BoolArray]) -> None:
        """Refuse (set to 0), in place, every cell ``refused(first_row, row_end, first_col,
        col_end)`` marks in its (rows x columns) block, and renew the chunk bests."""
        for g in self.groups:
            for start in range(0, len(g.scores), FILTER_ROWS):
                block = g.scores[start : start + FILTER_ROWS, : g.width]
                first = g.row + start
                block[refused(first, first + len(block), g.col, g.col + g.width)] = 0.0
            _renew(g)

    def dense(self) -> F32Array:
        """The whole matrix at once (the benchmark's reference)."""
        matrix = np.zeros(self.shape, dtype=np.float32)
        for g in self.groups:
            rows = slice(g.row, g.row + len(g.scores))
            matrix[rows, g.col : g.col + g.width] = g.scores[:, : g.width]
        np.maximum(matrix, 0, out=matrix)
        return matrix


def _renew(g: Group) -> None:
    """Each chunk's best score again, after cells were refused."""
    height = len(g.scores)
    g.chunk_best[:] = g.scores.reshape(height, g.chunks, CHUNK).max(axis=2)
    whole = height // ROW_CHUNK * ROW_CHUNK
    g.row_chunk_best[: whole // ROW_CHUNK] = (
        g.scores[:whole].reshape(-1, ROW_CHUNK, g.scores.shape[1]).max(axis=1)
    )
    if whole < height:
        g.row_chunk_best[-1] = g.scores[whole:].max(axis=0)


def _cells(g: Group, r: IntArray, c: IntArray) -> tuple[IntArray, IntArray, F32Array]:
    return r + g.row, c + g.col, g.scores[r, c]


def _concat(
    parts: list[tuple[IntArray, IntArray, F32Array]],
) -> tuple[IntArray, IntArray, F32Array]:
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    r, c, v = (np.concatenate(x) for x in zip(empty, *parts, strict=False))
    return r.astype(np.int64), c.astype(np.int64), v.astype(np.float32)


def _row_best(g: Group, k: int) -> tuple[IntArray, IntArray, F32Array]:
    """Each row's best cell in each of its k best chunks (one per chunk spreads the choice)."""
    height = len(g.scores)
    chunk = np.broadcast_to(np.arange(g.chunks)[None, :], (height, g.chunks))
    if g.chunks > k:
        chunk = np.argpartition(-g.chunk_best, k - 1, axis=1)[:, :k]
    rows = np.broadcast_to(np.arange(height)[:, None], chunk.shape)
    ok = np.take_along_axis(g.chunk_best, chunk, axis=1) > 0
    r, ch = rows[ok], chunk[ok]
    blocks = g.scores.reshape(height, g.chunks, CHUNK)[r, ch]
    return _cells(g, r, ch * CHUNK + blocks.argmax(axis=1))


def _col_best(g: Group, k: int) -> tuple[IntArray, IntArray, F32Array]:
    """Each column's best row in each of its k best chunks of rows."""
    height = len(g.scores)
    best = g.row_chunk_best[:, : g.width]
    chunk = np.arange(len(best))[:, None]
    if len(best) > k:
        chunk = np.argpartition(-best, k - 1, axis=0)[:k]
    cols = np.broadcast_to(np.arange(g.width)[None, :], (chunk.shape[0], g.width))
    ok = np.take_along_axis(best, np.broadcast_to(chunk, cols.shape), axis=0) > 0
    c, ch = cols[ok], np.broadcast_to(chunk, ok.shape)[ok]
    rows = np.minimum(ch[:, None] * ROW_CHUNK + np.arange(ROW_CHUNK)[None, :], height - 1)
    r = rows[np.arange(len(c)), g.scores[rows, c[:, None]].argmax(axis=1)]
    return _cells(g, r, c)
