"""Scoring every allowed pair at once, and scanning the scores for what a solve missed.

Rows are the people who may mentor, columns the people who may be mentored, both sorted by
career stage, so the stages a mentor may pair with (the programme kind's direction) are one
contiguous range of columns: each stage's rows form a *group* scored only against that range.
Every soft preference is a sum of products of a row feature and a column feature, so a block of
scores is one float32 matrix product (``factors``): no Python loop over pairs, no lookup table.

The matrix is kept (float32: ~0.4 GiB for 105 M cells at 20,000 people) so that the solver can
take a few candidates per person and then ask, as often as it needs, for the cells it left out
that would raise the total (``PriceScan``). Columns come in chunks of ``CHUNK``; each row
remembers the best score of every chunk, so a scan only opens the chunks that could hold such a
cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from bot.domain.matching.features import Features
from bot.domain.matching.model import (
    DAY_MINUTES,
    WORKDAY_MINUTES,
    F32Array,
    FloatArray,
    IntArray,
    Weights,
)
from bot.domain.states import Kind

CHUNK = 128  # columns per chunk: each row's best cell of every chunk is a candidate
ROW_CHUNK = 32  # rows per chunk when looking for each column's best rows
# Rows scored at a time: smaller blocks cost BLAS more in per-call overhead than they save.
ROW_BLOCK = 512
SCAN_BATCH = 8192  # (row, chunk) pairs opened at a time by a scan, to bound memory
SCORING_THREADS = 2  # numpy releases the GIL: blocks are scored on two cores
# A same-department pair when different departments are required: far below any real score.
EXCLUDED = 1.0e4


@dataclass(frozen=True)
class Problem:
    """One bipartite problem: mentor candidates (rows) x mentee candidates (cols)."""

    f: Features
    rows: IntArray  # person index of each row, sorted by stage
    cols: IntArray  # person index of each column, sorted by stage
    kind: Kind
    cross_required: bool
    weights: Weights

    def groups(self) -> Iterator[tuple[int, int, int, int]]:
        """(first row, row end, first column, column end) of each stage's rows."""
        stages_r, stages_c = self.f.stage[self.rows], self.f.stage[self.cols]
        for stage in np.unique(stages_r):
            lo, hi = np.searchsorted(stages_r, [stage, stage + 1])
            low, high = {
                "reverse": (stage + 1, stages_c[-1] + 1),
                "traditional": (stages_c[0], stage),
                "peer": (stage - 1, stage + 2),
            }[self.kind]
            c_lo, c_hi = np.searchsorted(stages_c, [low, high])
            if c_lo < c_hi:
                yield int(lo), int(hi), int(c_lo), int(c_hi)


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

    def dense(self) -> F32Array:
        """The whole matrix at once (the benchmark's reference)."""
        matrix = np.zeros(self.shape, dtype=np.float32)
        for g in self.groups:
            rows = slice(g.row, g.row + len(g.scores))
            matrix[rows, g.col : g.col + g.width] = g.scores[:, : g.width]
        np.maximum(matrix, 0, out=matrix)
        return matrix


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


# ---------------------------------------------------------------------------------------------
# Building the matrix


