"""What a solve works on and gives: the scored pairs it may use, and the pairs it chose."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import BoolArray, F32Array, FloatArray, IntArray

# Edges this far below their prices are dropped between rounds: the solver slows down with
# every edge, and pricing brings an edge back if prices ever fall that far.
PRUNE = 0.5


@dataclass(frozen=True)
class Graph:
    """The scored pairs a solve may use, as (row, column) cells of the score matrix."""

    size: int  # number of active people
    rows: IntArray  # person index of each row (possible mentor) and column (possible mentee)
    cols: IntArray
    r: IntArray
    c: IntArray
    score: FloatArray
    matrix: ScoreMatrix
    complete: bool  # every allowed pair (small pools), or candidates grown by pricing
    prices: tuple[FloatArray, FloatArray] | None = None  # of the last solve, to start the next
    # Partners each person may still take as a mentee (None: one each); mentors take one.
    capacity: IntArray | None = None

    @property
    def mentor(self) -> IntArray:
        """The mentor (person index) of each edge."""
        return self.rows[self.r]

    @property
    def mentee(self) -> IntArray:
        """The mentee (person index) of each edge."""
        return self.cols[self.c]

    def pruned(self, u: FloatArray, v: FloatArray, row_ok: BoolArray, col_ok: BoolArray) -> Graph:
        """Without the edges more than PRUNE below their prices (of rows and columns in play)."""
        inside = row_ok[self.r] & col_ok[self.c]
        with np.errstate(invalid="ignore"):
            near = self.score - u[self.r] - v[self.c] >= -PRUNE
        keep = near | ~inside
        return replace(self, r=self.r[keep], c=self.c[keep], score=self.score[keep])

    def with_cells(self, r: IntArray, c: IntArray, values: F32Array) -> Graph:
        """The graph with these cells added (cells already in it are kept once)."""
        r, c = np.concatenate([self.r, r]), np.concatenate([self.c, c])
        score = np.concatenate([self.score, values.astype(np.float64)])
        _, first = np.unique(r * len(self.cols) + c, return_index=True)
        return replace(self, r=r[first], c=c[first], score=score[first])


@dataclass(frozen=True)
class Solution:
    """Chosen pairs as person indices, with each pair's score."""

    mentors: IntArray
    mentees: IntArray
    values: FloatArray

    @property
    def total(self) -> float:
        """The total score of the pairs."""
        return float(self.values.sum())
