"""The org chart as the authority on reporting lines: the engine never crosses a chain of reports
from the chart or from a survey answer, at any depth, and stays exact (brute force)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.matching import CrossDepartment, Kind, Person, match
from bot.domain.org_chart import chain_above, disagreements
from tests.support.matching import Org, allowed, organisations, person, single_pair_score

PREFERRED = CrossDepartment.PREFERRED


def above_all(user: str, links: Mapping[str, set[str]]) -> set[str]:
    """Everyone above a person through any of their managers (chart and survey)."""
    found: set[str] = set()
    stack = list(links.get(user, ()))
    while stack:
        boss = stack.pop()
        if boss not in found:
            found.add(boss)
            stack.extend(links.get(boss, ()))
    return found


def brute_force(people: Sequence[Person], ok: dict[frozenset[int], float]) -> float:
    def best(free: frozenset[int]) -> float:
        if len(free) < 2:
            return 0.0
        first = min(free)
        rest = free - {first}
        options = [best(rest)]
        options += [ok[k] + best(rest - {o}) for o in rest if (k := frozenset((first, o))) in ok]
        return max(options)

    return best(frozenset(range(len(people))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org=organisations(max_people=8), kind=st.sampled_from(list(Kind)), data=st.data())
def test_chart_and_survey_lines_both_hold_and_the_optimum_stays_exact(
    org: Org, kind: Kind, data: st.DataObject
) -> None:
    people, outsiders, history = org
    everyone = [*outsiders, *(p.user_id for p in people)]
    # The chart may disagree with what each person answered in the survey.
    chart = {p.user_id: data.draw(st.sampled_from([None, *everyone])) for p in people}
    managers = {**outsiders, **chart}
    result = match(
        people, kind=kind, history=history, managers=managers, cross_department=PREFERRED
    )
    links: dict[str, set[str]] = {}
    for user, boss in [*managers.items(), *((p.user_id, p.manager) for p in people)]:
        if boss is not None and boss != user:
            links.setdefault(user, set()).add(boss)

    def ok(a: Person, b: Person) -> bool:
        return (
            allowed(a, b, kind=kind, links={}, history=history, cross=PREFERRED)
            and a.user_id not in above_all(b.user_id, links)
            and b.user_id not in above_all(a.user_id, links)
        )

    by_id = {p.user_id: p for p in people}
    for pair in result.pairs:
        assert ok(by_id[pair.mentor], by_id[pair.mentee])
    weights: dict[frozenset[int], float] = {}
    for i, a in enumerate(people):
        for j, b in enumerate(people):
            if ok(a, b):
                key = frozenset((i, j))
                weights[key] = max(weights.get(key, 0.0), single_pair_score(a, b, kind, PREFERRED))
    expected = brute_force(people, weights)
    assert result.total_score == pytest.approx(expected, rel=1e-5, abs=1e-5)


def test_a_three_level_chain_in_the_chart_alone_forbids_every_pair_across_it() -> None:
    # C manages B manages A; nobody named a manager in the survey.
    a, b, c = person("A", "share", 0), person("B", "either", 2), person("C", "learn", 4)
    d, e = person("D", "share", 0), person("E", "learn", 4)
    chart = {"A": "B", "B": "C"}
    unconstrained = match([a, b, c], kind=Kind.REVERSE, history=(), cross_department=PREFERRED)
    assert unconstrained.pairs  # without the chart, the chain would be paired
    result = match(
        [a, b, c, d, e],
        kind=Kind.REVERSE,
        history=(),
        managers=chart,
        cross_department=PREFERRED,
    )
    pairs = {frozenset((p.mentor, p.mentee)) for p in result.pairs}
    assert not any(pair <= {"A", "B", "C"} for pair in pairs)
    assert len(pairs) == 2


def test_the_chain_above_stops_at_a_cycle() -> None:
    assert chain_above("A", {"A": "B", "B": "C"}) == ["B", "C"]
    assert chain_above("A", {"A": "B", "B": "A"}) == ["B"]
    assert chain_above("A", {}) == []


def test_disagreements_count_only_charted_people_who_named_someone_else() -> None:
    answers = {"A": "B", "B": None, "C": "X", "D": "Y", "E": "Z"}
    chart = {"A": "B", "C": "Q", "E": None}
    # A agrees, B named nobody, C disagrees, D is not in the chart, E is at the top there.
    assert disagreements(answers, chart, charted={"A", "B", "C", "E"}) == 2
