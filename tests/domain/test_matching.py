"""The matching engine: hard constraints hold, the optimum is optimal, reasons read right."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from bot.domain import matching
from bot.domain.matching import (
    DEFAULT_WEIGHTS,
    CrossDepartment,
    Kind,
    Match,
    MatchResult,
    Person,
    Reason,
    Unmatched,
    describe,
    describe_unmatched,
    match,
    reason_from_dict,
    reason_to_dict,
    reasons_for,
    scoring,
    solving,
)
from bot.domain.states import Meeting, Side, Style
from tests.support.matching import allowed, links_of, organisations, person, single_pair_score

TOPICS = ("video", "ai", "data", "lead", "strategy")
KINDS: tuple[Kind, ...] = tuple(Kind)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    org=organisations(),
    kind=st.sampled_from(KINDS),
    cross=st.sampled_from(["required", "preferred"]),
)
def test_hard_constraints_always_hold(
    org: tuple[list[Person], dict[str, str | None], set[frozenset[str]]],
    kind: Kind,
    cross: CrossDepartment,
) -> None:
    people, managers, history = org
    result = match(people, kind=kind, history=history, managers=managers, cross_department=cross)
    by_id = {p.user_id: p for p in people}
    links = links_of(people, managers)
    seen: list[str] = []
    for pair in result.pairs:
        assert allowed(
            by_id[pair.mentor],
            by_id[pair.mentee],
            kind=kind,
            links=links,
            history=history,
            cross=cross,
        )
        assert pair.score > 0
        seen += [pair.mentor, pair.mentee]
    assert len(seen) == len(set(seen))
    left = [u.user_id for u in result.unmatched]
    assert sorted(seen + left) == sorted(by_id)
    for u in result.unmatched:
        assert (u.reason == "paused") == by_id[u.user_id].paused
        has_partner = any(
            allowed(by_id[u.user_id], q, kind=kind, links=links, history=history, cross=cross)
            or allowed(q, by_id[u.user_id], kind=kind, links=links, history=history, cross=cross)
            for q in people
        )
        if not by_id[u.user_id].paused:
            assert (u.reason == "odd_one_out") == has_partner


HEURISTIC_MODES = {
    "relaxation_and_role_flips": {"EXACT_EITHER": 0},
    "pricing_on_few_candidates": {"EXACT_EITHER": 0, "DENSE_LIMIT": 4, "CANDIDATES": 1},
}
# The sparse solver with pricing is exact: on tiny pools it must match brute force too.
EXACT_MODES = {"dense": {}, "pricing_on_few_candidates": {"DENSE_LIMIT": 4, "CANDIDATES": 1}}


@pytest.mark.parametrize("mode", sorted(HEURISTIC_MODES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org=organisations(), kind=st.sampled_from(KINDS))
def test_heuristic_paths_keep_every_hard_constraint(
    mode: str, org: tuple[list[Person], dict[str, str | None], set[frozenset[str]]], kind: Kind
) -> None:
    people, managers, history = org
    with pytest.MonkeyPatch.context() as patch:
        for name, value in HEURISTIC_MODES[mode].items():
            patch.setattr(solving, name, value)
        result = match(
            people,
            kind=kind,
            history=history,
            managers=managers,
            cross_department=CrossDepartment.PREFERRED,
        )
    by_id, links = {p.user_id: p for p in people}, links_of(people, managers)
    paired = [u for p in result.pairs for u in (p.mentor, p.mentee)]
    assert len(paired) == len(set(paired))
    assert sorted(paired + [u.user_id for u in result.unmatched]) == sorted(by_id)
    for pair in result.pairs:
        mentor, mentee = by_id[pair.mentor], by_id[pair.mentee]
        assert allowed(
            mentor, mentee, kind=kind, links=links, history=history, cross=CrossDepartment.PREFERRED
        )
        assert pair.score == pytest.approx(
            single_pair_score(mentor, mentee, kind, CrossDepartment.PREFERRED)
        )


def brute_force_total(
    people: Sequence[Person],
    *,
    kind: Kind,
    links: Mapping[str, str | None],
    history: set[frozenset[str]],
    cross: CrossDepartment,
) -> float:
    """The best total over every valid matching, by enumeration (small pools only)."""
    weight: dict[frozenset[int], float] = {}
    for (i, a), (j, b) in itertools.permutations(enumerate(people), 2):
        if allowed(a, b, kind=kind, links=links, history=history, cross=cross):
            key = frozenset((i, j))
            weight[key] = max(weight.get(key, 0.0), single_pair_score(a, b, kind, cross))

    def best(free: frozenset[int]) -> float:
        if len(free) < 2:
            return 0.0
        first, rest = min(free), free - {min(free)}
        options = [best(rest)]
        for other in rest:
            if (key := frozenset((first, other))) in weight:
                options.append(weight[key] + best(rest - {other}))
        return max(options)

    return best(frozenset(range(len(people))))


@pytest.mark.parametrize("mode", sorted(EXACT_MODES))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    org=organisations(max_people=8),
    kind=st.sampled_from(KINDS),
    cross=st.sampled_from(["required", "preferred"]),
)
def test_total_equals_brute_force_on_small_pools(
    mode: str,
    org: tuple[list[Person], dict[str, str | None], set[frozenset[str]]],
    kind: Kind,
    cross: CrossDepartment,
) -> None:
    people, managers, history = org
    with pytest.MonkeyPatch.context() as patch:
        for name, value in EXACT_MODES[mode].items():
            patch.setattr(solving, name, value)
        result = match(
            people, kind=kind, history=history, managers=managers, cross_department=cross
        )
    expected = brute_force_total(
        people, kind=kind, links=links_of(people, managers), history=history, cross=cross
    )
    assert result.total_score == pytest.approx(expected, rel=1e-5, abs=1e-5)


def medium_pool(n: int, seed: int) -> list[Person]:
    """A bipartite pool (no "either") with reporting lines, topics, zones and departments."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        junior = i % 2 == 0
        people.append(
            Person(
                user_id=f"P{i}",
                side=Side.SHARE if junior else Side.LEARN,
                stage=rng.randint(0, 1) if junior else rng.randint(2, 4),
                department=rng.choice(["eng", "sales", "hr", "ops"]),
                manager=f"P{rng.randrange(i)}" if i and rng.random() < 0.3 else None,
                shares=frozenset(rng.sample(TOPICS, rng.randint(0, 4))),
                learns=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
                style=rng.choice(list(Style)),
                meeting=rng.choice(list(Meeting)),
                utc_offset_minutes=rng.choice([-480, -300, 0, 60, 330, 540]),
                paused=rng.random() < 0.05,
                waited=rng.random() < 0.1,
            )
        )
    return people


