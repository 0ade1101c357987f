"""The owner's controls: capacity, kept pairs, exclusions, fit labels and the quality floor,
with the hard rules kept and brute-force optimality on small pools."""

from __future__ import annotations

from collections import Counter
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
    Changes,
    CrossDepartment,
    Fit,
    FitScale,
    Kind,
    MatchResult,
    Move,
    Person,
    RefusedPin,
    Unmatched,
    compare,
    describe_changes,
    describe_refused,
    describe_unmatched,
    match,
    scoring,
    solving,
)
from bot.domain.matching.model import FIT_TIE
from tests.support.matching import (
    Org,
    allowed,
    brute_force_total,
    controls,
    links_of,
    medium_pool,
    organisations,
    person,
    single_pair_score,
)

KINDS: tuple[Kind, ...] = tuple(Kind)
FLOORS: list[Fit | float | None] = [None, Fit.WEAK, Fit.GOOD, Fit.STRONG, 4.0]
EXACT_MODES = {"dense": {}, "pricing_on_few_candidates": {"DENSE_LIMIT": 4, "CANDIDATES": 1}}
ALL_MODES = {
    **EXACT_MODES,
    "relaxation_and_role_flips": {"EXACT_EITHER": 0},
    "heuristic_pricing": {"EXACT_EITHER": 0, "DENSE_LIMIT": 4, "CANDIDATES": 1},
}


class Rules:
    """The hard rules of one generated case, and everyone's allowed partners."""

    def __init__(
        self, org: Org, kind: Kind, cross: CrossDepartment, never: set[frozenset[str]]
    ) -> None:
        self.people, managers, history = org
        self.by_id = {p.user_id: p for p in self.people}
        self.kind, self.cross = kind, cross
        self.links = links_of(self.people, managers)
        self.forbidden = history | never
        self.scores: dict[tuple[str, str], float] = {}

    def allows(self, mentor: Person, mentee: Person) -> bool:
        return allowed(
            mentor,
            mentee,
            kind=self.kind,
            links=self.links,
            history=self.forbidden,
            cross=self.cross,
        )

    def score(self, mentor: Person, mentee: Person) -> float | None:
        if not self.allows(mentor, mentee):
            return None
        key = (mentor.user_id, mentee.user_id)
        if key not in self.scores:
            self.scores[key] = single_pair_score(mentor, mentee, self.kind, self.cross)
        return self.scores[key]

    def allowed_scores(self) -> list[float]:
        found = (self.score(a, b) for a in self.people for b in self.people)
        return [s for s in found if s is not None]


def reaches(scale: FitScale | None, floor: Fit | float | None, score: float) -> bool:
    """The quality floor, from its documented rule."""
    if floor is None or floor == Fit.WEAK:
        return True
    if isinstance(floor, Fit):
        assert scale is not None
        return scale.fit(score).rank >= floor.rank
    return score + FIT_TIE >= floor


def check_result(
    rules: Rules,
    result: MatchResult,
    *,
    partners: int,
    keep: set[tuple[str, str]],
    never: set[frozenset[str]],
    floor: Fit | float | None,
) -> None:
    """Every hard rule and control, checked against the engine's answer."""
    by_id, people = rules.by_id, rules.people
    mentors = Counter(p.mentor for p in result.pairs)
    mentees = Counter(p.mentee for p in result.pairs)
    assert max(mentors.values(), default=0) <= 1
    assert max(mentees.values(), default=0) <= partners
    assert not set(mentors) & set(mentees)  # one role each
    assert len({(p.mentor, p.mentee) for p in result.pairs}) == len(result.pairs)
    for pair in result.pairs:
        assert rules.allows(by_id[pair.mentor], by_id[pair.mentee])
        assert frozenset((pair.mentor, pair.mentee)) not in never
        assert pair.kept == ((pair.mentor, pair.mentee) in keep)
        if not pair.kept:
            assert reaches(result.scale, floor, pair.score)
        assert result.scale is not None and pair.fit == result.scale.fit(pair.score)
    ranked = sorted(result.pairs, key=lambda p: p.score)
    assert [p.fit.rank for p in ranked] == sorted(p.fit.rank for p in ranked)
    kept = {(p.mentor, p.mentee) for p in result.pairs if p.kept}
    refused = {(r.mentor, r.mentee): r.reason for r in result.refused}
    assert kept | set(refused) == keep and not kept & set(refused)
    for (mentor, mentee), reason in refused.items():
        a, b = by_id.get(mentor), by_id.get(mentee)
        if a is None or b is None or a.paused or b.paused or a == b:
            assert reason == "not_in_pool"
        elif frozenset((mentor, mentee)) in never:
            assert reason == "excluded"
        elif not rules.allows(a, b):
            assert reason == "not_allowed"
        else:  # it clashes with a kept pair
            assert reason == "taken"
            assert (
                mentor in mentors
                or mentor in mentees
                or mentee in mentors
                or mentees[mentee] >= partners
            )
        assert describe_refused(RefusedPin(mentor, mentee, reason))
    paired = set(mentors) | set(mentees)
    left = {u.user_id: u.reason for u in result.unmatched}
    assert paired | set(left) == set(by_id) and not paired & set(left)
    for user, why in left.items():
        me = by_id[user]
        assert (why == "paused") == me.paused
        if me.paused:
            continue
        scores = [rules.score(me, q) for q in people] + [rules.score(q, me) for q in people]
        possible = [s for s in scores if s is not None]
        good = [s for s in possible if reaches(result.scale, floor, s)]
        expected = "odd_one_out" if good else "no_good_match" if possible else "no_eligible_partner"
        assert why == expected
    assert all(describe_unmatched(u) for u in result.unmatched)


