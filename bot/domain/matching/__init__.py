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
departments when required; nobody paired with themselves; nobody in two pairs, except a learner
with room for several partners (below); with ``min_overlap_minutes``, no pair whose working hours
(``Person.hours``) share less than that many minutes a week (``working_hours.enough_overlap``).
Those cells are refused in the score matrix (``hours``) before anything reads it, so every solve
above stays exact; whoever loses every partner to this rule alone is left over as
``no_shared_hours``.

The owner's controls (keyword arguments of ``match``, all optional; a re-run with them is a new
``match`` call, and ``compare`` says what it changed):

* ``partners_per_person`` (default 1): a learner (the mentee side) may have up to N partners;
  everyone on the sharing side still has one. The solver replicates each learner's column into
  N identical places, which keeps the problem an assignment problem: exact where it was exact
  (pricing uses a learner's lowest place price), the role heuristics unchanged.
* ``keep``: pairs ``(mentor, mentee)`` the owner keeps. Each is in the result (``Match.kept``)
  if the hard rules allow it and earlier pins leave room, else in ``MatchResult.refused`` with
  a ``RefusedPin`` reason (``describe_refused``); the rest is matched optimally around them
  (a kept mentor leaves the pool, a kept learner has one place fewer).
* ``never``: pairs ``frozenset({a, b})`` never proposed, exactly like ``history``.
* ``quality_floor``: a ``Fit`` label or a score. Every pair gets a ``Fit`` (strong / good /
  weak) from ``MatchResult.scale`` (``FitScale``: percentiles of the allowed pairs' scores);
  pairs below the floor are never proposed, and whoever has allowed partners but none at or
  above the floor is left over as ``no_good_match`` ("no good match this round"). Kept pairs
  are kept below the floor too.

Wiring a preview: ``before = match(...)``; the owner keeps or excludes pairs;
``after = match(..., keep=kept, never=excluded)`` with the same other arguments (pins are taken
in sorted order, so a re-run is deterministic); ``describe_changes(compare(before, after),
names=...)`` gives the line "keeping A with B moved C from D to E; total fit −2%", and
``compare`` the same as data (``Changes``: kept pairs, ``Move``s, totals). Store with each
proposal ``Match.fit`` (a ``StrEnum``, fit for a column, like ``quality_floor`` as a programme
setting) and ``Match.kept``; show ``describe_refused`` for ``MatchResult.refused`` and
``describe_unmatched`` for the new reason. Exclusions that should outlive one preview are
passed as ``never`` on every later round too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

import numpy as np

from bot.domain.matching.changes import Changes, Move, compare, describe_changes
from bot.domain.matching.controls import accept_pins, floor_test, scale_of
from bot.domain.matching.features import features, forbidden_pairs
from bot.domain.matching.graph import Graph
from bot.domain.matching.hours import refuse_short_overlaps
from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import (
    DEFAULT_WEIGHTS,
    Fit,
    FitScale,
    Match,
    MatchResult,
    Person,
    Reason,
    ReasonCode,
    RefusedPin,
    Role,
    Unmatched,
    UnmatchedReason,
    Weights,
)
from bot.domain.matching.results import Reach, reach_of, result
from bot.domain.matching.scoring import Problem, score_matrix
from bot.domain.matching.solving import graph_of, optimise
from bot.domain.matching.words import (
    describe,
    describe_refused,
    describe_unmatched,
    reason_from_dict,
    reason_to_dict,
    reasons_for,
)
from bot.domain.states import CrossDepartment, Kind, Meeting, Side, Style

__all__ = [
    "DEFAULT_WEIGHTS",
    "Changes",
    "CrossDepartment",
    "Fit",
    "FitScale",
    "Kind",
    "MatchResult",
    "Meeting",
    "Match",
    "Move",
    "Person",
    "Reason",
    "ReasonCode",
    "RefusedPin",
    "Role",
    "Side",
    "Style",
    "Unmatched",
    "UnmatchedReason",
    "Weights",
    "compare",
    "describe",
    "describe_changes",
    "describe_refused",
    "describe_unmatched",
    "match",
    "reason_from_dict",
    "reason_to_dict",
    "reasons_for",
    "result",
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
    partners_per_person: int = 1,
    keep: Collection[tuple[str, str]] = (),
    never: Collection[frozenset[str]] = (),
    quality_floor: Fit | float | None = None,
    min_overlap_minutes: int = 0,
) -> MatchResult:
    """The pairs with the highest total score under the hard constraints and the owner's
    controls (see the package docstring), and who is left."""
    if partners_per_person < 1:
        raise ValueError("partners_per_person must be at least 1")
    history = [*history, *never]
    problem = prepare(people, kind, history, managers, cross_department, weights)
    problem, matrix = scored(problem)
    any_hours = None
    if min_overlap_minutes > 0:
        any_hours = reach_of(problem, matrix)
        refuse_short_overlaps(problem, matrix, min_overlap_minutes)
    scale = scale_of(matrix)
    pins = accept_pins(keep, problem, matrix, never, partners_per_person)
    allowed = reach_of(problem, matrix)
    reaches = floor_test(scale, quality_floor)
    if reaches is not None:
        matrix.keep_only(reaches)
    good = reach_of(problem, matrix) if reaches is not None else allowed
    size = len(problem.f.people)
    graph = graph_of(size, problem.rows, problem.cols, matrix)
    places = np.full(size, partners_per_person, dtype=np.int64)
    np.subtract.at(places, pins.mentees, 1)
    may_mentor, may_mentee = np.ones(size, dtype=bool), places > 0
    may_mentor[pins.mentors] = may_mentor[pins.mentees] = may_mentee[pins.mentors] = False
    if partners_per_person > 1:
        graph = replace(graph, capacity=places)
    solution, _ = optimise(graph, may_mentor, may_mentee)
    reach = Reach(allowed, good, any_hours)
    return result(people, problem, graph, solution, pins=pins, scale=scale, reach=reach)


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


def scored(problem: Problem) -> tuple[Problem, ScoreMatrix]:
    """Every allowed pair's score (a problem with nobody on one side has no rows or columns)."""
    if len(problem.rows) == 0 or len(problem.cols) == 0:
        none = np.zeros(0, dtype=np.int64)
        problem = Problem(problem.f, none, none, problem.kind, False, problem.weights)
    return problem, score_matrix(problem)


def scored_graph(problem: Problem) -> Graph:
    """Score every allowed pair and take the solver's starting edges."""
    problem, matrix = scored(problem)
    return graph_of(len(problem.f.people), problem.rows, problem.cols, matrix)
