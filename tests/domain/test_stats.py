"""A programme's figures from aggregate counts: what is shown, what is withheld, and why."""

from datetime import date, timedelta
from random import Random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import anonymity
from bot.domain.anonymity import Breakdown
from bot.domain.cadence import week_of
from bot.domain.stats import Counts, Figures, compare, figures
from tests.support.anonymity import revealed_groups

MONDAY = date(2026, 9, 7)


def healthy(**overrides: Any) -> Counts:
    values: dict[str, Any] = {
        "name": "Spring",
        "pilot": False,
        "minimum_group": 5,
        "sides": {"share": 20, "learn": 18, "either": 2},
        "stages": {0: 15, 1: 5, 3: 8, 4: 12},
        "paused_now": 6,
        "proposals": {"accepted": 16, "declined": 5, "expired": 0, "pending": 3},
        "active_pairs": 14,
        "pairs_ever": 16,
        "pair_periods": 40.0,
        "meetings": 60,
        "checkins_asked": 100,
        "checkins_answered": 80,
        "met": {"yes": 60, "no": 12, "rescheduled": 8},
        "usefulness": {5: 30, 4: 30, 3: 10, 2: 1, None: 9},
        "usefulness_sum": 150 + 120 + 30 + 2,
        "choices": {"continue": 10, "new_partner": 6, "stop": 1},
        "topics": {"digital_tools": 20, "feedback": 9, "ai": 2},
        "events": {"left": 3, "paused": 7},
        "comments_given": 12,
        "comment_sample": [f"note {n}" for n in range(10)],
        "signups_by_day": {MONDAY: 10, MONDAY + timedelta(days=2): 10, MONDAY + timedelta(14): 20},
        "checkins_by_week": {MONDAY: 40, MONDAY + timedelta(7): 40},
        "meetings_by_day": {MONDAY + timedelta(1): 60},
    }
    return Counts(**(values | overrides))


def test_a_healthy_programme_shows_its_figures() -> None:
    shown = figures(healthy(), rng=Random(1))
    assert shown.sides.total == 40
    # "either" (2) is too small, and "learn" is hidden with it so 40 - 20 tells nothing small.
    assert shown.sides.groups == (("share", 20), ("learn", None), ("either", None))
    assert shown.consent_rate == 16 / 21
    assert shown.active_pairs == 14
    assert shown.meetings_per_pair_per_cadence == 60 / 40
    assert shown.response_rate == 80 / 100
    # One "2" is withheld in the distribution, so the mean (which would give it away) is too.
    assert shown.average_usefulness is None
    every_score_shown = healthy(usefulness={5: 30, 4: 30, 3: 10, 2: 5, None: 9}, usefulness_sum=310)
    assert figures(every_score_shown, rng=Random(1)).average_usefulness == 310 / 75
    assert shown.leavers is None and shown.pauses == 7
    assert shown.round_end.shown() == {"continue": 10}
    assert shown.topics.groups[0] == ("digital_tools", 20)
    assert len(shown.comments) == 10
    assert [w for w, _ in shown.weekly.signups.groups] == [
        MONDAY,
        MONDAY + timedelta(7),
        MONDAY + timedelta(14),
    ]
    assert shown.weekly.signups.groups[1] == (MONDAY + timedelta(7), 0)


def test_a_tiny_programme_shows_almost_nothing() -> None:
    tiny = healthy(
        sides={"share": 2, "learn": 2},
        stages={0: 2, 4: 2},
        paused_now=1,
        proposals={"accepted": 2},
        active_pairs=2,
        pairs_ever=2,
        meetings=3,
        usefulness={4: 3},
        usefulness_sum=12,
        comments_given=3,
    )
    shown = figures(tiny, rng=Random(1))
    assert shown.sides.total is None and shown.sides.shown() == {}
    assert shown.consent_rate is None
    assert shown.active_pairs is None
    assert shown.meetings is None and shown.meetings_per_pair_per_cadence is None
    assert shown.average_usefulness is None
    assert shown.comments == ()


def test_the_owner_setting_raises_the_minimum_but_never_lowers_it() -> None:
    assert figures(healthy(minimum_group=2), rng=Random(1)).minimum == 5
    strict = figures(healthy(minimum_group=19), rng=Random(1))
    assert strict.minimum == 19
    assert strict.active_pairs is None  # 14 < 19


def test_weeks_start_on_week_of() -> None:
    assert week_of(date(2026, 9, 13)) == MONDAY


def test_the_pilot_is_compared_with_the_later_programme() -> None:
    pilot = figures(healthy(name="Pilot", pilot=True), rng=Random(1))
    later = figures(healthy(name="Wide", active_pairs=3), rng=Random(1))
    comparison = compare(pilot, later)
    assert (comparison.pilot, comparison.later) == ("Pilot", "Wide")
    rows = {label: (mine, theirs) for label, mine, theirs in comparison.rows}
    assert rows["Active pairs"] == ("14", "fewer than 5")
    assert rows["Consent rate"] == ("76%", "76%")


# -- the property: random programmes with tiny groups ---------------------------------------------

small = st.integers(0, 7)
any_size = st.one_of(small, st.integers(0, 40))


def split(keys: Any) -> st.SearchStrategy[dict[Any, int]]:
    return st.dictionaries(keys, any_size, max_size=6)