def matched_with_controls(
    overrides: Mapping[str, object],
    data: st.DataObject,
    org: Org,
    kind: Kind,
    cross: CrossDepartment,
    partners: int,
    floor: Fit | float | None,
) -> tuple[Rules, MatchResult]:
    """Match a random organisation with random controls on one solver path; check the result."""
    people, managers, history = org
    keep, never = data.draw(controls([p.user_id for p in people]))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in overrides.items():
            patch.setattr(solving, name, value)
        result = match(
            people,
            kind=kind,
            history=history,
            managers=managers,
            cross_department=cross,
            partners_per_person=partners,
            keep=keep,
            never=never,
            quality_floor=floor,
        )
    rules = Rules(org, kind, cross, never)
    check_result(rules, result, partners=partners, keep=keep, never=never, floor=floor)
    return rules, result


@pytest.mark.parametrize("mode", sorted(ALL_MODES))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    org=organisations(max_people=12),
    kind=st.sampled_from(KINDS),
    cross=st.sampled_from(list(CrossDepartment)),
    partners=st.integers(1, 3),
    floor=st.sampled_from(FLOORS),
)
def test_controls_keep_every_hard_constraint(
    mode: str,
    data: st.DataObject,
    org: Org,
    kind: Kind,
    cross: CrossDepartment,
    partners: int,
    floor: Fit | float | None,
) -> None:
    matched_with_controls(ALL_MODES[mode], data, org, kind, cross, partners, floor)


