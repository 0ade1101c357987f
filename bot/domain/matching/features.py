"""Everyone as numpy arrays, and the pairs the hard constraints forbid outright."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.matching.model import (
    GENERALIST_MIN_TOPICS,
    SPECIALIST_MAX_TOPICS,
    BoolArray,
    F32Array,
    FloatArray,
    IntArray,
    Person,
    frequency_level,
)
from bot.domain.states import Side, Style


@dataclass(frozen=True)
class Features:
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
    frequency: IntArray  # 0 monthly, 1 twice a month, 2 weekly
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


def features(active: Sequence[Person], forbidden: tuple[IntArray, IntArray]) -> Features:
    """The active people as arrays, with the forbidden pairs both ways and everyone's self."""
    n = len(active)
    topics = {t: i for i, t in enumerate(sorted({t for p in active for t in p.shares | p.learns}))}
    breadth = np.array([len(p.shares) for p in active], dtype=np.int64)
    side = np.array([p.side for p in active], dtype=str)
    meeting_code = {"video": 0, "in_person": 1, "either": 2}
    self_pairs = np.arange(n, dtype=np.int64)
    return Features(
        people=tuple(active),
        can_mentor=side != Side.LEARN,
        can_mentee=side != Side.SHARE,
        stage=np.array([p.stage for p in active], dtype=np.int64),
        department=_codes([p.department for p in active]),
        introvert=np.array([p.style == Style.INTROVERT for p in active], dtype=bool),
        extrovert=np.array([p.style == Style.EXTROVERT for p in active], dtype=bool),
        specialist=breadth <= SPECIALIST_MAX_TOPICS,
        generalist=breadth >= GENERALIST_MIN_TOPICS,
        offset=np.array([p.utc_offset_minutes for p in active], dtype=np.int64),
        meeting=np.array([meeting_code[p.meeting] for p in active], dtype=np.int64),
        frequency=np.array([frequency_level(p.meetings_per_month) for p in active], np.int64),
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


def forbidden_pairs(
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
