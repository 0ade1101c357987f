"""The release rule, attacked with random histories: no two stats requests, compared, isolate
fewer than k people (answers in blocks; people figures in snapshots).

HYPOTHESIS_LONG=1 runs 20,000 examples of each property instead of 500 (a few minutes:
add `--timeout=0`, as each test runs past the default per-test timeout).
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import anonymity
from bot.domain.anonymity import OTHER

EXAMPLES = 20_000 if os.environ.get("HYPOTHESIS_LONG") else 500
VALUES = (1, 2, 3, 4, 5)


@dataclass
class Block:
    """A released block as the model keeps it: the coarsened cells and who is in each."""

    shown: dict[Any, int]
    people_in: dict[Any, set[int]] = field(default_factory=dict)


def released_block(
    answers: list[tuple[int, int]], minimum: int
) -> tuple[dict[Any, int], dict[Any, set[int]]] | None:
    """Release one block of (person, value) answers exactly as the close job does."""
    per_person: dict[int, int] = {}
    for person, _ in answers:
        per_person[person] = per_person.get(person, 0) + 1
    cells = {value: sum(1 for _, v in answers if v == value) for value in VALUES}
    out = anonymity.release_block(
        {"score": cells},
        people=len(per_person),
        most_per_person=max(per_person.values(), default=1),
        minimum=minimum,
    )
    if out is None:
        return None
    shown = out["score"]
    people_in: dict[Any, set[int]] = {}
    for person, value in answers:
        key = value if value in shown else OTHER
        people_in.setdefault(key, set()).add(person)
    return shown, people_in


# A period: who answered (person ids from a small pool, some twice), with which value.
period = st.lists(st.tuples(st.integers(0, 14), st.sampled_from(VALUES)), max_size=14)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    periods=st.lists(period, min_size=1, max_size=10),
    configured=st.integers(0, 8),
    requests=st.lists(st.integers(0, 10), min_size=2, max_size=5),
)
def test_no_two_stats_requests_isolate_fewer_than_k_people_who_answered(
    periods: list[list[tuple[int, int]]], configured: int, requests: list[int]
) -> None:
    minimum = anonymity.minimum_group(configured)
    released: list[Block] = []
    released_after: list[int] = []  # how many blocks were out after each period closed
    waiting: list[tuple[int, int]] = []
    for answers in periods:
        waiting += answers
        block = released_block(waiting, minimum)
        if block is not None:
            released.append(Block(*block))
            waiting = []
        released_after.append(len(released))

    def shown_at(closed: int) -> dict[Any, int]:
        n = released_after[min(closed, len(released_after) - 1)]
        return anonymity.combine(b.shown for b in released[:n])

    for first in requests:
        for second in requests:
            if first >= second:
                continue
            before, after = shown_at(first), shown_at(second)
            n0 = released_after[min(first, len(released_after) - 1)]
            n1 = released_after[min(second, len(released_after) - 1)]
            for key in set(before) | set(after):
                difference = after.get(key, 0) - before.get(key, 0)
                assert difference >= 0  # released blocks never change
                if difference:
                    people: set[int] = set()
                    for shown in released[n0:n1]:
                        people |= shown.people_in.get(key, set())
                    assert len(people) >= minimum, (key, difference, people)
            # Every single release, compared with nothing, is safe too.
            for key, value in after.items():
                if value:
                    people = set().union(*(b.people_in.get(key, set()) for b in released[:n1]))
                    assert len(people) >= minimum


STAGES = (0, 1, 2, 3, 4)
# A period's changes: people joining (with a stage) and people leaving (by index).
change = st.tuples(
    st.lists(st.sampled_from(STAGES), max_size=6), st.lists(st.integers(0, 40), max_size=3)
)


def snapshot(present: Mapping[int, int], minimum: int) -> dict[str, int | None]:
    by_stage = dict.fromkeys(STAGES, 0)
    for stage in present.values():
        by_stage[stage] += 1
    return anonymity.people_cells(
        "stages", {str(s): n for s, n in by_stage.items()}, minimum=minimum
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    changes=st.lists(change, min_size=1, max_size=12),
    configured=st.integers(0, 8),
    requests=st.lists(st.integers(0, 12), min_size=2, max_size=5),
)
def test_no_two_stats_requests_isolate_fewer_than_k_people_who_joined_or_left(
    changes: list[tuple[list[int], list[int]]], configured: int, requests: list[int]
) -> None:
    minimum = anonymity.minimum_group(configured)
    present: dict[int, int] = {}
    next_id = 0
    shown: list[dict[str, int | None]] = []  # every snapshot released so far
    latest_after: list[dict[str, int | None] | None] = []
    for joins, leaves in changes:
        for stage in joins:
            present[next_id] = stage
            next_id += 1
        for index in leaves:
            if present:
                del present[sorted(present)[index % len(present)]]
        candidate = snapshot(present, minimum)
        if anonymity.may_release(candidate, shown, minimum=minimum):
            shown.append(candidate)
        latest_after.append(shown[-1] if shown else None)
    seen = [latest_after[min(r, len(latest_after) - 1)] for r in requests]
    for one in seen:
        for other in seen:
            if one is None or other is None:
                continue
            for key in set(one) | set(other):
                a, b = one.get(key, 0), other.get(key, 0)
                if a is not None and b is not None:
                    assert abs(a - b) == 0 or abs(a - b) >= minimum, (key, a, b)
    for one in seen:
        for value in (one or {}).values():
            assert value is None or value == 0 or value >= minimum


def test_one_pair_never_releases_anything() -> None:
    # Two people, ten check-ins each: the block never reaches 5 people, so it waits forever.
    answers = [(person, 5) for person in (1, 2) for _ in range(10)]
    assert released_block(answers, 5) is None


def test_a_block_counts_people_not_answers() -> None:
    # Five people answered "4" but one of them twice: the cell of six rests on five people.
    answers = [(1, 4), (1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (6, 2)]
    block = released_block(answers, 5)
    assert block is not None
    shown, _ = block
    # Six answers of "4" at most two a person could be three people: merged with the "2".
    assert shown == {1: 0, 3: 0, 5: 0, OTHER: 7}


def test_a_group_moving_into_other_is_not_released() -> None:
    # Nobody paused, then one person did: "paused 0" would become part of "other".
    before = anonymity.people_cells("paused", {"active": 12, "paused": 0}, minimum=5)
    after = anonymity.people_cells("paused", {"active": 11, "paused": 1}, minimum=5)
    assert after == {"paused/total": 12, "paused/other": 12}
    assert not anonymity.may_release(after, [before], minimum=5)
    later = anonymity.people_cells("paused", {"active": 7, "paused": 5}, minimum=5)
    assert anonymity.may_release(later, [before], minimum=5)