@pytest.mark.parametrize("mode", sorted(EXACT_MODES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    org=organisations(max_people=8),
    kind=st.sampled_from(KINDS),
    cross=st.sampled_from(list(CrossDepartment)),
    partners=st.integers(1, 3),
    floor=st.sampled_from(FLOORS),
)
def test_total_equals_brute_force_with_controls(
    mode: str,
    data: st.DataObject,
    org: Org,
    kind: Kind,
    cross: CrossDepartment,
    partners: int,
    floor: Fit | float | None,
) -> None:
    rules, result = matched_with_controls(
        EXACT_MODES[mode], data, org, kind, cross, partners, floor
    )
    spread = rules.allowed_scores()
    assert result.scale is not None
    if spread:  # the documented rule: the median and the 90th percentile of the allowed pairs
        good, strong = np.percentile(spread, [50, 90])
        assert result.scale.good_from == pytest.approx(good, abs=1e-5)
        assert result.scale.strong_from == pytest.approx(strong, abs=1e-5)
    forced = [(p.mentor, p.mentee) for p in result.pairs if p.kept]
    expected = brute_force_total(
        org[0],  # the people
        rules.score,
        partners=partners,
        forced=forced,
        reaches=lambda s: reaches(result.scale, floor, s),
    )
    assert result.total_score == pytest.approx(expected, rel=1e-5, abs=1e-5)


@given(
    good=st.floats(0, 20),
    extra=st.floats(0, 10),
    scores=st.lists(st.floats(0, 40), min_size=2, max_size=30),
)
def test_fit_labels_are_monotone_in_the_score(
    good: float, extra: float, scores: Sequence[float]
) -> None:
    scale = FitScale(good, good + extra)
    ordered = sorted(scores)
    ranks = [scale.fit(s).rank for s in ordered]
    assert ranks == sorted(ranks)
    assert list(scale.ranks(np.array(ordered))) == ranks


def test_equal_scores_are_all_good_fits() -> None:
    scale = FitScale(3.0, 3.0)
    assert scale.fit(3.0) == Fit.GOOD
    assert scale.fit(2.0) == Fit.WEAK
    assert FitScale(3.0, 5.0).fit(5.0) == Fit.STRONG


def reverse(people: Sequence[Person], **controls: object) -> MatchResult:
    """A reverse programme with cross-department pairs preferred, and these controls."""
    return match(
        people,
        kind=Kind.REVERSE,
        history=set(),
        cross_department=CrossDepartment.PREFERRED,
        **controls,  # type: ignore[arg-type]
    )


def test_a_learner_takes_up_to_partners_per_person() -> None:
    juniors = [person(f"j{i}", "share", 0, shares=frozenset({"ai"})) for i in range(3)]
    senior = person("s", "learn", 4, learns=frozenset({"ai"}))
    one = reverse([*juniors, senior])
    two = reverse([*juniors, senior], partners_per_person=2)
    assert len(one.pairs) == 1
    assert len(two.pairs) == 2 and {p.mentee for p in two.pairs} == {"s"}
    assert [u.reason for u in two.unmatched] == ["odd_one_out"]
    with pytest.raises(ValueError):
        reverse([*juniors, senior], partners_per_person=0)


def swap_pool() -> list[Person]:
    # a teaches x two topics and y one; b teaches x one: the optimum is a-x, b-y.
    return [
        person("a", "share", 0, shares=frozenset({"video", "ai"})),
        person("b", "share", 0, shares=frozenset({"video"}), department="hr"),
        person("x", "learn", 4, learns=frozenset({"video", "ai"})),
        person("y", "learn", 4, learns=frozenset({"video"}), department="hr"),
    ]


def test_a_kept_pair_stays_and_the_rest_is_matched_around_it() -> None:
    before = reverse(swap_pool())
    assert {(p.mentor, p.mentee) for p in before.pairs} == {("a", "x"), ("b", "y")}
    after = reverse(swap_pool(), keep={("a", "y")})
    assert {(p.mentor, p.mentee, p.kept) for p in after.pairs} == {
        ("a", "y", True),
        ("b", "x", False),
    }
    changes = compare(before, after)
    assert changes.kept == (("a", "y"),)
    assert changes.moves == (Move("b", "y", "x"),)
    assert changes.total_change is not None and changes.total_change < 0
    names = {"a": "Ann", "b": "Bo", "x": "Xi", "y": "Yan"}
    percent = round(-100 * changes.total_change)
    assert describe_changes(changes, names=names) == (
        f"keeping Ann with Yan moved Bo from Yan to Xi; total fit \N{MINUS SIGN}{percent}%"
    )


def test_never_pairs_are_never_proposed() -> None:
    result = reverse(swap_pool(), never={frozenset({"a", "x"})})
    pairs = {(p.mentor, p.mentee) for p in result.pairs}
    assert ("a", "x") not in pairs and len(pairs) == 2
    changes = compare(reverse(swap_pool()), result)
    assert not changes.kept
    assert describe_changes(changes, names={}).startswith("moved a from x to y and moved b")


def test_kept_pairs_the_rules_refuse_are_reported_back() -> None:
    pool = [
        *swap_pool(),
        person("boss", "learn", 4),
        person("rep", "share", 0, manager="boss"),
        person("rest", "share", 0, paused=True),
    ]
    keep = {("rep", "boss"), ("rest", "x"), ("a", "x"), ("a", "y"), ("b", "y"), ("x", "a")}
    result = reverse(pool, keep=keep, never={frozenset({"b", "y"})})
    refused = {(r.mentor, r.mentee): r.reason for r in result.refused}
    assert refused == {
        ("rep", "boss"): "not_allowed",  # reporting line
        ("rest", "x"): "not_in_pool",  # paused
        ("a", "y"): "taken",  # a already kept with x (pins are taken in sorted order)
        ("b", "y"): "excluded",
        ("x", "a"): "not_allowed",  # sides and seniority
    }
    assert [(p.mentor, p.mentee) for p in result.pairs if p.kept] == [("a", "x")]
    assert {describe_refused(r) for r in result.refused} >= {
        "you also asked never to pair them",
        "another pair you kept already uses one of them",
    }


def floor_pool() -> list[Person]:
    return [
        person("j1", "share", 0, shares=frozenset({"ai"})),
        person("j2", "share", 0),
        person("s1", "learn", 4, learns=frozenset({"ai"})),
        person("s2", "learn", 4, learns=frozenset({"ai"})),
        person("s3", "learn", 4),
    ]


def test_the_quality_floor_leaves_people_over_with_the_right_reason() -> None:
    loose = reverse(floor_pool())
    # Only j1 teaches what s1 and s2 want (score 6.0); the four other pairs score 3.0, the
    # median: good, not weak (everyone hopes to meet twice a month: 0.5 each).
    assert loose.scale == FitScale(3.0, 6.0)
    assert sorted(p.fit for p in loose.pairs) == [Fit.GOOD, Fit.STRONG]
    strict = reverse(floor_pool(), quality_floor=4.0)
    ((pair,),) = [strict.pairs]
    assert pair.mentor == "j1" and pair.fit == Fit.STRONG
    reasons = {u.user_id: u.reason for u in strict.unmatched}
    other = ({"s1", "s2"} - {pair.mentee}).pop()
    assert reasons == {"j2": "no_good_match", "s3": "no_good_match", other: "odd_one_out"}
    assert describe_unmatched(Unmatched("j2", "no_good_match")).startswith("no good match")
    assert reverse(floor_pool(), quality_floor=Fit.STRONG).pairs == strict.pairs
    assert reverse(floor_pool(), quality_floor=Fit.GOOD).pairs == loose.pairs
    kept = reverse(floor_pool(), quality_floor=4.0, keep={("j2", "s3")})
    assert ("j2", "s3", Fit.GOOD) in {(p.mentor, p.mentee, p.fit) for p in kept.pairs}


def test_describe_changes_names_a_few_moves_and_counts_the_rest() -> None:
    changes = Changes(
        kept=(),
        moves=(Move("a", None, "x"), Move("b", "y", None), Move("c", "p", "q")),
        total_before=100.0,
        total_after=103.0,
        pairs_before=3,
        pairs_after=3,
    )
    assert describe_changes(changes, names={"a": "Ann"}, limit=2) == (
        "paired Ann with x, split b from y and 1 more change; total fit +3%"
    )
    same = Changes((), (), 10.0, 10.0, 1, 1)
    assert describe_changes(same, names={}) == "no pair changed; total fit unchanged"
    many = Changes((("a", "x"), ("b", "y"), ("c", "z")), (), 1000.0, 999.7, 3, 3)
    assert describe_changes(many, names={}, limit=1) == (
        "keeping a with x and 2 more kept pairs changed no other pair; "
        "total fit \N{MINUS SIGN}0.03%"
    )


def test_pricing_with_capacity_reaches_the_dense_optimum() -> None:
    people = medium_pool(400, seed=7, juniors_per_senior=3)  # two places for three juniors
    history = {frozenset((f"P{i}", f"P{i + 1}")) for i in range(0, 300, 3)}
    mentors = [p for p in people if p.side == "share" and not p.paused]
    mentees = [p for p in people if p.side == "learn" and not p.paused]
    rules = Rules((people, {}, history), Kind.REVERSE, CrossDepartment.PREFERRED, set())
    problem = matching.prepare(
        people, Kind.REVERSE, history, {}, CrossDepartment.PREFERRED, DEFAULT_WEIGHTS
    )
    index = {p.user_id: k for k, p in enumerate(problem.f.people)}
    cells = [
        (i, j) for i, a in enumerate(mentors) for j, b in enumerate(mentees) if rules.allows(a, b)
    ]
    a = np.array([index[mentors[i].user_id] for i, _ in cells])
    b = np.array([index[mentees[j].user_id] for _, j in cells])
    dense = np.zeros((len(mentors), len(mentees)))
    dense[tuple(np.array(cells).T)] = scoring.pair_scores(problem, a, b)
    twice = np.repeat(dense, 2, axis=1)  # two places per learner
    r, c = linear_sum_assignment(twice, maximize=True)
    optimum = twice[r, c].sum()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solving, "DENSE_LIMIT", 100)
        patch.setattr(solving, "CANDIDATES", 1)
        graph = replace(matching.scored_graph(problem), capacity=np.full(len(problem.f.people), 2))
        everyone = np.ones(graph.size, dtype=bool)
        candidates_only, _, _ = solving._solve_edges(graph, everyone, everyone, None)
        result = reverse(people, partners_per_person=2)
    assert candidates_only.total < optimum - 1.0  # pricing has work to do
    assert result.total_score == pytest.approx(optimum, rel=1e-6)
    assert max(Counter(p.mentee for p in result.pairs).values()) == 2