def score_matrix(problem: Problem) -> ScoreMatrix:
    """Score every allowed pair, group by group, a block of rows at a time on two threads."""
    row_factors, col_factors = factors(problem)
    forbidden_r, forbidden_c = _forbidden_cells(problem)
    groups: list[Group] = []
    jobs: list[tuple[Group, int, int, F32Array]] = []
    for lo, hi, c_lo, c_hi in problem.groups():
        width = c_hi - c_lo
        chunks = -(-width // CHUNK)
        scores = np.zeros((hi - lo, chunks * CHUNK), dtype=np.float32)
        chunk_best = np.empty((hi - lo, chunks), dtype=np.float32)
        row_chunk_best = np.empty((-(-(hi - lo) // ROW_CHUNK), chunks * CHUNK), np.float32)
        group = Group(lo, c_lo, width, scores, chunk_best, row_chunk_best)
        right = np.ascontiguousarray(col_factors[:, c_lo:c_hi])
        groups.append(group)
        jobs += [
            (group, start, min(start + ROW_BLOCK, hi), right) for start in range(lo, hi, ROW_BLOCK)
        ]

    def work(job: tuple[Group, int, int, F32Array]) -> None:
        group, start, end, right = job
        block = group.scores[start - group.row : end - group.row]
        np.matmul(row_factors[start:end], right, out=block[:, : group.width])
        first, last = np.searchsorted(forbidden_r, [start, end])
        r, c = forbidden_r[first:last] - group.row, forbidden_c[first:last] - group.col
        inside = (c >= 0) & (c < group.width)
        group.scores[r[inside], c[inside]] = 0.0
        top = start - group.row
        best = block.reshape(end - start, group.chunks, CHUNK).max(axis=2)
        group.chunk_best[top : top + len(block)] = best
        # ROW_BLOCK is a multiple of ROW_CHUNK, so a block holds whole row chunks but its last.
        whole = len(block) // ROW_CHUNK * ROW_CHUNK
        first = top // ROW_CHUNK
        by_rows = group.row_chunk_best
        by_rows[first : first + whole // ROW_CHUNK] = (
            block[:whole].reshape(-1, ROW_CHUNK, block.shape[1]).max(axis=1)
        )
        if whole < len(block):
            by_rows[first + whole // ROW_CHUNK] = block[whole:].max(axis=0)

    with ThreadPoolExecutor(max_workers=SCORING_THREADS) as pool:
        list(pool.map(work, jobs))
    return ScoreMatrix(tuple(groups), (len(problem.rows), len(problem.cols)))


def factors(problem: Problem) -> tuple[F32Array, F32Array]:
    """Row and column features whose product is the score of every pair (float32).

    Each soft preference is a product of something about the mentor and something about the
    mentee: shared topics both ways; the same department (subtracted); opposite styles;
    specialist with generalist; compatible meeting modes; the hours overlap of two time
    zones (one column per time zone); and a constant plus who waited.
    """
    f, w, rows, cols = problem.f, problem.weights, problem.rows, problem.cols
    departments = int(f.department.max(initial=0)) + 1
    same_department = np.eye(departments, dtype=np.float32)
    cross = w.cross_department if not problem.cross_required else 0.0
    department_weight = EXCLUDED if problem.cross_required else w.cross_department
    zones, zone = np.unique(f.offset, return_inverse=True)
    gap = np.abs(zones[:, None] - zones[None, :]) % DAY_MINUTES
    overlap = np.maximum(WORKDAY_MINUTES - np.minimum(gap, DAY_MINUTES - gap), 0)
    hours = w.hours * overlap / WORKDAY_MINUTES
    # Meeting modes: 0 video, 1 in person, 2 either; "either" fits anything.
    fits = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 1]], dtype=np.float64)
    meeting = np.eye(3)[f.meeting]
    style = np.stack([f.introvert, f.extrovert], axis=1).astype(np.float64)
    breadth = np.stack([f.specialist, f.generalist], axis=1).astype(np.float64)
    one = np.ones(len(f.people))
    mentor_side = np.hstack(
        [
            w.teaches * f.shares,
            w.learns_back * f.learns,
            -department_weight * same_department[f.department],
            w.style * style,
            w.breadth * breadth,
            w.meeting * meeting @ fits,
            hours[zone],
            np.stack([w.base + cross + w.waited * f.waited, one], axis=1),
        ]
    )
    mentee_side = np.hstack(
        [
            f.learns,
            f.shares,
            same_department[f.department],
            style[:, ::-1],
            breadth[:, ::-1],
            meeting,
            np.eye(len(zones))[zone],
            np.stack([one, w.waited * f.waited], axis=1),
        ]
    )
    row_factors = np.ascontiguousarray(mentor_side[rows], dtype=np.float32)
    col_factors = np.ascontiguousarray(mentee_side[cols].T, dtype=np.float32)
    return row_factors, col_factors


def _forbidden_cells(problem: Problem) -> tuple[IntArray, IntArray]:
    """Forbidden (person, person) pairs as (row, column) cells, sorted by row."""
    n = len(problem.f.people)
    row_of = np.full(n, -1, dtype=np.int64)
    col_of = np.full(n, -1, dtype=np.int64)
    row_of[problem.rows] = np.arange(len(problem.rows))
    col_of[problem.cols] = np.arange(len(problem.cols))
    r, c = row_of[problem.f.forbidden_a], col_of[problem.f.forbidden_b]
    keep = (r >= 0) & (c >= 0)
    order = np.argsort(r[keep], kind="stable")
    return r[keep][order], c[keep][order]


# ---------------------------------------------------------------------------------------------
# The exact score of chosen pairs (float64, the same terms one pair at a time)


def _overlap_minutes(f: Features, a: IntArray, b: IntArray) -> IntArray:
    gap = np.abs(f.offset[a] - f.offset[b]) % DAY_MINUTES
    gap = np.minimum(gap, DAY_MINUTES - gap)
    overlap: IntArray = np.maximum(WORKDAY_MINUTES - gap, 0)
    return overlap


def pair_scores(problem: Problem, a: IntArray, b: IntArray) -> FloatArray:
    """Scores of aligned, allowed pairs (mentor a[i], mentee b[i]) in float64."""
    f, w = problem.f, problem.weights
    teach = (f.shares[a] * f.learns[b]).sum(axis=1).astype(np.float64)
    back = (f.learns[a] * f.shares[b]).sum(axis=1).astype(np.float64)
    score = w.base + w.teaches * teach + w.learns_back * back
    if not problem.cross_required:
        score = score + w.cross_department * (f.department[a] != f.department[b])
    opposite = (f.introvert[a] & f.extrovert[b]) | (f.extrovert[a] & f.introvert[b])
    deep_wide = (f.specialist[a] & f.generalist[b]) | (f.generalist[a] & f.specialist[b])
    ma, mb = f.meeting[a], f.meeting[b]
    meets = (ma == mb) | (ma == 2) | (mb == 2)
    hours = _overlap_minutes(f, a, b) / WORKDAY_MINUTES
    result: FloatArray = (
        score
        + w.style * opposite
        + w.breadth * deep_wide
        + w.meeting * meets
        + w.hours * hours
        + w.waited * (f.waited[a] + f.waited[b])
    )
    return result