def test_pricing_reaches_the_exact_optimum_where_candidates_alone_do_not() -> None:
    people = medium_pool(400, seed=5)
    history = {frozenset((f"P{i}", f"P{i + 1}")) for i in range(0, 400, 3)}
    links = links_of(people, {})
    # The reference: a dense assignment over every allowed pair, built without the engine's
    # matrix (hard constraints written out above, scores pair by pair in float64).
    mentors = [p for p in people if p.side == "share" and not p.paused]
    mentees = [p for p in people if p.side == "learn" and not p.paused]
    rules = {"kind": "reverse", "links": links, "history": history, "cross": "preferred"}
    cells = [
        (i, j)
        for i, a in enumerate(mentors)
        for j, b in enumerate(mentees)
        if allowed(a, b, **rules)  # type: ignore[arg-type]
    ]
    problem = matching.prepare(
        people, Kind.REVERSE, history, {}, CrossDepartment.PREFERRED, DEFAULT_WEIGHTS
    )
    index = {p.user_id: k for k, p in enumerate(problem.f.people)}
    a = np.array([index[mentors[i].user_id] for i, _ in cells])
    b = np.array([index[mentees[j].user_id] for _, j in cells])
    dense = np.zeros((len(mentors), len(mentees)))
    dense[tuple(np.array(cells).T)] = scoring.pair_scores(problem, a, b)
    r, c = linear_sum_assignment(dense, maximize=True)
    optimum = dense[r, c].sum()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solving, "DENSE_LIMIT", 100)  # every solve sparse, even the small ones
        patch.setattr(solving, "CANDIDATES", 1)
        graph = matching.scored_graph(problem)
        everyone = np.ones(graph.size, dtype=bool)
        candidates_only, _, _ = solving._solve_edges(graph, everyone, everyone, None)
        result = match(
            people, kind=Kind.REVERSE, history=history, cross_department=CrossDepartment.PREFERRED
        )
    assert candidates_only.total < optimum - 1.0  # the restriction alone misses the optimum
    assert result.total_score == pytest.approx(optimum, rel=1e-6)
    for pair in result.pairs:
        by_id = {p.user_id: p for p in people}
        assert allowed(by_id[pair.mentor], by_id[pair.mentee], **rules)  # type: ignore[arg-type]


