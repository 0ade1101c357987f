"""The minimum shared working time is a hard matching rule, and the optimum stays exact."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.matching import CrossDepartment, Kind, Person, describe_unmatched, match
from bot.domain.working_hours import WorkingHours, enough_overlap
from tests.support.matching import (
    Org,
    allowed,
    brute_force_total,
    links_of,
    organisations,
    person,
    single_pair_score,
)

LONDON = WorkingHours(tz="Europe/London")
NEW_YORK = WorkingHours(tz="America/New_York")
BERLIN = WorkingHours(tz="Europe/Berlin")
KOLKATA = WorkingHours(tz="Asia/Kolkata")
LOS_ANGELES = WorkingHours(tz="America/Los_Angeles")
EARLY_LONDON = WorkingHours(tz="Europe/London", start=time(7), end=time(13))
HOURS = [LONDON, NEW_YORK, BERLIN, KOLKATA, LOS_ANGELES, EARLY_LONDON, None]


@st.composite
def hours_organisations(draw: st.DrawFn) -> Org:
    people, managers, history = draw(organisations(max_people=8))
    people = [replace(p, hours=draw(st.sampled_from(HOURS))) for p in people]
    return people, managers, history


def short(a: Person, b: Person, minimum: int) -> bool:
    return (
        minimum > 0
        and a.hours is not None
        and b.hours is not None
        and not enough_overlap(a.hours, b.hours, minimum)
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    org=hours_organisations(),
    kind=st.sampled_from(list(Kind)),
    cross=st.sampled_from(["required", "preferred"]),
    minimum=st.sampled_from([0, 60, 240]),
)
def test_no_pair_below_the_minimum_and_the_total_is_still_the_optimum(
    org: Org, kind: Kind, cross: CrossDepartment, minimum: int
) -> None:
    people, managers, history = org
    result = match(
        people,
        kind=kind,
        history=history,
        managers=managers,
        cross_department=cross,
        min_overlap_minutes=minimum,
    )
    by_id = {p.user_id: p for p in people}
    for pair in result.pairs:
        assert not short(by_id[pair.mentor], by_id[pair.mentee], minimum)
    links = links_of(people, managers)

    def score(mentor: Person, mentee: Person) -> float | None:
        rules = allowed(mentor, mentee, kind=kind, links=links, history=history, cross=cross)
        if not rules or short(mentor, mentee, minimum):
            return None
        return single_pair_score(mentor, mentee, kind, cross)

    expected = brute_force_total(people, score, partners=1)
    assert result.total_score == pytest.approx(max(expected, 0.0), rel=1e-5, abs=1e-5)


def test_kolkata_and_los_angeles_are_never_proposed_and_the_preview_says_why() -> None:
    learner = person("kol", "learn", stage=4, hours=KOLKATA, learns=frozenset({"ai"}))
    sharer = person("la", "share", stage=0, hours=LOS_ANGELES, shares=frozenset({"ai"}))
    assert not enough_overlap(KOLKATA, LOS_ANGELES)
    result = match(
        [learner, sharer],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
    )
    assert len(result.pairs) == 1  # without the rule they would be paired
    ruled = match(
        [learner, sharer],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
        min_overlap_minutes=60,
    )
    assert ruled.pairs == ()
    assert {u.reason for u in ruled.unmatched} == {"no_shared_hours"}
    assert describe_unmatched(ruled.unmatched[0]) == "no partner with enough shared working hours"


def test_london_and_new_york_share_enough_and_are_paired() -> None:
    learner = person("ny", "learn", stage=4, hours=NEW_YORK)
    sharer = person("ldn", "share", stage=0, hours=LONDON)
    result = match(
        [learner, sharer],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
        min_overlap_minutes=60,
    )
    assert [(p.mentor, p.mentee) for p in result.pairs] == [("ldn", "ny")]


def test_someone_refused_by_other_rules_keeps_the_older_reason() -> None:
    learner = person("kol", "learn", stage=0, hours=KOLKATA)
    sharer = person("la", "share", stage=0, hours=LOS_ANGELES)  # same stage: not reverse
    ruled = match(
        [learner, sharer],
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
        min_overlap_minutes=60,
    )
    assert {u.reason for u in ruled.unmatched} == {"no_eligible_partner"}