@pytest.mark.parametrize("mode", sorted(EXACT_MODES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    org=organisations(max_people=8),
    kind=st.sampled_from(KINDS),
    cross=st.sampled_from(list(CrossDepartment)),
)
def test_a_rerun_with_two_places_keeps_its_pins_and_stays_optimal(
    mode: str, data: st.DataObject, org: Org, kind: Kind, cross: CrossDepartment
) -> None:
    """The preview's journey at capacity 2: match, then keep some proposed pairs (and maybe an
    allowed pair not proposed) and exclude others; the re-run is the brute-force optimum."""
    people, managers, history = org

    def run(keep: set[tuple[str, str]], never: set[frozenset[str]]) -> MatchResult:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in EXACT_MODES[mode].items():
                patch.setattr(solving, name, value)
            return match(
                people,
                kind=kind,
                history=history,
                managers=managers,
                cross_department=cross,
                partners_per_person=2,
                keep=keep,
                never=never,
            )

    before = run(set(), set())
    proposed = sorted((p.mentor, p.mentee) for p in before.pairs)
    rules = Rules(org, kind, cross, set())
    by_id = rules.by_id
    others = sorted(
        (a.user_id, b.user_id)
        for a in people
        for b in people
        if a != b and (a.user_id, b.user_id) not in proposed and rules.allows(a, b)
    )
    keep: set[tuple[str, str]] = set()
    if proposed:
        keep.update(data.draw(st.lists(st.sampled_from(proposed), max_size=2)))
    add_other: bool = data.draw(st.booleans())
    if others and add_other:
        keep.add(data.draw(st.sampled_from(others)))
    excluded = [p for p in proposed if p not in keep]
    never = (
        {frozenset(p) for p in data.draw(st.lists(st.sampled_from(excluded), max_size=2))}
        if excluded
        else set()
    )
    after = run(keep, never)
    rules = Rules(org, kind, cross, never)
    check_result(rules, after, partners=2, keep=keep, never=never, floor=None)
    forced = [(p.mentor, p.mentee) for p in after.pairs if p.kept]
    expected = brute_force_total(people, rules.score, partners=2, forced=forced)
    assert after.total_score == pytest.approx(expected, rel=1e-5, abs=1e-5)
    assert after.total_score <= before.total_score + 1e-6  # controls never raise the optimum
    changes = compare(before, after)
    assert set(changes.kept) <= {(p.mentor, p.mentee) for p in after.pairs}
    assert all(m.user_id in by_id for m in changes.moves)


def test_a_kept_pair_takes_one_of_the_learners_places() -> None:
    juniors = [person(f"j{i}", "share", 0, shares=frozenset({"ai"})) for i in range(4)]
    seniors = [person("s", "learn", 4, learns=frozenset({"ai"})), person("t", "learn", 4)]
    pool = [*juniors, *seniors]
    before = reverse(pool, partners_per_person=2)
    assert Counter(p.mentee for p in before.pairs) == {"s": 2, "t": 2}
    # Keeping j3 with s (already proposed or not) leaves s one more place, never two.
    after = reverse(pool, partners_per_person=2, keep={("j3", "s")}, never={frozenset({"j0", "t"})})
    assert Counter(p.mentee for p in after.pairs) == {"s": 2, "t": 2}
    assert ("j3", "s", True) in {(p.mentor, p.mentee, p.kept) for p in after.pairs}
    assert ("j0", "t") not in {(p.mentor, p.mentee) for p in after.pairs}
    two = reverse(pool, partners_per_person=2, keep={("j0", "s"), ("j1", "s"), ("j2", "s")})
    assert [(r.mentor, r.reason) for r in two.refused] == [("j2", "taken")]
    assert Counter(p.mentee for p in two.pairs) == {"s": 2, "t": 2}
