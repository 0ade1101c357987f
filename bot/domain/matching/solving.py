"""Choosing the pairs: an exact assignment on few candidates, completed by pricing.

On small pools every allowed pair is an edge and one dense assignment is exact. On large pools
the solver starts from a few candidates per person (``CANDIDATES``), solves that sparse problem
exactly, and takes its *dual prices*: u[row] and v[col], never negative, with u + v >= score on
every edge and = score on the chosen pairs, zero for whoever is left out. By linear programming
duality those prices prove the choice optimal for *every* cell whose score is at most
u[row] + v[col]; so the score matrix is scanned for cells above their prices, the best of them
are added, and the problem is solved again until no such cell is left. The result is then
exactly optimal on the whole matrix (up to float32 scores), however few the candidates were.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from scipy.optimize import linear_sum_assignment

from bot.domain.matching.assignment import Slots, cold_matching, duals, warm_matching
from bot.domain.matching.graph import Graph, Solution
from bot.domain.matching.matrix import ScoreMatrix
from bot.domain.matching.model import BoolArray, FloatArray, IntArray
from bot.domain.matching.pricing import PriceScan

__all__ = ["Graph", "Solution", "graph_of", "optimise", "solve"]

# Dense assignment is cubic: ~0.3 s at 1,500 x 1,500 on a small machine; beyond, go sparse.
DENSE_LIMIT = 1500 * 1500
CANDIDATES = 8  # chunks per person whose best cell starts as a candidate (see RESULTS.md)
PRICE_PER_ROW = 8  # cells above their prices added per row and pricing round
WARM_LIMIT = 3  # a round that adds at most this many cells per row warm-starts the next
# Pruning could in principle bring the same edges back and forth; this bounds the rounds (a
# stop there leaves valid pairs). Benchmarks need about 10.
MAX_ROUNDS = 100
TOLERANCE = 1e-4  # a cell must beat its prices by more than this (float32 rounding is less)
# Enumerating roles costs 2**k assignments, so only for a few ambiguous people on small pools.
EXACT_EITHER = 10
EXACT_CELLS = 2_000_000  # 2**k times the number of allowed pairs
ROLE_FLIP_ROUNDS = 3
# The relaxation only suggests roles, so its pricing may stop early (RESULTS.md: exact
# relaxations gave no better roles, and cost seconds at 20,000).
RELAXATION_ROUNDS = 3
SWITCH_ROUNDS = 3  # batch role switches of idle ambiguous people (each one solve)


def graph_of(size: int, rows: IntArray, cols: IntArray, matrix: ScoreMatrix) -> Graph:
    """Every allowed pair on small pools, else each person's few best candidates."""
    complete = len(rows) * len(cols) <= DENSE_LIMIT
    r, c, v = matrix.allowed_cells() if complete else matrix.candidates(CANDIDATES)
    keep = v > 0
    none = np.zeros(0, dtype=np.int64)
    empty = Graph(size, rows, cols, none, none, np.zeros(0), matrix, complete)
    return empty.with_cells(r[keep], c[keep], v[keep])


def solve(
    graph: Graph, mentors: BoolArray, mentees: BoolArray, rounds: int | None = None
) -> tuple[Solution, Graph]:
    """The best pairs with these roles allowed (exact unless ``rounds`` cuts pricing short),
    and the graph grown by pricing."""
    row_ok, col_ok = mentors[graph.rows], mentees[graph.cols]
    # The last solve's prices (with other roles, maybe) are a good start: any start is correct.
    prices = graph.prices
    if prices is not None:
        last_u, last_v = prices
        prices = (
            np.where(np.isfinite(last_u), last_u, 0.0),
            np.where(np.isfinite(last_v), last_v, 0.0),
        )
    scan = PriceScan(graph.matrix)
    for _ in range(MAX_ROUNDS if rounds is None else rounds):
        solution, u, v = _solve_edges(graph, row_ok, col_ok, prices)
        if graph.complete:
            break
        r, c, values = scan.violations(u, v, PRICE_PER_ROW, TOLERANCE)
        # Exact prices never point at an edge already in the graph; should rounding ever do
        # so, stopping is safe (the pairs are valid) and guarantees the loop ends.
        known = np.isin(r * len(graph.cols) + c, graph.r * len(graph.cols) + graph.c)
        if known.all():
            break
        graph = graph.pruned(u, v, row_ok, col_ok).with_cells(r[~known], c[~known], values[~known])
        # Prices help the next solve only when few cells change them; after a large round
        # they mislead it, and a solve from scratch is quicker.
        prices = (u, v) if np.count_nonzero(~known) <= WARM_LIMIT * len(graph.rows) else None
    return solution, replace(graph, prices=(u, v))


