"""The matching engine: the best set of mentoring pairs for one programme round (pure).

Every allowed pair (hard constraints below) gets a positive score from the soft preferences in
``Weights``; ``match`` then maximises the total score of all pairs at once.

How the optimum is found, and what is exact:

* People are split into the mentor side (``share`` and ``either``) and the mentee side (``learn``
  and ``either``). Scores are computed with numpy, block by block (topics as a float32 matrix
  product, stage/style/breadth/meeting/time zone as a small profile x profile table), with both
  sides sorted by stage so cells the programme kind rules out are never scored: no Python loop
  runs over candidate pairs. Two threads score blocks (numpy releases the GIL).
* An "either" person who has allowed partners in only one role (say the most junior person of a
  reverse programme, who can never be mentored) simply takes that role. When nobody is left
  who could take both roles, the problem is bipartite, and on pools up to ``DENSE_LIMIT`` cells
  the assignment (``scipy.optimize.linear_sum_assignment``) is **exact**.
* When a few "either" people could take both roles (at most ``EXACT_EITHER`` of them, on small
  pools), every choice of role is enumerated and each solved as an assignment: **exact**.
  Together with the previous case this covers every pool of up to 10 people.
* Otherwise (many ambiguous "either" people) the engine first solves the relaxation in which
  each of them may take both roles at once (an upper bound on the optimum), gives each the role
  the relaxation used (the better-scoring one if it used both; the scarcer side if neither),
  and solves again with those roles fixed, followed on small pools by role flips while they
  help. This is a **heuristic**: always valid, usually close, never above the relaxation bound.
* Beyond ``DENSE_LIMIT`` cells a dense assignment is too slow (it is cubic: ~10 s at
  5,000 x 5,000), so each person keeps only their ``CANDIDATES`` best partners (best for the
  row and best for the column) and ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
  solves that sparse graph exactly, with a private "stay unmatched" edge for each mentor. This
  is a **heuristic** too: every pair is still valid, and ``benchmarks/matching.py`` measures
  the share of the optimum it reaches (see ``benchmarks/RESULTS.md``).

Hard constraints, never violated: no manager with anyone below them in the reporting chain
(direct or indirect, chains followed through non-participants, cycles tolerated); no pair from
``history``; nobody paused; sides and the programme kind's seniority direction; different
departments when required; nobody in two pairs or paired with themselves.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

Kind = Literal["reverse", "traditional", "peer"]
Side = Literal["share", "learn", "either"]
Style = Literal["introvert", "extrovert", "between"]
Meeting = Literal["video", "in_person", "either"]
CrossDepartment = Literal["required", "preferred"]
Role = Literal["mentor", "mentee"]
ReasonCode = Literal[
    "teaches", "learns_back", "cross_department", "style", "breadth", "hours", "meeting", "waited"
]
UnmatchedReason = Literal["paused", "no_eligible_partner", "odd_one_out"]

FloatArray = npt.NDArray[np.float64]
F32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

WORKDAY_MINUTES = 8 * 60  # 09:00-17:00 local
DAY_MINUTES = 24 * 60
SPECIALIST_MAX_TOPICS = 2
GENERALIST_MIN_TOPICS = 5
# Dense assignment is cubic: ~0.3 s at 1,500 x 1,500 on a small machine; beyond, go sparse.
DENSE_LIMIT = 1500 * 1500
# Enumerating roles costs 2**k assignments, so only for a few ambiguous people on small pools.
EXACT_EITHER = 10
EXACT_CELLS = 2_000_000  # 2**k times the number of allowed pairs
CANDIDATES = 64  # best partners kept per person on large pools (see benchmarks/RESULTS.md)
BLOCK_CELLS = 2_000_000  # scores computed this many cells at a time, to bound memory
ROLE_FLIP_ROUNDS = 3
SCORING_THREADS = 2  # numpy releases the GIL: blocks are scored on two cores


@dataclass(frozen=True)
class Person:
    """One participant of the programme, as the matching engine sees them."""

    user_id: str
    side: Side
    stage: int  # career stage ordinal 0..4 (0 = under 2 years of work, 4 = 20+)
    department: str
    manager: str | None
    shares: frozenset[str]
    learns: frozenset[str]
    style: Style
    meeting: Meeting
    utc_offset_minutes: int
    paused: bool = False
    waited: bool = False


@dataclass(frozen=True)
class Weights:
    """Weights of the soft preferences; every allowed pair scores at least ``base`` (> 0).

    * ``base`` (1.0): any allowed pair beats leaving two people unmatched, so the optimum pairs
      as many people as the hard constraints allow before it looks at quality.
    * ``teaches`` (3.0 per topic): the point of the programme, a topic the mentor can share and
      the mentee wants to learn. It dominates: one shared topic outweighs any mix of the
      smaller terms except a second topic.
    * ``learns_back`` (1.0 per topic): what the mentee can share back; reverse mentoring works
      best as an exchange, but it is secondary to the programme's direction.
    * ``cross_department`` (1.0): a view from elsewhere in the organisation, and less politics;
      only counts when the programme prefers it (when required it is a hard constraint).
    * ``style`` (0.5): an introvert with an extrovert; a mild, well-known aid, not decisive.
    * ``breadth`` (0.5): a specialist (at most 2 share topics) with a generalist (5 or more).
    * ``hours`` (1.0 for a full 8-hour overlap, linear): pairs that can meet in working hours
      actually meet; people in the same time zone get the full point.
    * ``meeting`` (0.5): the same or a compatible way to meet (video / in person / either).
    * ``waited`` (1.5 per person): someone left unmatched last round is first in line; enough to
      beat the small terms, not enough to beat a topic the other candidate could teach.
    """

    base: float = 1.0
    teaches: float = 3.0
    learns_back: float = 1.0
    cross_department: float = 1.0
    style: float = 0.5
    breadth: float = 0.5
    hours: float = 1.0
    meeting: float = 0.5
    waited: float = 1.5

    def __post_init__(self) -> None:
        if self.base <= 0 or min(vars(self).values()) < 0:
            raise ValueError("weights must not be negative, and base must be positive")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Reason:
    """One reason a pair fits; rendered in words by ``describe``.

    ``topics`` for teaches/learns_back; ``hours`` for the working-hours overlap; ``roles`` for
    who the reason is about (the specialist of breadth, who waited); ``mode`` for meeting.
    Roles rather than user ids, so a stored reason survives pseudonymous ids.
    """

    code: ReasonCode
    topics: tuple[str, ...] = ()
    hours: float = 0.0
    roles: tuple[Role, ...] = ()
    mode: Meeting | None = None


@dataclass(frozen=True)
class Pair:
    """A proposed pair: who shares, who learns, how good, and why."""

    mentor: str
    mentee: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner this round, and why."""

    user_id: str
    reason: UnmatchedReason


