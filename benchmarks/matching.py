"""Benchmark of the matching engine on a synthetic organisation.

Run: ``python benchmarks/matching.py [--sizes 1000 10000 20000] [--reference-up-to 10000]
[--either 0] [--partners 1 2]``

For each size N it builds an organisation (a reporting tree with non-participant managers,
12 departments, 16 topics, 8 time zones, N/2 past pairs, 15-50% "either" people by stage, a
few paused and waited), runs a reverse programme through the engine's own steps and prints:
seconds for scoring (features, the full score matrix, first candidates), for solving (pricing
rounds, roles, pairs with reasons), in total, and the CPU seconds of that total (all threads:
other processes on the machine slow the wall clock, not this); peak memory; pairs; the edges
the solver ended with; total score; a greedy baseline (best pair first, on those edges); and
two references.

"dense" is the exact assignment (``linear_sum_assignment``) on the whole score matrix, where
"either" people may take both roles at once: the exact optimum when nobody is "either"
(``--either 0``), else an upper bound. It is cubic, so it runs only up to --reference-up-to.
"relaxed" is that same relaxation solved by the engine's own pricing (only with "either"
people), so it is also an upper bound on the optimum, available at every size.

``--partners`` runs each size once per capacity (a learner takes up to that many partners):
the dense reference then gives each learner's column that many places, and "learners" counts
the distinct learners paired (pairs minus learners: those with two partners). The capacity-2
case of RESULTS.md: ``--sizes 10000 --either 0 --partners 1 2 --reference-up-to 10000``.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain import matching  # noqa: E402
from bot.domain.matching import Person, controls, results, solving  # noqa: E402

TOPICS = [f"topic_{i:02d}" for i in range(16)]
OFFSETS = np.array([-480, -300, 0, 60, 120, 330, 480, 540])
OFFSET_WEIGHTS = np.array([0.1, 0.2, 0.25, 0.2, 0.1, 0.07, 0.04, 0.04])


def organisation(
    n: int, seed: int = 1, either: float = 1.0
) -> tuple[list[Person], dict[str, str | None], set[frozenset[str]]]:
    """N participants among 1.25 N employees, their managers, and past pairs."""
    rng = np.random.default_rng(seed)
    employees = int(n * 1.25)
    # A reporting tree: each employee reports to someone earlier, about 6 reports per manager.
    boss = np.concatenate([[-1], rng.integers(0, np.maximum(1, np.arange(1, employees) // 6))])
    depth = np.zeros(employees, dtype=int)
    top = np.zeros(employees, dtype=int)
    for i in range(1, employees):
        depth[i] = depth[boss[i]] + 1
        top[i] = i if boss[i] == 0 else top[boss[i]]
    ids = [f"U{i:06d}" for i in range(employees)]
    chosen = rng.choice(np.arange(1, employees), size=n, replace=False)
    in_pool = np.zeros(employees, dtype=bool)
    in_pool[chosen] = True
    managers = {ids[i]: ids[boss[i]] for i in range(1, employees) if not in_pool[i]}
    stage = np.clip(6 - depth + rng.integers(-1, 2, employees), 0, 4)
    people = [
        _person(rng, ids[i], ids[boss[i]], int(stage[i]), int(top[i]) % 12, either) for i in chosen
    ]
    left, right = rng.choice(n, size=(2, n // 2))
    history = {
        frozenset((people[a].user_id, people[b].user_id))
        for a, b in zip(left, right, strict=True)
        if a != b
    }
    return people, managers, history


def _person(
    rng: np.random.Generator, uid: str, boss: str, stage: int, dept: int, scale: float
) -> Person:
    either = rng.random() < scale * (0.5 if stage == 2 else 0.15)
    side = (
        "either"
        if either
        else ("share" if stage < 2 or (stage == 2 and rng.random() < 0.5) else "learn")
    )
    junior = stage <= 2
    digital, classic = TOPICS[:8], TOPICS[8:]
    shares = rng.choice(digital if junior else classic, size=rng.integers(1, 7), replace=False)
    learns = rng.choice(classic if junior else digital, size=rng.integers(1, 5), replace=False)
    return Person(
        user_id=uid,
        side=side,  # type: ignore[arg-type]
        stage=stage,
        department=f"dept_{dept}",
        manager=boss,
        shares=frozenset(shares.tolist()),
        learns=frozenset(learns.tolist()),
        style=("introvert", "extrovert", "between")[rng.integers(0, 3)],  # type: ignore[arg-type]
        meeting=("video", "in_person", "either")[rng.integers(0, 3)],  # type: ignore[arg-type]
        utc_offset_minutes=int(rng.choice(OFFSETS, p=OFFSET_WEIGHTS)),
        paused=bool(rng.random() < 0.03),
        waited=bool(rng.random() < 0.05),
    )


def greedy_total(graph: solving.Graph, partners: int) -> float:
    """Best pair first over the engine's final edges; an "either" person takes one role, a
    mentor one partner, a learner up to ``partners``."""
    as_mentor = np.zeros(graph.size, dtype=bool)
    taken = np.zeros(graph.size, dtype=int)
    total = 0.0
    for i in np.argsort(-graph.score, kind="stable"):
        a, b = graph.mentor[i], graph.mentee[i]
        if taken[a] == 0 and not as_mentor[b] and taken[b] < partners:
            as_mentor[a] = True
            taken[a] += 1
            taken[b] += 1
            total += float(graph.score[i])
    return total


def dense_reference(graph: solving.Graph, partners: int) -> float:
    """Exact assignment over every allowed pair, "either" people on both sides at once, each
    learner's column repeated once per place."""
    matrix = graph.matrix.dense()
    if partners > 1:
        matrix = np.repeat(matrix, partners, axis=1)
    r, c = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[r, c].sum())


