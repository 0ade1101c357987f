"""The minimum shared working time, a hard rule: pairs below it are refused in the matrix.

People are grouped by their working-hours pattern, so the rule costs one overlap check per pair
of distinct patterns (a few hundred in a large programme), then one boolean look-up per cell.
"""

from __future__ import annotations

import numpy as np

from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import BoolArray, IntArray
from bot.domain.matching.scoring import Problem
from bot.domain.working_hours import WorkingHours, enough_overlap


def clashes(problem: Problem, minimum_minutes: int) -> tuple[IntArray, BoolArray]:
    """Each active person's hours pattern, and which pairs of patterns share too little time
    (a person without hours clashes with nobody)."""
    patterns: dict[WorkingHours | None, int] = {}
    codes = np.array(
        [patterns.setdefault(p.hours, len(patterns)) for p in problem.f.people], dtype=np.int64
    )
    keys = list(patterns)
    clash = np.zeros((len(keys), len(keys)), dtype=bool)
    for i, a in enumerate(keys):
        for j in range(i, len(keys)):
            b = keys[j]
            if a is not None and b is not None and not enough_overlap(a, b, minimum_minutes):
                clash[i, j] = clash[j, i] = True
    return codes, clash


def refuse_short_overlaps(problem: Problem, matrix: ScoreMatrix, minimum_minutes: int) -> bool:
    """Refuse every pair sharing less than `minimum_minutes` of working time a week; False
    when no pair is short (nothing changed)."""
    codes, clash = clashes(problem, minimum_minutes)
    if not clash.any():
        return False
    row_code, col_code = codes[problem.rows], codes[problem.cols]

    def refused(first_row: int, row_end: int, first_col: int, col_end: int) -> BoolArray:
        found: BoolArray = clash[row_code[first_row:row_end]][:, col_code[first_col:col_end]]
        return found

    matrix.refuse(refused)
    return True
