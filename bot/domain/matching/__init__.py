"""The matching engine: the best set of mentoring pairs for one programme round (pure).

Every allowed pair (hard constraints below) gets a positive score from the soft preferences in
``Weights``; ``match`` then maximises the total score of all pairs at once.

How the optimum is found, and what is exact:

* People are split into the mentor side (``share`` and ``either``) and the mentee side (``learn``
  and ``either``), both sorted by career stage. ``scoring`` computes every allowed pair's score
  with numpy: one float32 matrix product per block of rows, skipping the stages the programme
  kind rules out; no Python loop runs over pairs. The matrix is kept for the solver.
* Bipartite problems (nobody left who could take both roles) are solved **exactly**: on pools
  up to ``DENSE_LIMIT`` cells by a dense assignment (``scipy.optimize.linear_sum_assignment``);
  beyond, ``solving`` solves a sparse problem on each person's few best candidates
  (``scipy.sparse.csgraph.min_weight_full_bipartite_matching``, with a private "stay unmatched"
  edge for each mentor), takes its dual prices, adds every cell of the full matrix that beats
  its prices and solves again until none does (*pricing*), which proves the optimum.
* An "either" person who has allowed partners in only one role takes that role. When a few
  could take both (at most ``EXACT_EITHER``, on small pools), every choice of role is tried,
  each solved exactly: **exact**. Together with the previous case this covers every pool of up
  to 10 people.
* Otherwise (many ambiguous "either" people: a general, not bipartite, matching) the engine
  solves the relaxation in which each of them may take both roles at once (a few pricing
  rounds: it only suggests roles); gives each the role the relaxation used (the better-scoring
  one if it used both; the scarcer side if neither); solves again, exactly, with those roles
  fixed; then lets everyone ambiguous who was left unmatched switch role, all at once, and
  solves again while that raises the total (it never lowers it), followed on small pools by
  single role flips. This is a **heuristic**: always valid, never above the relaxation's
  bound; ``benchmarks/RESULTS.md`` measures how close it comes.

Hard constraints, never violated: no manager with anyone below them in the reporting chain
(direct or indirect, chains followed through non-participants, cycles tolerated); no pair from
``history``; nobody paused; sides and the programme kind's seniority direction; different
departments when required; nobody in two pairs or paired with themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from bot.domain.matching.features import features, forbidden_pairs
from bot.domain.matching.graph import Graph, Solution
from bot.domain.matching.model import (
    DEFAULT_WEIGHTS,
    BoolArray,
    Match,
    MatchResult,
    Person,
    Reason,
    ReasonCode,
    Role,
    Unmatched,
    UnmatchedReason,
    Weights,
)
from bot.domain.matching.scoring import Problem, pair_scores, score_matrix
from bot.domain.matching.solving import graph_of, optimise
from bot.domain.matching.words import (
    describe,
    describe_unmatched,
    reason_from_dict,
    reason_to_dict,
    reasons_for,
)
from bot.domain.states import CrossDepartment, Kind, Meeting, Side, Style

__all__ = [
    "DEFAULT_WEIGHTS",
    "CrossDepartment",
    "Kind",
    "MatchResult",
    "Meeting",
    "Match",
    "Person",
    "Reason",
    "ReasonCode",
    "Role",
    "Side",
    "Style",
    "Unmatched",
    "UnmatchedReason",
    "Weights",
    "describe",
    "describe_unmatched",
    "match",
    "reason_from_dict",
    "reason_to_dict",
    "reasons_for",
]

_NO_MANAGERS: Mapping[str, str | None] = MappingProxyType({})


def match(
    people: Sequence[Person],
    *,
    kind: Kind,
    history: Collection[frozenset[str]],
    managers: Mapping[str, str | None] = _NO_MANAGERS,
    cross_department: CrossDepartment,
    weights: Weights = DEFAULT_WEIGHTS,
) -> MatchResult:
    """The pairs with the highest total score under the hard constraints, and who is left."""
    problem = prepare(people, kind, history, managers, cross_department, weights)
    graph = scored_graph(problem)
    solution, _ = optimise(graph)
    return result(people, problem, graph, solution)


def prepare(
    people: Sequence[Person],
    kind: Kind,
    history: Collection[frozenset[str]],
    managers: Mapping[str, str | None],
    cross_department: CrossDepartment,
    weights: Weights,
) -> Problem:
    """The active people as arrays, with everything they may never be paired with."""
    ids = [p.user_id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("every person must appear once")
    active = [p for p in people if not p.paused]
    f = features(active, forbidden_pairs(people, active, history, managers))
    everyone = np.arange(len(active), dtype=np.int64)
    required = cross_department == CrossDepartment.REQUIRED
    # Sorted by stage, so that each stage's rows only meet the columns the kind allows.
    by_stage = everyone[np.argsort(f.stage, kind="stable")]
    rows, cols = by_stage[f.can_mentor[by_stage]], by_stage[f.can_mentee[by_stage]]
    return Problem(f, rows, cols, kind, required, weights)


def scored_graph(problem: Problem) -> Graph:
    """Score every allowed pair and take the solver's starting edges."""
    size = len(problem.f.people)
    rows, cols = problem.rows, problem.cols
    if len(rows) == 0 or len(cols) == 0:
        rows = cols = np.zeros(0, dtype=np.int64)
        problem = Problem(problem.f, rows, cols, problem.kind, False, problem.weights)
    return graph_of(size, rows, cols, score_matrix(problem))


def result(
    people: Sequence[Person], problem: Problem, graph: Graph, solution: Solution
) -> MatchResult:
    """The chosen pairs with exact scores and reasons, and everyone left unmatched."""
    active = problem.f.people
    eligible = np.zeros(len(active), dtype=bool)
    eligible[graph.mentor] = eligible[graph.mentee] = True
    scores = pair_scores(problem, solution.mentors, solution.mentees)
    order = np.argsort(-scores, kind="stable")
    pairs = tuple(
        _pair(active[solution.mentors[i]], active[solution.mentees[i]], float(scores[i]))
        for i in order
    )
    return MatchResult(pairs=pairs, unmatched=_unmatched(people, active, solution, eligible))


def _unmatched(
    people: Sequence[Person], active: Sequence[Person], solution: Solution, eligible: BoolArray
) -> tuple[Unmatched, ...]:
    paired = {active[i].user_id for i in (*solution.mentors, *solution.mentees)}
    could = {p.user_id for p, ok in zip(active, eligible, strict=True) if ok}
    left: list[Unmatched] = []
    for person in people:
        if person.paused:
            left.append(Unmatched(person.user_id, "paused"))
        elif person.user_id not in paired:
            why: UnmatchedReason = (
                "odd_one_out" if person.user_id in could else ("no_eligible_partner")
            )
            left.append(Unmatched(person.user_id, why))
    return tuple(left)


def _pair(mentor: Person, mentee: Person, score: float) -> Match:
    return Match(mentor.user_id, mentee.user_id, score, reasons_for(mentor, mentee))
