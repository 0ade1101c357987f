"""Matching helpers: people, random organisations, the hard rules and a brute force, written out
independently of the engine (with capacity, kept pairs, exclusions and a quality floor)."""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from hypothesis import strategies as st

from bot.domain.matching import CrossDepartment, Kind, Person, match
from bot.domain.states import Meeting, Side, Style

TOPICS = ("video", "ai", "data", "lead", "strategy")
Org = tuple[list[Person], dict[str, str | None], set[frozenset[str]]]


def person(user_id: str, side: str = "either", stage: int = 2, **changes: object) -> Person:
    """A person with neutral defaults, changed where a test cares."""
    base = Person(
        user_id=user_id,
        side=Side(side),
        stage=stage,
        department="eng",
        manager=None,
        shares=frozenset(),
        learns=frozenset(),
        style=Style.BETWEEN,
        meeting=Meeting.EITHER,
        utc_offset_minutes=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@st.composite
def organisations(draw: st.DrawFn, max_people: int = 14) -> Org:
    """Random people, a reporting tree through non-participant managers, and history."""
    n = draw(st.integers(0, max_people))
    outsiders = [f"X{i}" for i in range(draw(st.integers(0, 4)))]
    ids = [f"U{i}" for i in range(n)]
    everyone = outsiders + ids
    boss = {
        who: draw(st.sampled_from([None, *everyone[:i]])) if i else None
        for i, who in enumerate(everyone)
    }
    cycle = draw(st.booleans())
    if everyone and cycle:  # bad data: a cycle
        boss[everyone[0]] = everyone[-1]
    people = [
        Person(
            user_id=uid,
            side=draw(st.sampled_from(list(Side))),
            stage=draw(st.integers(0, 4)),
            department=draw(st.sampled_from(["eng", "sales", "hr"])),
            manager=boss[uid],
            shares=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=5))),
            learns=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
            style=draw(st.sampled_from(list(Style))),
            meeting=draw(st.sampled_from(list(Meeting))),
            utc_offset_minutes=draw(st.sampled_from([-480, -300, 0, 60, 330, 540])),
            paused=draw(st.integers(0, 5)) == 0,
            waited=draw(st.integers(0, 4)) == 0,
        )
        for uid in ids
    ]
    pairs = list(itertools.combinations(ids, 2))
    history = {frozenset(p) for p in draw(st.lists(st.sampled_from(pairs)))} if pairs else set()
    return people, {o: boss[o] for o in outsiders}, history


@st.composite
def controls(
    draw: st.DrawFn, ids: Sequence[str]
) -> tuple[set[tuple[str, str]], set[frozenset[str]]]:
    """Pairs to keep (some impossible, some clashing) and pairs never to propose."""
    known = [*ids, "ghost"]
    ordered = list(itertools.permutations(known, 2)) if len(known) >= 2 else []
    keep = set(draw(st.lists(st.sampled_from(ordered), max_size=4))) if ordered else set()
    never = (
        {frozenset(p) for p in draw(st.lists(st.sampled_from(ordered), max_size=4))}
        if ordered
        else set()
    )
    clash = draw(st.booleans())
    if keep and clash:  # a kept pair also excluded
        never.add(frozenset(sorted(keep)[0]))
    return keep, never


def chain_above(user: str, links: Mapping[str, str | None]) -> set[str]:
    """Everyone above a person, following links until they end or loop."""
    seen: set[str] = set()
    boss = links.get(user)
    while boss is not None and boss not in seen and boss != user:
        seen.add(boss)
        boss = links.get(boss)
    return seen


def links_of(people: Sequence[Person], managers: Mapping[str, str | None]) -> dict[str, str | None]:
    """One manager per person, as the generated organisation has."""
    return {**managers, **{p.user_id: p.manager for p in people}}