def relaxation_bound(graph: solving.Graph) -> float:
    """The engine's own relaxation ("either" people on both sides), solved exactly by pricing."""
    everyone = np.ones(graph.size, dtype=bool)
    relaxed, _ = solving.solve(graph, everyone, everyone)  # capacity, if any, comes along
    return relaxed.total


def _cpu_seconds() -> float:
    """User plus system time of this process, all threads: shows what other load hides."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(n: int, reference_up_to: int, either: float, partners: int) -> dict[str, float]:
    """One size: time the engine's steps (those of ``matching.match``), then the baselines."""
    people, managers, history = organisation(n, either=either)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    problem = matching.prepare(
        people, "reverse", history, managers, "preferred", matching.DEFAULT_WEIGHTS
    )
    problem, matrix = matching.scored(problem)
    scale = controls.scale_of(matrix)
    allowed = results.reach_of(problem, matrix)
    graph = solving.graph_of(len(problem.f.people), problem.rows, problem.cols, matrix)
    if partners > 1:
        graph = dataclasses.replace(graph, capacity=np.full(graph.size, partners))
    scored = time.perf_counter()
    solution, grown = solving.optimise(graph)
    reach = results.Reach(allowed, allowed)
    result = matching.result(people, problem, graph, solution, scale=scale, reach=reach)
    done, cpu_done = time.perf_counter(), _cpu_seconds()
    row = {
        "n": n,
        "partners": partners,
        "scoring_s": scored - start,
        "solving_s": done - scored,
        "total_s": done - start,
        "cpu_s": cpu_done - cpu_start,
        "pairs": len(result.pairs),
        # Distinct learners paired: with capacity 2, pairs minus these is who got two partners.
        "learners": len({p.mentee for p in result.pairs}),
        "total": result.total_score,
        "greedy": greedy_total(grown, partners),
        "either": sum(p.side == "either" for p in people),
        "edges": len(grown.score),
    }
    # Peak of this process (one size per process), before the references add their own.
    row["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["relaxed"] = relaxation_bound(graph) if row["either"] else float("nan")
    row["dense"] = dense_reference(graph, partners) if n <= reference_up_to else float("nan")
    return row


def main() -> None:
    """Parse the sizes and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000])
    parser.add_argument("--reference-up-to", type=int, default=10000)
    parser.add_argument(
        "--either",
        type=float,
        default=1.0,
        help="scale of the share of 'either' people; 0 makes the problem bipartite, where the "
        "reference is the exact optimum",
    )
    parser.add_argument(
        "--partners",
        type=int,
        nargs="+",
        default=[1],
        help="partners per learner; each size runs once per value",
    )
    parser.add_argument("--quiet-header", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.quiet_header:
        print(
            f"{'N':>6} {'cap':>3} {'either':>6} {'score s':>8} {'solve s':>8} {'total s':>8} "
            f"{'cpu s':>6} {'peak MiB':>9} "
            f"{'pairs':>6} {'learners':>8} {'edges':>8} {'total':>10} {'greedy':>10} "
            f"{'relaxed':>10} {'dense':>10} {'of dense':>9}"
        )
    for n in args.sizes:
        for partners in args.partners:
            if len(args.sizes) > 1 or len(args.partners) > 1:  # one process each: peak memory
                command = [sys.executable, __file__, "--sizes", str(n), "--quiet-header"]
                command += [
                    "--reference-up-to",
                    str(args.reference_up_to),
                    "--either",
                    str(args.either),
                    "--partners",
                    str(partners),
                ]
                subprocess.run(command, check=True)
                continue
            _report(run(n, args.reference_up_to, args.either, partners))


def _report(r: dict[str, float]) -> None:
    """One line of figures."""
    share = f"{100 * r['total'] / r['dense']:.3f}%" if r["dense"] == r["dense"] else "n/a"
    print(
        f"{r['n']:>6} {r['partners']:>3} {r['either']:>6} {r['scoring_s']:>8.2f} "
        f"{r['solving_s']:>8.2f} {r['total_s']:>8.2f} {r['cpu_s']:>6.2f} {r['peak_mib']:>9.0f} "
        f"{r['pairs']:>6} {r['learners']:>8} {r['edges']:>8} {r['total']:>10.1f} "
        f"{r['greedy']:>10.1f} {r['relaxed']:>10.1f} {r['dense']:>10.1f} {share:>9}",
        flush=True,
    )


if __name__ == "__main__":
    main()