def test_an_optimal_assignment_beats_greedy() -> None:
    # b and y met before. Greedy takes the best pair (a-x) and strands b and y; the optimum
    # pairs a-y and b-x.
    a = person("a", "share", 0, shares=frozenset({"video", "ai"}))
    b = person("b", "share", 0, shares=frozenset({"video"}))
    x = person("x", "learn", 4, learns=frozenset({"video", "ai"}))
    y = person("y", "learn", 4, learns=frozenset({"ai"}))
    history = {frozenset({"b", "y"})}
    result = match(
        [a, b, x, y], kind=Kind.REVERSE, history=history, cross_department=CrossDepartment.PREFERRED
    )
    assert {(p.mentor, p.mentee) for p in result.pairs} == {("a", "y"), ("b", "x")}


def test_either_people_take_the_role_that_helps_the_whole_pool() -> None:
    # The middle person mentors the senior when that pairs everyone... or is mentored by the
    # junior: only one of the two lets all four be paired.
    junior = person("j", "share", 0, shares=frozenset({"ai"}))
    middle = person("m", "either", 2, learns=frozenset({"ai"}), shares=frozenset({"data"}))
    senior = person("s", "learn", 4, learns=frozenset({"data"}))
    senior2 = person("t", "either", 3, learns=frozenset({"data"}), shares=frozenset({"lead"}))
    result = match(
        [junior, middle, senior, senior2],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
    )
    assert len(result.pairs) == 2
    assert not result.unmatched


def test_manager_chains_through_non_participants_and_cycles() -> None:
    boss = person("boss", "learn", 4, learns=frozenset({"ai"}))
    report = person("rep", "share", 0, manager="mid", shares=frozenset({"ai"}))
    managers = {"mid": "boss", "boss": "rep"}  # a cycle in bad data must not hang
    result = match(
        [boss, report],
        kind=Kind.REVERSE,
        history=set(),
        managers=managers,
        cross_department=CrossDepartment.PREFERRED,
    )
    assert result.pairs == ()
    assert {u.reason for u in result.unmatched} == {"no_eligible_partner"}


def test_history_and_required_departments_are_respected() -> None:
    a = person("a", "share", 0, department="eng")
    b = person("b", "learn", 4, department="eng")
    c = person("c", "learn", 4, department="hr")
    required = match(
        [a, b], kind=Kind.REVERSE, history=set(), cross_department=CrossDepartment.REQUIRED
    )
    assert required.pairs == ()
    again = match(
        [a, c],
        kind=Kind.REVERSE,
        history={frozenset({"a", "c"})},
        cross_department=CrossDepartment.PREFERRED,
    )
    assert again.pairs == ()
    preferred = match(
        [a, b], kind=Kind.REVERSE, history=set(), cross_department=CrossDepartment.PREFERRED
    )
    assert len(preferred.pairs) == 1


def hand_built_pair() -> tuple[Match, Person, Person]:
    sam = person(
        "sam",
        "share",
        0,
        department="marketing",
        shares=frozenset({"video"}),
        learns=frozenset({"strategy"}),
        style=Style.EXTROVERT,
        meeting=Meeting.VIDEO,
        utc_offset_minutes=60,
        waited=True,
    )
    kim = person(
        "kim",
        "learn",
        4,
        department="finance",
        shares=frozenset({"strategy", "lead", "data", "ai", "ops"}),
        learns=frozenset({"video", "ai"}),
        style=Style.INTROVERT,
        meeting=Meeting.EITHER,
        utc_offset_minutes=180,
    )
    result = match(
        [sam, kim], kind=Kind.REVERSE, history=set(), cross_department=CrossDepartment.PREFERRED
    )
    (pair,) = result.pairs
    return pair, sam, kim


def test_reasons_name_the_topics_and_every_preference() -> None:
    pair, sam, kim = hand_built_pair()
    assert (pair.mentor, pair.mentee) == ("sam", "kim")
    assert pair.reasons == reasons_for(sam, kim)
    codes = {r.code: r for r in pair.reasons}
    assert codes["teaches"].topics == ("video",)
    assert codes["learns_back"].topics == ("strategy",)
    assert codes["hours"].hours == 6.0
    assert codes["breadth"].roles == ("mentor",)
    assert codes["meeting"].mode == "video"
    assert codes["waited"].roles == ("mentor",)
    assert {"cross_department", "style", "frequency"} <= set(codes)  # both: twice a month
    w = DEFAULT_WEIGHTS
    expected = (
        w.base
        + w.teaches
        + w.learns_back
        + w.cross_department
        + w.style
        + w.breadth
        + w.hours * 6 / 8
        + w.meeting
        + w.frequency
        + w.waited
    )
    assert pair.score == pytest.approx(expected)


