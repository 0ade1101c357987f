"""The owner's controls over a round: pairs to keep, a quality floor, the fit scale.

Exclusions (``never``) need nothing here: they join ``history`` as forbidden pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np

from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import (
    FIT_TIE,
    BoolArray,
    F32Array,
    Fit,
    FitScale,
    IntArray,
    PinRefusal,
    RefusedPin,
)
from bot.domain.matching.scoring import Problem

SPREAD_SAMPLE = 1_000_000  # allowed pairs sampled for the percentiles of large programmes
GOOD_PERCENTILE = 50
STRONG_PERCENTILE = 90


def scale_of(matrix: ScoreMatrix) -> FitScale:
    """The fit scale of a programme: percentiles of its allowed pairs' scores."""
    scores = matrix.sample(SPREAD_SAMPLE).astype(np.float64)
    if len(scores) == 0:
        return FitScale(0.0, 0.0)
    good, strong = np.percentile(scores, [GOOD_PERCENTILE, STRONG_PERCENTILE])
    return FitScale(float(good), float(strong))


def floor_test(
    scale: FitScale, floor: Fit | float | None
) -> Callable[[F32Array], BoolArray] | None:
    """Which scores reach the quality floor (a fit label, or a score); None: no floor."""
    if floor is None or floor == Fit.WEAK:
        return None
    if isinstance(floor, Fit):
        rank = floor.rank

        def reaches_fit(scores: F32Array) -> BoolArray:
            reached: BoolArray = scale.ranks(scores) >= rank
            return reached

        return reaches_fit
    threshold = float(floor)

    def reaches_score(scores: F32Array) -> BoolArray:
        reached: BoolArray = scores + FIT_TIE >= threshold
        return reached

    return reaches_score


@dataclass(frozen=True)
class Pins:
    """The kept pairs the hard rules allow, as person indices, and the ones refused."""

    mentors: IntArray
    mentees: IntArray
    refused: tuple[RefusedPin, ...]


def accept_pins(
    keep: Collection[tuple[str, str]],
    problem: Problem,
    matrix: ScoreMatrix,
    never: Collection[frozenset[str]],
    partners: int,
) -> Pins:
    """Each pair to keep, in a stable order, if the hard rules and the earlier pins allow it."""
    people = problem.f.people
    index = {p.user_id: i for i, p in enumerate(people)}
    row_of = np.full(len(people), -1, dtype=np.int64)
    col_of = np.full(len(people), -1, dtype=np.int64)
    row_of[problem.rows] = np.arange(len(problem.rows))
    col_of[problem.cols] = np.arange(len(problem.cols))
    excluded = {frozenset(pair) for pair in never}
    mentoring: set[int] = set()
    learning: Counter[int] = Counter()
    accepted: list[tuple[int, int]] = []
    refused: list[RefusedPin] = []

    def why_not(mentor: str, mentee: str) -> PinRefusal | None:
        a, b = index.get(mentor), index.get(mentee)
        if a is None or b is None or a == b:
            return "not_in_pool"
        if frozenset((mentor, mentee)) in excluded:
            return "excluded"
        r, c = row_of[a], col_of[b]
        if r < 0 or c < 0 or matrix.values(np.array([r]), np.array([c]))[0] <= 0:
            return "not_allowed"
        if a in mentoring or a in learning or b in mentoring or learning[b] >= partners:
            return "taken"
        return None

    for mentor, mentee in sorted(set(keep)):
        reason = why_not(mentor, mentee)
        if reason is not None:
            refused.append(RefusedPin(mentor, mentee, reason))
            continue
        a, b = index[mentor], index[mentee]
        mentoring.add(a)
        learning[b] += 1
        accepted.append((a, b))
    found = np.array(accepted, dtype=np.int64).reshape(-1, 2)
    return Pins(found[:, 0], found[:, 1], tuple(refused))
