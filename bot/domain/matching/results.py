"""From chosen indices to a MatchResult: exact scores, fit labels, reasons, who is left and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.domain.matching.controls import Pins
from bot.domain.matching.graph import Graph, Solution
from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import (
    BoolArray,
    Fit,
    FitScale,
    Match,
    MatchResult,
    Person,
    Unmatched,
    UnmatchedReason,
)
from bot.domain.matching.scoring import Problem, pair_scores
from bot.domain.matching.words import reasons_for


@dataclass(frozen=True)
class Reach:
    """Who has a partner the hard rules allow, and who has one at or above the quality floor."""

    allowed: BoolArray  # per active person
    good: BoolArray
    # Who would have an allowed partner without the minimum shared working time.
    any_hours: BoolArray | None = None


def reach_of(problem: Problem, matrix: ScoreMatrix) -> BoolArray:
    """The active people with at least one allowed cell in the matrix, in either role."""
    rows, cols = matrix.lines_with_cells()
    found = np.zeros(len(problem.f.people), dtype=bool)
    found[problem.rows[rows]] = True
    found[problem.cols[cols]] = True
    return found


def result(
    people: Sequence[Person],
    problem: Problem,
    graph: Graph,
    solution: Solution,
    *,
    pins: Pins | None = None,
    scale: FitScale | None = None,
    reach: Reach | None = None,
) -> MatchResult:
    """The chosen pairs (kept ones included) with exact scores, fit and reasons, best first,
    and everyone left unmatched."""
    active = problem.f.people
    if reach is None:
        eligible = np.zeros(len(active), dtype=bool)
        eligible[graph.mentor] = eligible[graph.mentee] = True
        reach = Reach(eligible, eligible)
    kept_m = pins.mentors if pins else np.zeros(0, dtype=np.int64)
    kept_e = pins.mentees if pins else np.zeros(0, dtype=np.int64)
    mentors = np.concatenate([kept_m, solution.mentors]).astype(np.int64)
    mentees = np.concatenate([kept_e, solution.mentees]).astype(np.int64)
    kept = np.arange(len(mentors)) < len(kept_m)
    scores = pair_scores(problem, mentors, mentees)
    order = np.argsort(-scores, kind="stable")
    fits = scale.ranks(scores) if scale else np.ones(len(scores), dtype=np.int64)
    pairs = tuple(
        _pair(active[mentors[i]], active[mentees[i]], float(scores[i]), int(fits[i]), kept[i])
        for i in order
    )
    paired = {active[i].user_id for i in (*mentors, *mentees)}
    return MatchResult(
        pairs=pairs,
        unmatched=_unmatched(people, active, paired, reach),
        refused=pins.refused if pins else (),
        scale=scale,
    )


def _unmatched(
    people: Sequence[Person], active: Sequence[Person], paired: set[str], reach: Reach
) -> tuple[Unmatched, ...]:
    could = {p.user_id for p, ok in zip(active, reach.allowed, strict=True) if ok}
    good = {p.user_id for p, ok in zip(active, reach.good, strict=True) if ok}
    hours = reach.allowed if reach.any_hours is None else reach.any_hours
    without_hours = {p.user_id for p, ok in zip(active, hours, strict=True) if ok}
    left: list[Unmatched] = []
    for person in people:
        if person.paused:
            left.append(Unmatched(person.user_id, "paused"))
        elif person.user_id not in paired:
            why: UnmatchedReason = "no_eligible_partner"
            if person.user_id in good:
                why = "odd_one_out"
            elif person.user_id in could:
                why = "no_good_match"
            elif person.user_id in without_hours:
                why = "no_shared_hours"
            left.append(Unmatched(person.user_id, why))
    return tuple(left)


def _pair(mentor: Person, mentee: Person, score: float, rank: int, kept: bool) -> Match:
    fit = (Fit.WEAK, Fit.GOOD, Fit.STRONG)[rank]
    reasons = reasons_for(mentor, mentee)
    return Match(mentor.user_id, mentee.user_id, score, reasons, fit=fit, kept=bool(kept))