def test_how_often_people_can_meet_is_a_compatibility_term() -> None:
    _, sam, kim = hand_built_pair()
    # One step apart (twice a month with weekly) scores half; monthly with weekly, nothing.
    for sams, kims, share in ((2, 4, 0.5), (1, 4, 0.0), (4, 4, 1.0), (1, 1, 1.0)):
        result = match(
            [replace(sam, meetings_per_month=sams), replace(kim, meetings_per_month=kims)],
            kind=Kind.REVERSE, history=set(), cross_department=CrossDepartment.PREFERRED,
        )  # fmt: skip
        (pair,) = result.pairs
        baseline, _, _ = hand_built_pair()
        expected = baseline.score - DEFAULT_WEIGHTS.frequency * (1 - share)
        assert pair.score == pytest.approx(expected)
        assert ("frequency" in {r.code for r in pair.reasons}) == (share == 1.0)
    # Between two otherwise equal learners, the one who hopes to meet as often is chosen.
    weekly_kim = replace(kim, user_id="kim2", meetings_per_month=4)
    result = match(
        [replace(sam, meetings_per_month=4), kim, weekly_kim],
        kind=Kind.REVERSE, history=set(), cross_department=CrossDepartment.PREFERRED,
    )  # fmt: skip
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("sam", "kim2")]


def test_describe_speaks_to_each_person() -> None:
    pair, _, _ = hand_built_pair()
    names = {"sam": "Sam", "kim": "Kim"}
    labels = {"video": "short-form video", "strategy": "strategy"}
    to_kim = describe(pair, viewer="kim", names=names, topic_labels=labels)
    assert to_kim == [
        "Sam can share short-form video; you want to learn it",
        "in return, you can share strategy; Sam wants to learn it",
        "you work in different departments",
        "one of you is more introvert, the other more extrovert",
        "Sam goes deep on a few topics; you know a wide range",
        "your working hours overlap by 6 hours",
        "you can both meet by video",
        "you both hope to meet equally often",
    ]
    to_sam = describe(pair, viewer="sam", names=names, topic_labels=labels)
    assert to_sam[0] == "you can share short-form video; Kim wants to learn it"
    assert to_sam[-1] == "you waited last round, so you were first in line this time"
    to_owner = describe(pair, viewer=None, names=names, topic_labels=labels)
    assert "they work in different departments" in to_owner
    assert "Sam waited last round" in to_owner


def test_reasons_survive_storage() -> None:
    pair, _, _ = hand_built_pair()
    stored = [reason_to_dict(r) for r in pair.reasons]
    assert tuple(reason_from_dict(d) for d in stored) == pair.reasons
    with pytest.raises(ValueError):
        reason_from_dict({"code": "astrology"})
    assert reason_from_dict({"code": "teaches", "topics": ["a", "b"]}) == Reason(
        "teaches", topics=("a", "b")
    )


def test_unmatched_reasons() -> None:
    resting = person("rest", "share", 0, paused=True)
    junior = person("jun", "share", 0)
    senior = person("sen", "learn", 4)
    senior2 = person("sen2", "learn", 4)
    lonely = person("lone", "share", 4)  # nobody is senior to them: nobody to mentor
    result: MatchResult = match(
        [resting, junior, senior, senior2, lonely],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
    )
    reasons = {u.user_id: u.reason for u in result.unmatched}
    assert reasons["rest"] == "paused"
    assert reasons["lone"] == "no_eligible_partner"
    assert reasons[({"sen", "sen2"} - {result.pairs[0].mentee}).pop()] == "odd_one_out"
    for reason in ("paused", "no_eligible_partner", "odd_one_out"):
        assert describe_unmatched(Unmatched("u", reason))


def test_duplicate_people_are_refused() -> None:
    with pytest.raises(ValueError):
        match(
            [person("a"), person("a")],
            kind=Kind.PEER,
            history=set(),
            cross_department=CrossDepartment.PREFERRED,
        )