@dataclass(frozen=True)
class MatchResult:
    """All the pairs of a round, and everyone left unmatched."""

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total_score(self) -> float:
        """The sum of the pair scores: what the engine maximises."""
        return float(sum(p.score for p in self.pairs))


# ---------------------------------------------------------------------------------------------
# Features: everyone as numpy arrays


@dataclass(frozen=True)
class _Features:
    """The active (not paused) people as arrays, indexed 0..n-1."""

    people: tuple[Person, ...]
    can_mentor: BoolArray
    can_mentee: BoolArray
    stage: IntArray
    department: IntArray
    introvert: BoolArray
    extrovert: BoolArray
    specialist: BoolArray
    generalist: BoolArray
    offset: IntArray
    meeting: IntArray  # 0 video, 1 in person, 2 either
    waited: FloatArray
    shares: F32Array  # n x topics, 0/1
    learns: F32Array
    forbidden_a: IntArray  # reporting lines and history, both directions, plus self
    forbidden_b: IntArray


def _codes(values: Sequence[str]) -> IntArray:
    index: dict[str, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _topic_matrix(sets: Sequence[frozenset[str]], topics: Mapping[str, int]) -> Any:
    matrix = np.zeros((len(sets), max(len(topics), 1)), dtype=np.float32)
    rows = [i for i, s in enumerate(sets) for _ in s]
    cols = [topics[t] for s in sets for t in s]
    matrix[rows, cols] = 1.0
    return matrix


def _features(active: Sequence[Person], forbidden: tuple[IntArray, IntArray]) -> _Features:
    n = len(active)
    topics = {t: i for i, t in enumerate(sorted({t for p in active for t in p.shares | p.learns}))}
    breadth = np.array([len(p.shares) for p in active], dtype=np.int64)
    side = np.array([p.side for p in active], dtype=str)
    meeting_code = {"video": 0, "in_person": 1, "either": 2}
    self_pairs = np.arange(n, dtype=np.int64)
    return _Features(
        people=tuple(active),
        can_mentor=side != "learn",
        can_mentee=side != "share",
        stage=np.array([p.stage for p in active], dtype=np.int64),
        department=_codes([p.department for p in active]),
        introvert=np.array([p.style == "introvert" for p in active], dtype=bool),
        extrovert=np.array([p.style == "extrovert" for p in active], dtype=bool),
        specialist=breadth <= SPECIALIST_MAX_TOPICS,
        generalist=breadth >= GENERALIST_MIN_TOPICS,
        offset=np.array([p.utc_offset_minutes for p in active], dtype=np.int64),
        meeting=np.array([meeting_code[p.meeting] for p in active], dtype=np.int64),
        waited=np.array([p.waited for p in active], dtype=np.float64),
        shares=_topic_matrix([p.shares for p in active], topics),
        learns=_topic_matrix([p.learns for p in active], topics),
        forbidden_a=np.concatenate([forbidden[0], forbidden[1], self_pairs]),
        forbidden_b=np.concatenate([forbidden[1], forbidden[0], self_pairs]),
    )


def _ancestors(start: str, links: Mapping[str, Collection[str]]) -> Iterator[str]:
    """Everyone above ``start`` in the reporting chains; a visited set stops cycles."""
    seen = {start}
    stack = list(links.get(start, ()))
    while stack:
        boss = stack.pop()
        if boss in seen:
            continue
        seen.add(boss)
        yield boss
        stack.extend(links.get(boss, ()))


def _forbidden_pairs(
    everyone: Sequence[Person],
    active: Sequence[Person],
    history: Collection[frozenset[str]],
    managers: Mapping[str, str | None],
) -> tuple[IntArray, IntArray]:
    """Index pairs (either order) that may never be proposed: reporting lines and history."""
    # Both sources count: with conflicting data, forbidding more is the safe side.
    links: dict[str, set[str]] = {}
    for user, boss in [*managers.items(), *((p.user_id, p.manager) for p in everyone)]:
        if boss is not None and boss != user:
            links.setdefault(user, set()).add(boss)
    index = {p.user_id: i for i, p in enumerate(active)}
    pairs = [
        (i, index[boss])
        for i, person in enumerate(active)
        for boss in _ancestors(person.user_id, links)
        if boss in index
    ]
    for past in history:
        ids = sorted(past)
        if len(ids) == 2 and ids[0] in index and ids[1] in index:
            pairs.append((index[ids[0]], index[ids[1]]))
    found = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return found[:, 0], found[:, 1]


# ---------------------------------------------------------------------------------------------
# Scoring, vectorised: works on a block (rows[:, None], cols[None, :]) or on aligned pairs


def _direction_ok(mentor_stage: IntArray, mentee_stage: IntArray, kind: Kind) -> BoolArray:
    """The programme kind's seniority direction (broadcasts)."""
    if kind == "reverse":
        ok: BoolArray = mentor_stage < mentee_stage
    elif kind == "traditional":
        ok = mentor_stage > mentee_stage
    else:
        ok = np.abs(mentor_stage - mentee_stage) <= 1
    return ok


def _overlap_minutes(f: _Features, a: IntArray, b: IntArray) -> IntArray:
    gap = np.abs(f.offset[a] - f.offset[b]) % DAY_MINUTES
    gap = np.minimum(gap, DAY_MINUTES - gap)
    overlap: IntArray = np.maximum(WORKDAY_MINUTES - gap, 0)
    return overlap


def _soft_score(
    f: _Features,
    a: IntArray,
    b: IntArray,
    teach: FloatArray,
    back: FloatArray,
    w: Weights,
    cross_preferred: bool,
) -> FloatArray:
    """The score of mentor ``a`` with mentee ``b`` ignoring the hard constraints."""
    score = w.base + w.teaches * teach + w.learns_back * back
    if cross_preferred:
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


@dataclass(frozen=True)
class _Problem:
    """One bipartite problem: mentor candidates (rows) x mentee candidates (cols)."""

    f: _Features
    rows: IntArray
    cols: IntArray
    kind: Kind
    cross_required: bool
    weights: Weights

    def blocks(self) -> Iterator[_BlockSpec]:
        """The score matrix (0 = not allowed), a bounded number of cells at a time.

        Rows and columns are sorted by stage, so each block of same-stage rows only needs the
        columns whose stage the programme kind allows: most disallowed cells are never scored.
        """
        stages_r, stages_c = self.f.stage[self.rows], self.f.stage[self.cols]
        for stage in np.unique(stages_r):
            lo, hi = np.searchsorted(stages_r, [stage, stage + 1])
            c_lo, c_hi = _stage_window(stages_c, int(stage), self.kind)
            if c_lo >= c_hi:
                continue
            step = max(1, BLOCK_CELLS // (c_hi - c_lo))
            for start in range(lo, hi, step):
                yield _BlockSpec(int(start), min(int(start) + step, int(hi)), c_lo, c_hi)

    def scored(self, spec: _BlockSpec) -> _Block:
        """One block's scores."""
        scores = self._scorer.block(spec.row, spec.row_end, spec.col, spec.col_end)
        return _Block(spec.row, spec.col, scores)

    def scored_blocks(self) -> Iterator[_Block]:
        """Every block, scored in order."""
        return map(self.scored, self.blocks())

    def dense(self) -> F32Array:
        """The whole matrix at once (small problems, and the benchmark's reference)."""
        matrix = np.zeros((len(self.rows), len(self.cols)), dtype=np.float32)
        for b in self.scored_blocks():
            matrix[b.row : b.row + b.scores.shape[0], b.col : b.col + b.scores.shape[1]] = b.scores
        return matrix

    @cached_property
    def _scorer(self) -> _BlockScorer:
        return _BlockScorer.of(self)


@dataclass(frozen=True)
class _BlockSpec:
    row: int
    row_end: int
    col: int
    col_end: int


@dataclass(frozen=True)
class _Block:
    row: int  # first row and column of the block in the problem
    col: int
    scores: F32Array


def _stage_window(sorted_stages: IntArray, stage: int, kind: Kind) -> tuple[int, int]:
    """The column range (columns sorted by stage) a mentor at ``stage`` may pair with."""
    low, high = {
        "reverse": (stage + 1, 5),
        "traditional": (0, stage),
        "peer": (stage - 1, stage + 2),
    }[kind]
    start, stop = np.searchsorted(sorted_stages, [low, high])
    return int(start), int(stop)


@dataclass(frozen=True)
class _BlockScorer:
    """Everything a block needs, precomputed once per problem so a block is a few array ops.

    People with the same stage, style, breadth, meeting preference and time zone score the
    same on those terms, so those terms (and the seniority direction) come from a small
    profile x profile table; topics are one float32 matrix product.
    """

    table: F32Array  # profile x profile: base + style + breadth + meeting + hours, 0 if not allowed
    row_profile: IntArray
    col_profile: IntArray
    row_topics: F32Array  # [shares * teaches weight, learns * learns_back weight]
    col_topics: F32Array  # [learns, shares], transposed
    row_bonus: F32Array  # waited
    col_bonus: F32Array
    row_department: IntArray
    col_department: IntArray
    cross_required: bool
    cross_weight: float
    forbidden_rows: IntArray  # sorted
    forbidden_cols: IntArray

    @staticmethod
    def of(problem: _Problem) -> _BlockScorer:
        f, w, rows, cols = problem.f, problem.weights, problem.rows, problem.cols
        keys = np.stack(
            [f.stage, f.introvert, f.extrovert, f.specialist, f.generalist, f.meeting, f.offset],
            axis=1,
        )
        _, first, profile = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        profile = profile.reshape(-1)
        a, b = first[:, None], first[None, :]
        zero = np.zeros((len(first), len(first)))
        soft = _soft_score(f, a, b, zero, zero, w, cross_preferred=False)
        soft -= w.waited * (f.waited[a] + f.waited[b])
        soft *= _direction_ok(f.stage[a], f.stage[b], problem.kind)
        fr, fc = _forbidden_cells(problem)
        order = np.argsort(fr, kind="stable")
        return _BlockScorer(
            table=soft.astype(np.float32),
            row_profile=profile[rows],
            col_profile=profile[cols],
            row_topics=np.hstack([f.shares[rows] * w.teaches, f.learns[rows] * w.learns_back]),
            col_topics=np.ascontiguousarray(np.hstack([f.learns[cols], f.shares[cols]]).T),
            row_bonus=(w.waited * f.waited[rows]).astype(np.float32),
            col_bonus=(w.waited * f.waited[cols]).astype(np.float32),
            row_department=f.department[rows],
            col_department=f.department[cols],
            cross_required=problem.cross_required,
            cross_weight=w.cross_department,
            forbidden_rows=fr[order],
            forbidden_cols=fc[order],
        )

    def block(self, lo: int, hi: int, c_lo: int, c_hi: int) -> F32Array:
        """Scores of rows lo..hi-1 x columns c_lo..c_hi-1."""
        cols = slice(c_lo, c_hi)
        score = self.table[self.row_profile[lo:hi, None], self.col_profile[None, cols]]
        allowed = score > 0
        score += self.row_topics[lo:hi] @ self.col_topics[:, cols]
        score += self.row_bonus[lo:hi, None]
        score += self.col_bonus[None, cols]
        other = self.row_department[lo:hi, None] != self.col_department[None, cols]
        if self.cross_required:
            allowed &= other
        else:
            score += np.float32(self.cross_weight) * other
        score *= allowed
        start, stop = np.searchsorted(self.forbidden_rows, [lo, hi])
        fr, fc = self.forbidden_rows[start:stop] - lo, self.forbidden_cols[start:stop] - c_lo
        inside = (fc >= 0) & (fc < c_hi - c_lo)
        score[fr[inside], fc[inside]] = 0.0
        return score


def _forbidden_cells(problem: _Problem) -> tuple[IntArray, IntArray]:
    """Forbidden (person, person) pairs as (row, column) cells of this problem."""
    n = len(problem.f.people)
    row_of = np.full(n, -1, dtype=np.int64)
    col_of = np.full(n, -1, dtype=np.int64)
    row_of[problem.rows] = np.arange(len(problem.rows))
    col_of[problem.cols] = np.arange(len(problem.cols))
    r, c = row_of[problem.f.forbidden_a], col_of[problem.f.forbidden_b]
    keep = (r >= 0) & (c >= 0)
    return r[keep], c[keep]


def _pair_scores(f: _Features, a: IntArray, b: IntArray, problem: _Problem) -> FloatArray:
    """Scores of aligned, allowed pairs (mentor a[i], mentee b[i])."""
    teach = (f.shares[a] * f.learns[b]).sum(axis=1).astype(np.float64)
    back = (f.learns[a] * f.shares[b]).sum(axis=1).astype(np.float64)
    return _soft_score(f, a, b, teach, back, problem.weights, not problem.cross_required)


# ---------------------------------------------------------------------------------------------
# Solving


@dataclass(frozen=True)
class _Graph:
    """Scored allowed pairs (person indices), computed once and reused by every solve."""

    size: int  # number of active people
    mentor: IntArray
    mentee: IntArray
    score: FloatArray
    complete: bool  # every allowed pair (small pools) or only each person's best candidates


@dataclass(frozen=True)
class _Solution:
    mentors: IntArray  # person indices
    mentees: IntArray
    values: FloatArray  # score of each pair

    @property
    def total(self) -> float:
        return float(self.values.sum())


def _top_k_cells(matrix: F32Array, k: int) -> tuple[IntArray, IntArray]:
    """Up to k best positive cells of each row, as (row, column) indices sorted by row.

    Scores have many ties, which makes argpartition slow; a value partition finds each row's
    k-th best score fast, and ties at that score are then taken left to right.
    """
    if matrix.shape[1] <= k:
        rows, cols = np.nonzero(matrix > 0)
        return rows, cols
    kth = np.maximum(np.partition(matrix, -k, axis=1)[:, -k], np.float32(0))[:, None]
    above = matrix > kth
    tie = (matrix == kth) & (kth > 0)
    room = k - np.count_nonzero(above, axis=1)
    keep = above | (tie & (np.cumsum(tie, axis=1) <= room[:, None]))
    rows, cols = np.nonzero(keep)
    return rows, cols


def _scored_with_row_best(
    problem: _Problem, k: int
) -> Iterator[tuple[_Block, tuple[IntArray, IntArray, F32Array]]]:
    """Blocks in order, each with its rows' k best cells, scored by a few threads.

    numpy releases the GIL in the heavy array work, so the threads use the machine's cores;
    at most two blocks per thread are in flight, which bounds memory.
    """

    def work(spec: _BlockSpec) -> tuple[_Block, tuple[IntArray, IntArray, F32Array]]:
        block = problem.scored(spec)
        r, c = _top_k_cells(block.scores, k)
        return block, (r + block.row, c + block.col, block.scores[r, c])

    specs = iter(problem.blocks())
    with ThreadPoolExecutor(max_workers=SCORING_THREADS) as pool:
        pending = deque(pool.submit(work, s) for s in itertools.islice(specs, 2 * SCORING_THREADS))
        while pending:
            done = pending.popleft().result()
            pending.extend(pool.submit(work, s) for s in itertools.islice(specs, 1))
            yield done


def _candidate_edges(problem: _Problem, k: int) -> tuple[IntArray, IntArray, F32Array]:
    """Each row's k best columns and each column's k best rows (positive scores only)."""
    n = len(problem.cols)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    values: list[F32Array] = []
    # Each column's best k rows so far (-1: none yet), merged block by block.
    col_best = np.full((n, k), -1.0, dtype=np.float32)
    col_best_row = np.full((n, k), -1, dtype=np.int64)
    for b, (r, c, v) in _scored_with_row_best(problem, k):
        rows.append(r)
        cols.append(c)
        values.append(v)
        height, width = b.scores.shape
        window = slice(b.col, b.col + width)
        merged = np.hstack([col_best[window], b.scores.T])
        block_rows = np.broadcast_to(np.arange(b.row, b.row + height), (width, height))
        merged_row = np.hstack([col_best_row[window], block_rows])
        # Compact each column's (up to) k best back into its fixed-width slot, -1 padded.
        r, c = _top_k_cells(merged, k)
        slot = np.arange(len(r)) - np.searchsorted(r, r)
        best, best_row = np.full((width, k), -1.0, dtype=np.float32), np.full((width, k), -1)
        best[r, slot], best_row[r, slot] = merged[r, c], merged_row[r, c]
        col_best[window], col_best_row[window] = best, best_row
    rows.append(col_best_row.ravel())
    cols.append(np.repeat(np.arange(n), k))
    values.append(col_best.ravel())
    r_all, c_all, v_all = np.concatenate(rows), np.concatenate(cols), np.concatenate(values)
    positive = v_all > 0
    r_all, c_all, v_all = r_all[positive], c_all[positive], v_all[positive]
    _, first = np.unique(r_all * n + c_all, return_index=True)
    return r_all[first], c_all[first], v_all[first]


def _all_edges(problem: _Problem) -> tuple[IntArray, IntArray, F32Array]:
    rows, cols, vals = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], []
    vals.append(np.zeros(0, dtype=np.float32))
    for b in problem.scored_blocks():
        r, c = np.nonzero(b.scores > 0)
        rows.append(r + b.row)
        cols.append(c + b.col)
        vals.append(b.scores[r, c])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _score_graph(problem: _Problem) -> _Graph:
    """Score every allowed pair; on large pools keep only each person's best candidates."""
    size = len(problem.f.people)
    if len(problem.rows) == 0 or len(problem.cols) == 0:
        none = np.zeros(0, dtype=np.int64)
        return _Graph(size, none, none, np.zeros(0), complete=True)
    complete = len(problem.rows) * len(problem.cols) <= DENSE_LIMIT
    edges = _all_edges(problem) if complete else _candidate_edges(problem, CANDIDATES)
    r, c, v = edges
    return _Graph(size, problem.rows[r], problem.cols[c], v.astype(np.float64), complete)


def _solve(graph: _Graph, mentors: BoolArray, mentees: BoolArray) -> _Solution:
    """The best pairs of the graph with these roles allowed (an exact assignment)."""
    keep = mentors[graph.mentor] & mentees[graph.mentee]
    if not keep.any():
        none = np.zeros(0, dtype=np.int64)
        return _Solution(none, none, np.zeros(0))
    a, b, v = graph.mentor[keep], graph.mentee[keep], graph.score[keep]
    row_people, r = np.unique(a, return_inverse=True)
    col_people, c = np.unique(b, return_inverse=True)
    m, n = len(row_people), len(col_people)
    if m * n <= DENSE_LIMIT:
        # A 0 cell means "not paired": any matching extends to a full assignment with zeros.
        matrix = np.zeros((m, n))
        matrix[r, c] = v
        ri, ci = linear_sum_assignment(matrix, maximize=True)
        won = matrix[ri, ci] > 0
        ri, ci, values = ri[won], ci[won], matrix[ri[won], ci[won]]
    else:
        ri, ci, values = _solve_sparse(r, c, v, m, n)
    return _Solution(row_people[ri], col_people[ci], values)


def _solve_sparse(
    r: IntArray, c: IntArray, v: FloatArray, m: int, n: int
) -> tuple[IntArray, IntArray, FloatArray]:
    # Costs must be non-zero: cost = top - score, plus a private "unmatched" column per row at
    # cost top (score 0), so a full matching of the rows always exists.
    top = float(v.max()) + 1.0
    graph = coo_matrix(
        (
            np.concatenate([top - v, np.full(m, top)]),
            (np.concatenate([r, np.arange(m)]), np.concatenate([c, n + np.arange(m)])),
        ),
        shape=(m, n + m),
    ).tocsr()
    ri, ci = min_weight_full_bipartite_matching(graph)
    real = ci < n
    ri, ci = ri[real], ci[real]
    values = top - np.asarray(graph[ri, ci]).ravel()
    return ri, ci, values


def _enumerate_roles(
    graph: _Graph, mentors: BoolArray, mentees: BoolArray, ambiguous: IntArray
) -> _Solution:
    """Exact for few ambiguous people: try every choice of role, keep the best."""
    best = _solve(graph, mentors & ~mentees, mentees & ~mentors)
    for choice in itertools.product((True, False), repeat=len(ambiguous)):
        as_mentor = np.array(choice, dtype=bool)
        trial_m, trial_e = mentors.copy(), mentees.copy()
        trial_m[ambiguous], trial_e[ambiguous] = as_mentor, ~as_mentor
        found = _solve(graph, trial_m, trial_e)
        if found.total > best.total + 1e-9:
            best = found
    return best


def _roles_from_relaxation(
    graph: _Graph, relaxed: _Solution, mentors: BoolArray, mentees: BoolArray
) -> tuple[BoolArray, BoolArray]:
    """One role each, from a solution where ambiguous people may have taken both."""
    ambiguous = mentors & mentees
    scores = relaxed.values
    as_mentor, as_mentee = np.zeros(graph.size), np.zeros(graph.size)
    np.maximum.at(as_mentor, relaxed.mentors, scores)
    np.maximum.at(as_mentee, relaxed.mentees, scores)
    used = (as_mentor > 0) | (as_mentee > 0)
    # Unused people go to the side with fewer single-role people: that is where they are missing.
    mentor_scarce = np.count_nonzero(mentors & ~ambiguous) <= np.count_nonzero(mentees & ~ambiguous)
    take_mentor = np.where(used, as_mentor >= as_mentee, mentor_scarce)
    fixed_m, fixed_e = mentors.copy(), mentees.copy()
    fixed_m[ambiguous] = take_mentor[ambiguous]
    fixed_e[ambiguous] = ~take_mentor[ambiguous]
    return fixed_m, fixed_e


def _flip_roles(
    graph: _Graph, mentors: BoolArray, mentees: BoolArray, ambiguous: IntArray, best: _Solution
) -> _Solution:
    """Local search: flip the role of an ambiguous person left out, keep it if the total rises."""
    for _ in range(ROLE_FLIP_ROUNDS):
        matched = np.zeros(graph.size, dtype=bool)
        matched[best.mentors] = matched[best.mentees] = True
        improved = False
        for person in ambiguous[~matched[ambiguous]]:
            trial_m, trial_e = mentors.copy(), mentees.copy()
            trial_m[person], trial_e[person] = not mentors[person], not mentees[person]
            found = _solve(graph, trial_m, trial_e)
            if found.total > best.total + 1e-9:
                best, mentors, mentees, improved = found, trial_m, trial_e, True
        if not improved:
            break
    return best


def _optimise(graph: _Graph) -> _Solution:
    """The best pairs of the scored graph (exact or heuristic, see the module docstring)."""
    mentors = np.zeros(graph.size, dtype=bool)
    mentees = np.zeros(graph.size, dtype=bool)
    mentors[graph.mentor] = True  # only people with an allowed partner in that role
    mentees[graph.mentee] = True
    ambiguous = np.flatnonzero(mentors & mentees)
    if len(ambiguous) == 0:
        return _solve(graph, mentors, mentees)
    if len(ambiguous) <= EXACT_EITHER and len(graph.score) << len(ambiguous) <= EXACT_CELLS:
        return _enumerate_roles(graph, mentors, mentees, ambiguous)
    relaxed = _solve(graph, mentors, mentees)
    fixed_m, fixed_e = _roles_from_relaxation(graph, relaxed, mentors, mentees)
    best = _solve(graph, fixed_m, fixed_e)
    if graph.complete:
        best = _flip_roles(graph, fixed_m, fixed_e, ambiguous, best)
    return best


# ---------------------------------------------------------------------------------------------
# The public entry point


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
    problem = _prepare(people, kind, history, managers, cross_department, weights)
    graph = _score_graph(problem)
    return _result(people, problem, graph, _optimise(graph))


def _prepare(
    people: Sequence[Person],
    kind: Kind,
    history: Collection[frozenset[str]],
    managers: Mapping[str, str | None],
    cross_department: CrossDepartment,
    weights: Weights,
) -> _Problem:
    """The active people as arrays, with everything they may never be paired with."""
    ids = [p.user_id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("every person must appear once")
    active = [p for p in people if not p.paused]
    f = _features(active, _forbidden_pairs(people, active, history, managers))
    everyone = np.arange(len(active), dtype=np.int64)
    required = cross_department == "required"
    # Sorted by stage, so that blocks can skip the stages the programme kind rules out.
    by_stage = everyone[np.argsort(f.stage, kind="stable")]
    rows, cols = by_stage[f.can_mentor[by_stage]], by_stage[f.can_mentee[by_stage]]
    return _Problem(f, rows, cols, kind, required, weights)


def _result(
    people: Sequence[Person], problem: _Problem, graph: _Graph, solution: _Solution
) -> MatchResult:
    active = problem.f.people
    eligible = np.zeros(len(active), dtype=bool)
    eligible[graph.mentor] = eligible[graph.mentee] = True
    scores = _pair_scores(problem.f, solution.mentors, solution.mentees, problem)
    order = np.argsort(-scores, kind="stable")
    pairs = tuple(
        _pair(active[solution.mentors[i]], active[solution.mentees[i]], float(scores[i]))
        for i in order
    )
    return MatchResult(pairs=pairs, unmatched=_unmatched(people, active, solution, eligible))


def _unmatched(
    people: Sequence[Person], active: Sequence[Person], solution: _Solution, eligible: BoolArray
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


def _pair(mentor: Person, mentee: Person, score: float) -> Pair:
    return Pair(mentor.user_id, mentee.user_id, score, reasons_for(mentor, mentee))


def reasons_for(mentor: Person, mentee: Person) -> tuple[Reason, ...]:
    """Why these two fit, most important first (the same terms as the score)."""
    reasons: list[Reason] = []
    if teaches := mentor.shares & mentee.learns:
        reasons.append(Reason("teaches", topics=tuple(sorted(teaches))))
    if back := mentee.shares & mentor.learns:
        reasons.append(Reason("learns_back", topics=tuple(sorted(back))))
    if mentor.department != mentee.department:
        reasons.append(Reason("cross_department"))
    if {mentor.style, mentee.style} == {"introvert", "extrovert"}:
        reasons.append(Reason("style"))
    if specialist := _specialist_role(mentor, mentee):
        reasons.append(Reason("breadth", roles=(specialist,)))
    gap = abs(mentor.utc_offset_minutes - mentee.utc_offset_minutes) % DAY_MINUTES
    overlap = max(WORKDAY_MINUTES - min(gap, DAY_MINUTES - gap), 0)
    if overlap > 0:
        reasons.append(Reason("hours", hours=overlap / 60))
    if mode := _shared_meeting(mentor.meeting, mentee.meeting):
        reasons.append(Reason("meeting", mode=mode))
    roles: tuple[tuple[Role, Person], ...] = (("mentor", mentor), ("mentee", mentee))
    if waited := tuple(role for role, person in roles if person.waited):
        reasons.append(Reason("waited", roles=waited))
    return tuple(reasons)


def _specialist_role(mentor: Person, mentee: Person) -> Role | None:
    def kind_of(p: Person) -> str:
        if len(p.shares) <= SPECIALIST_MAX_TOPICS:
            return "specialist"
        return "generalist" if len(p.shares) >= GENERALIST_MIN_TOPICS else "neither"

    pair = (kind_of(mentor), kind_of(mentee))
    if pair == ("specialist", "generalist"):
        return "mentor"
    if pair == ("generalist", "specialist"):
        return "mentee"
    return None


def _shared_meeting(a: Meeting, b: Meeting) -> Meeting | None:
    if a == "either":
        return b
    return a if b in (a, "either") else None


# ---------------------------------------------------------------------------------------------
# Words


def describe(
    pair: Pair,
    *,
    viewer: str | None,
    names: Mapping[str, str],
    topic_labels: Mapping[str, str],
) -> list[str]:
    """The pair's reasons in plain words for one of the two (or for an owner: viewer None)."""
    words = _Words(pair, viewer, names, topic_labels)
    lines = (words.line(reason) for reason in pair.reasons)
    return [line for line in lines if line]


@dataclass(frozen=True)
class _Words:
    pair: Pair
    viewer: str | None
    names: Mapping[str, str]
    labels: Mapping[str, str]
    inside: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inside", self.viewer in (self.pair.mentor, self.pair.mentee))

    def who(self, role: Role) -> str:
        user = self.pair.mentor if role == "mentor" else self.pair.mentee
        return "you" if user == self.viewer else self.names.get(user, user)

    def does(self, role: Role, verb_you: str, verb_other: str) -> str:
        name = self.who(role)
        return f"{name} {verb_you if name == 'you' else verb_other}"

    def topics(self, topics: tuple[str, ...]) -> str:
        labels = [self.labels.get(t, t.replace("_", " ")) for t in topics]
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    def exchange(self, sharer: Role, learner: Role, topics: tuple[str, ...]) -> str:
        it = "it" if len(topics) == 1 else "them"
        return (
            f"{self.who(sharer)} can share {self.topics(topics)}; "
            f"{self.does(learner, 'want', 'wants')} to learn {it}"
        )

    def line(self, reason: Reason) -> str:
        you = "you" if self.inside else "they"
        your = "your" if self.inside else "their"
        code = reason.code
        if code == "teaches":
            return self.exchange("mentor", "mentee", reason.topics)
        if code == "learns_back":
            return "in return, " + self.exchange("mentee", "mentor", reason.topics)
        if code == "cross_department":
            return f"{you} work in different departments"
        if code == "style":
            one = "one of you" if self.inside else "one"
            return f"{one} is more introvert, the other more extrovert"
        if code == "breadth" and reason.roles:
            deep = reason.roles[0]
            wide: Role = "mentee" if deep == "mentor" else "mentor"
            return (
                f"{self.does(deep, 'go', 'goes')} deep on a few topics; "
                f"{self.does(wide, 'know', 'knows')} a wide range"
            )
        if code == "hours":
            return f"{your} working hours overlap by {_hours(reason.hours)}"
        if code == "meeting":
            return _meeting_words(you, reason.mode)
        if code == "waited":
            return self.waited(reason.roles)
        return ""

    def waited(self, roles: tuple[Role, ...]) -> str:
        # Only the person who waited hears it (and owners): it is no reason for the partner.
        if not self.inside:
            names = " and ".join(self.who(r) for r in roles)
            return f"{names} waited last round" if names else ""
        if any(self.who(r) == "you" for r in roles):
            return "you waited last round, so you were first in line this time"
        return ""


def _hours(hours: float) -> str:
    if hours == int(hours):
        return f"{int(hours)} hour" + ("" if hours == 1 else "s")
    return f"{hours:.1f} hours"


def _meeting_words(you: str, mode: Meeting | None) -> str:
    if mode == "video":
        return f"{you} can both meet by video"
    if mode == "in_person":
        return f"{you} can both meet in person"
    return f"{you} are both happy to meet by video or in person"


def describe_unmatched(unmatched: Unmatched) -> str:
    """Why someone was left unmatched, in words for a programme owner."""
    return {
        "paused": "paused, so left out of this round",
        "no_eligible_partner": (
            "nobody in the pool fits the rules for them (reporting line, earlier pairs, "
            "seniority direction, side or department)"
        ),
        "odd_one_out": (
            "the numbers didn't work out: everyone who would fit was better matched with "
            "someone else"
        ),
    }[unmatched.reason]


# ---------------------------------------------------------------------------------------------
# Storage form of reasons (JSON-friendly)


def reason_to_dict(reason: Reason) -> dict[str, Any]:
    """A reason as plain JSON data, leaving out empty fields."""
    data: dict[str, Any] = {"code": reason.code}
    if reason.topics:
        data["topics"] = list(reason.topics)
    if reason.hours:
        data["hours"] = reason.hours
    if reason.roles:
        data["roles"] = list(reason.roles)
    if reason.mode is not None:
        data["mode"] = reason.mode
    return data


def reason_from_dict(data: Mapping[str, Any]) -> Reason:
    """A reason back from ``reason_to_dict``; unknown codes or values raise ValueError."""
    code, mode = data.get("code"), data.get("mode")
    roles = tuple(data.get("roles", ()))
    if code not in get_args(ReasonCode):
        raise ValueError(f"unknown reason code {code!r}")
    if mode is not None and mode not in get_args(Meeting):
        raise ValueError(f"unknown meeting mode {mode!r}")
    if any(r not in get_args(Role) for r in roles):
        raise ValueError(f"unknown roles {roles!r}")
    return Reason(
        code=cast(ReasonCode, code),
        topics=tuple(str(t) for t in data.get("topics", ())),
        hours=float(data.get("hours", 0.0)),
        roles=roles,
        mode=mode,
    )