@st.composite
def programmes(draw: st.DrawFn) -> Counts:
    sides = draw(split(st.sampled_from(["share", "learn", "either"])))
    people = sum(sides.values())
    usefulness = draw(split(st.sampled_from([1, 2, 3, 4, 5, None])))
    asked = draw(any_size)
    days = st.dates(MONDAY, MONDAY + timedelta(days=60))
    return Counts(
        name="P",
        pilot=draw(st.booleans()),
        minimum_group=draw(st.integers(0, 9)),
        sides=sides,
        stages={0: people},
        paused_now=draw(st.integers(0, people)),
        proposals=draw(split(st.sampled_from(["accepted", "declined", "expired", "pending"]))),
        active_pairs=draw(any_size),
        pairs_ever=draw(any_size),
        pair_periods=draw(st.floats(0, 100)),
        meetings=draw(any_size),
        checkins_asked=asked,
        checkins_answered=draw(st.integers(0, asked)),
        met=draw(split(st.sampled_from(["yes", "no", "rescheduled"]))),
        usefulness=usefulness,
        usefulness_sum=sum((k or 0) * v for k, v in usefulness.items()),
        choices=draw(split(st.sampled_from(["continue", "new_partner", "stop"]))),
        topics=draw(split(st.sampled_from(["t1", "t2", "t3", "t4", "t5"]))),
        events=draw(split(st.sampled_from(["left", "paused"]))),
        comments_given=draw(st.integers(0, 15)),
        comment_sample=["a", "b"],
        signups_by_day=draw(st.dictionaries(days, any_size, max_size=5)),
        checkins_by_week=draw(st.dictionaries(days.map(week_of), any_size, max_size=5)),
        meetings_by_day=draw(st.dictionaries(days, any_size, max_size=5)),
    )


def raw_groups(counts: Counts, shown: Figures) -> dict[str, tuple[Breakdown[Any], dict[Any, int]]]:
    """Every breakdown of the figures, with the true counts behind it."""
    people = sum(counts.sides.values())

    def weekly(by_day: dict[date, int]) -> dict[date, int]:
        weeks: dict[date, int] = {}
        for day, n in by_day.items():
            weeks[week_of(day)] = weeks.get(week_of(day), 0) + n
        return weeks

    def truth(parts: Breakdown[Any], values: dict[Any, int]) -> dict[Any, int]:
        return {key: values.get(key, 0) for key, _ in parts.groups}

    usefulness = {(0 if k is None else k): v for k, v in counts.usefulness.items()}
    groups: list[tuple[str, Breakdown[Any], dict[Any, int]]] = [
        ("sides", shown.sides, dict(counts.sides)),
        ("stages", shown.stages, dict(counts.stages)),
        (
            "paused",
            shown.paused_now,
            {"paused": counts.paused_now, "active": people - counts.paused_now},
        ),
        ("consent", shown.consent, dict(counts.proposals)),
        (
            "response",
            shown.response,
            {
                "answered": counts.checkins_answered,
                "unanswered": counts.checkins_asked - counts.checkins_answered,
            },
        ),
        ("met", shown.met, dict(counts.met)),
        ("usefulness", shown.usefulness, usefulness),
        ("round_end", shown.round_end, dict(counts.choices)),
        ("topics", shown.topics, dict(counts.topics)),
        ("weekly signups", shown.weekly.signups, weekly(dict(counts.signups_by_day))),
        ("weekly checkins", shown.weekly.checkins, weekly(dict(counts.checkins_by_week))),
        ("weekly meetings", shown.weekly.meetings, weekly(dict(counts.meetings_by_day))),
    ]
    return {name: (parts, truth(parts, values)) for name, parts, values in groups}


@settings(max_examples=300, deadline=None)
@given(counts=programmes())
def test_no_figure_of_a_random_programme_reveals_a_small_group(counts: Counts) -> None:
    shown = figures(counts, rng=Random(0))
    m = shown.minimum
    assert m >= 5

    def safe(size: float | None) -> bool:
        return size is None or size == 0 or size >= m

    for name, (parts, truth) in raw_groups(counts, shown).items():
        for size in revealed_groups(parts, truth):
            assert safe(size), (name, parts, size)
    # The three breakdowns of the people in the programme agree on their total, so no
    # difference between them reveals anything either.
    assert shown.sides.total == shown.stages.total == shown.paused_now.total
    for single in (shown.active_pairs, shown.meetings, shown.leavers, shown.pauses):
        assert safe(single)
    # Rates and averages rest on enough answers, and a rate is a shown group over a shown total.
    if shown.consent_rate is not None:
        accepted = shown.consent.shown()["accepted"]
        assert shown.consent.total and shown.consent_rate == accepted / shown.consent.total
    if shown.response_rate is not None:
        assert shown.response.shown().get("answered") is not None
    if shown.average_usefulness is not None:
        assert sum(v for k, v in counts.usefulness.items() if k is not None) >= m
        # Next to a distribution with a withheld score, a mean would let it be solved for.
        assert None not in dict(shown.usefulness.groups).values()
    if shown.meetings_per_pair_per_cadence is not None:
        assert counts.pairs_ever >= m and shown.meetings is not None
    if shown.comments:
        assert counts.comments_given >= anonymity.FREE_TEXT_MINIMUM
