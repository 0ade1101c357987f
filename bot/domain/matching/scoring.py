"""Scoring every allowed pair at once, and scanning the scores for what a solve missed.

Rows are the people who may mentor, columns the people who may be mentored, both sorted by
career stage, so the stages a mentor may pair with (the programme kind's direction) are one
contiguous range of columns: each stage's rows form a *group* scored only against that range.
Every soft preference is a sum of products of a row feature and a column feature, so a block of
scores is one float32 matrix product (``factors``): no Python loop over pairs, no lookup table.

The matrix is kept (float32: ~0.4 GiB for 105 M cells at 20,000 people) so that the solver can
take a few candidates per person and then ask, as often as it needs, for the cells it left out
that would raise the total (``pricing.PriceScan``). The matrix itself, its chunks and the
candidates live in ``matrix``.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from bot.domain.matching.features import Features
from bot.domain.matching.matrix import CHUNK, ROW_CHUNK, Group, ScoreMatrix
from bot.domain.matching.model import (
    DAY_MINUTES,
    FREQUENCY_FIT,
    WORKDAY_MINUTES,
    F32Array,
    FloatArray,
    IntArray,
    Weights,
)
from bot.domain.states import Kind

# Rows scored at a time: smaller blocks cost BLAS more in per-call overhead than they save.
ROW_BLOCK = 512
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
    specialist with generalist; compatible meeting modes; how often each can meet; the hours
    overlap of two time zones (one column per time zone); and a constant plus who waited.
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
    frequency = np.eye(3)[f.frequency]
    frequency_fit = np.array(FREQUENCY_FIT, dtype=np.float64)
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
            w.frequency * frequency @ frequency_fit,
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
            frequency,
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
    often = np.array(FREQUENCY_FIT, dtype=np.float64)[f.frequency[a], f.frequency[b]]
    result: FloatArray = (
        score
        + w.style * opposite
        + w.breadth * deep_wide
        + w.meeting * meets
        + w.frequency * often
        + w.hours * hours
        + w.waited * (f.waited[a] + f.waited[b])
    )
    return result