def allowed(
    mentor: Person,
    mentee: Person,
    *,
    kind: Kind,
    links: Mapping[str, str | None],
    history: Collection[frozenset[str]],
    cross: CrossDepartment,
) -> bool:
    """The hard constraints, written out independently of the engine."""
    direction = {
        "reverse": mentor.stage < mentee.stage,
        "traditional": mentor.stage > mentee.stage,
        "peer": abs(mentor.stage - mentee.stage) <= 1,
    }[kind]
    return (
        mentor.user_id != mentee.user_id
        and not mentor.paused
        and not mentee.paused
        and mentor.side in ("share", "either")
        and mentee.side in ("learn", "either")
        and direction
        and (cross == "preferred" or mentor.department != mentee.department)
        and frozenset((mentor.user_id, mentee.user_id)) not in history
        and mentor.user_id not in chain_above(mentee.user_id, links)
        and mentee.user_id not in chain_above(mentor.user_id, links)
    )


def single_pair_score(mentor: Person, mentee: Person, kind: Kind, cross: CrossDepartment) -> float:
    """The engine's score of one allowed pair, from a pool of just the two of them."""
    solo = [
        replace(mentor, manager=None, paused=False, side=Side.SHARE),
        replace(mentee, manager=None, paused=False, side=Side.LEARN),
    ]
    result = match(solo, kind=kind, history=set(), cross_department=cross)
    assert len(result.pairs) == 1
    return result.pairs[0].score


def brute_force_total(
    people: Sequence[Person],
    score: Callable[[Person, Person], float | None],
    *,
    partners: int,
    forced: Collection[tuple[str, str]] = (),
    reaches: Callable[[float], bool] = lambda _: True,
) -> float:
    """The best total over every feasible choice of pairs, by enumeration (8 people at most).

    ``score`` gives an allowed (mentor, mentee) pair's score, None when the rules forbid it;
    a pair is proposed only if its score ``reaches`` the floor. Each person takes one role; a
    mentor has at most one partner, a mentee at most ``partners``; every ``forced`` pair is in,
    whatever the floor. -inf if that is impossible.
    """
    active = [p for p in people if not p.paused]
    forced_of = dict(forced)
    forced_mentees = {e for _, e in forced}
    either = [p for p in active if p.side == Side.EITHER]
    best = float("-inf")
    for choice in itertools.product((True, False), repeat=len(either)):
        as_mentor = dict(zip((p.user_id for p in either), choice, strict=True))
        mentors = [p for p in active if as_mentor.get(p.user_id, p.side == Side.SHARE)]
        mentees = [p for p in active if not as_mentor.get(p.user_id, p.side == Side.SHARE)]
        names = {p.user_id for p in mentees}
        if any(m not in {p.user_id for p in mentors} for m in forced_of) or not (
            forced_mentees <= names
        ):
            continue
        found = _best_given_roles(mentors, mentees, score, reaches, partners, forced_of)
        best = max(best, found)
    return best


def _best_given_roles(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    score: Callable[[Person, Person], float | None],
    reaches: Callable[[float], bool],
    partners: int,
    forced: Mapping[str, str],
) -> float:
    options: list[list[tuple[int, float]]] = []
    for m in mentors:
        if m.user_id in forced:
            j = next(j for j, e in enumerate(mentees) if e.user_id == forced[m.user_id])
            pinned = score(m, mentees[j])
            assert pinned is not None  # forced pairs are allowed ones
            options.append([(j, pinned)])
            continue
        row = [(-1, 0.0)]
        for j, e in enumerate(mentees):
            value = score(m, e)
            if value is not None and reaches(value):
                row.append((j, value))
        options.append(row)

    @functools.cache
    def best(i: int, load: tuple[int, ...]) -> float:
        if i == len(options):
            return 0.0
        found = float("-inf")
        for j, value in options[i]:
            if j < 0:
                found = max(found, best(i + 1, load))
            elif load[j] < partners:
                after = load[:j] + (load[j] + 1,) + load[j + 1 :]
                found = max(found, value + best(i + 1, after))
        return found

    return best(0, (0,) * len(mentees))


def medium_pool(n: int, seed: int, juniors_per_senior: int = 1) -> list[Person]:
    """A bipartite pool (no "either") with reporting lines, topics, zones and departments."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        junior = i % (juniors_per_senior + 1) != 0
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