def _solve_edges(
    graph: Graph,
    row_ok: BoolArray,
    col_ok: BoolArray,
    prices: tuple[FloatArray, FloatArray] | None,
) -> tuple[Solution, FloatArray, FloatArray]:
    """The best pairs on the graph's edges, with dual prices per row and column.

    Rows and columns that may not take part get price ``inf`` (no cell of theirs is wanted);
    those that may but have no edge get 0.
    """
    u, v = np.where(row_ok, 0.0, np.inf), np.where(col_ok, 0.0, np.inf)
    keep = row_ok[graph.r] & col_ok[graph.c]
    if not keep.any():
        none = np.zeros(0, dtype=np.int64)
        return Solution(none, none, np.zeros(0)), u, v
    row_ids, r = np.unique(graph.r[keep], return_inverse=True)
    col_ids, c = np.unique(graph.c[keep], return_inverse=True)
    w = graph.score[keep]
    slots = None if graph.capacity is None else Slots(graph.capacity[graph.cols[col_ids]])
    if slots is not None:  # learners with room for several partners: one column per place
        r, c, w = slots.edges(r, c, w)
    m, n = len(row_ids), len(col_ids) if slots is None else slots.count
    if m * n <= DENSE_LIMIT:
        # A 0 cell means "not paired": any matching extends to a full assignment with zeros.
        matrix = np.zeros((m, n))
        matrix[r, c] = w
        ri, ci = linear_sum_assignment(matrix, maximize=True)
        won = matrix[ri, ci] > 0
        ri, ci, values = ri[won], ci[won], matrix[ri[won], ci[won]]
    elif prices is None:
        ri, ci, values = cold_matching(r, c, w, m, n)
    else:
        v_start = prices[1][col_ids]
        v_start = v_start if slots is None else slots.slot_prices(v_start)
        ri, ci, values = warm_matching(r, c, w, prices[0][row_ids], v_start)
    if not graph.complete:
        u_found, v_found = duals(r, c, w, ri, ci, values)
        u[row_ids] = u_found
        v[col_ids] = v_found if slots is None else slots.column_prices(v_found)
    if slots is not None:
        ci = slots.owner(ci)
    people = Solution(graph.rows[row_ids[ri]], graph.cols[col_ids[ci]], values)
    return people, u, v


# ---------------------------------------------------------------------------------------------
# "Either" people: one role each


def optimise(
    graph: Graph, may_mentor: BoolArray | None = None, may_mentee: BoolArray | None = None
) -> tuple[Solution, Graph]:
    """The best pairs of the scored graph (exact or heuristic, see the package docstring), with
    only the people ``may_mentor`` and ``may_mentee`` allow in each role (default: everyone)."""
    mentors = np.zeros(graph.size, dtype=bool)
    mentees = np.zeros(graph.size, dtype=bool)
    mentors[graph.mentor] = True  # only people with an allowed partner in that role
    mentees[graph.mentee] = True
    if may_mentor is not None:
        mentors &= may_mentor
    if may_mentee is not None:
        mentees &= may_mentee
    ambiguous = np.flatnonzero(mentors & mentees)
    if len(ambiguous) == 0:
        return solve(graph, mentors, mentees)
    if len(ambiguous) <= EXACT_EITHER and len(graph.score) << len(ambiguous) <= EXACT_CELLS:
        return _enumerate_roles(graph, mentors, mentees, ambiguous)
    relaxed, graph = solve(graph, mentors, mentees, RELAXATION_ROUNDS)
    fixed_m, fixed_e = _roles_from_relaxation(graph, relaxed, mentors, mentees)
    best, graph = solve(graph, fixed_m, fixed_e)
    best, graph, fixed_m, fixed_e = _switch_idle_roles(graph, fixed_m, fixed_e, ambiguous, best)
    if graph.complete:
        best, graph = _flip_roles(graph, fixed_m, fixed_e, ambiguous, best)
    return best, graph


def _switch_idle_roles(
    graph: Graph, mentors: BoolArray, mentees: BoolArray, ambiguous: IntArray, best: Solution
) -> tuple[Solution, Graph, BoolArray, BoolArray]:
    """Everyone ambiguous left unmatched tries the other role, all at once, while that helps.

    The current pairs stay possible (those people were in none of them), so the new optimum is
    never lower: one solve per round, whatever the pool's size.
    """
    for _ in range(SWITCH_ROUNDS):
        matched = np.zeros(graph.size, dtype=bool)
        matched[best.mentors] = matched[best.mentees] = True
        idle = ambiguous[~matched[ambiguous]]
        if len(idle) == 0:
            break
        trial_m, trial_e = mentors.copy(), mentees.copy()
        trial_m[idle], trial_e[idle] = ~mentors[idle], ~mentees[idle]
        found, graph = solve(graph, trial_m, trial_e)
        if found.total <= best.total + 1e-9:
            break
        best, mentors, mentees = found, trial_m, trial_e
    return best, graph, mentors, mentees


def _enumerate_roles(
    graph: Graph, mentors: BoolArray, mentees: BoolArray, ambiguous: IntArray
) -> tuple[Solution, Graph]:
    """Exact for few ambiguous people: try every choice of role, keep the best."""
    best, graph = solve(graph, mentors & ~mentees, mentees & ~mentors)
    for choice in itertools.product((True, False), repeat=len(ambiguous)):
        as_mentor = np.array(choice, dtype=bool)
        trial_m, trial_e = mentors.copy(), mentees.copy()
        trial_m[ambiguous], trial_e[ambiguous] = as_mentor, ~as_mentor
        found, graph = solve(graph, trial_m, trial_e)
        if found.total > best.total + 1e-9:
            best = found
    return best, graph


def _roles_from_relaxation(
    graph: Graph, relaxed: Solution, mentors: BoolArray, mentees: BoolArray
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
    graph: Graph, mentors: BoolArray, mentees: BoolArray, ambiguous: IntArray, best: Solution
) -> tuple[Solution, Graph]:
    """Local search: flip the role of an ambiguous person left out, keep it if the total rises."""
    for _ in range(ROLE_FLIP_ROUNDS):
        matched = np.zeros(graph.size, dtype=bool)
        matched[best.mentors] = matched[best.mentees] = True
        improved = False
        for person in ambiguous[~matched[ambiguous]]:
            trial_m, trial_e = mentors.copy(), mentees.copy()
            trial_m[person], trial_e[person] = not mentors[person], not mentees[person]
            found, graph = solve(graph, trial_m, trial_e)
            if found.total > best.total + 1e-9:
                best, mentors, mentees, improved = found, trial_m, trial_e, True
        if not improved:
            break
    return best, graph
