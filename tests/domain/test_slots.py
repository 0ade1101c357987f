"""Suggested meeting times: inside both people's hours, off their holidays, spread, repeatable."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.slots import (
    BLOCK_WEEKS,
    NOTICE,
    SESSION_LENGTHS,
    local_label,
    suggest_times,
)
from bot.domain.working_hours import (
    WEEK_MINUTES,
    WorkingHours,
    default_hours,
    is_working,
    is_working_day,
    minute_at_or_after,
    minute_of,
    moment_at,
    shared_intervals,
    weekly_overlap_minutes,
)
from tests.support.hours import working_hours

LONDON = default_hours("Europe/London", "GB")
NEW_YORK = default_hours("America/New_York", "US")
BERLIN = default_hours("Europe/Berlin", "DE")
KOLKATA = default_hours("Asia/Kolkata", "IN")
LOS_ANGELES = default_hours("America/Los_Angeles", "US")
CITIES = {
    "London": LONDON,
    "New York": NEW_YORK,
    "Berlin": BERLIN,
    "Kolkata": KOLKATA,
    "Los Angeles": LOS_ANGELES,
}
START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday
TWO_WEEKS = timedelta(weeks=2)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def suggest(
    a: WorkingHours,
    b: WorkingHours,
    *,
    start: datetime = START,
    length: timedelta = TWO_WEEKS,
    now: datetime | None = None,
    minutes: int = 30,
    skip: int = 0,
    count: int = 3,
) -> list[datetime]:
    return suggest_times(
        a,
        b,
        period_start=start,
        period_end=start + length,
        length_minutes=minutes,
        now=start if now is None else now,
        count=count,
        skip=skip,
    )


def every_slot(
    a: WorkingHours,
    b: WorkingHours,
    *,
    start: datetime = START,
    length: timedelta = TWO_WEEKS,
    now: datetime | None = None,
    minutes: int = 30,
) -> list[datetime]:
    """All suggestions of a period, batch after batch ("Other times" until there are none)."""
    slots: list[datetime] = []
    while True:
        batch = suggest(a, b, start=start, length=length, now=now, minutes=minutes, skip=len(slots))
        if not batch:
            return slots
        slots.extend(batch)


def inside_both(a: WorkingHours, b: WorkingHours, slot: datetime, minutes: int) -> bool:
    """Every minute of the session is a working minute on a working day for both."""
    return all(is_working(h, slot + timedelta(minutes=m)) for h in (a, b) for m in range(minutes))


def local_day(slot: datetime, hours: WorkingHours) -> date:
    return slot.astimezone(ZoneInfo(hours.tz)).date()


@pytest.mark.parametrize(("first", "second"), list(combinations(CITIES, 2)))
def test_every_suggestion_is_inside_both_peoples_hours(first: str, second: str) -> None:
    a, b = CITIES[first], CITIES[second]
    slots = every_slot(a, b, minutes=45)
    for slot in slots:
        assert slot.tzinfo is UTC
        assert inside_both(a, b, slot, 45)
        assert is_working_day(a, local_day(slot, a)) and is_working_day(b, local_day(slot, b))
    # Suggestions exist exactly when the two share working time.
    assert bool(slots) == (weekly_overlap_minutes(a, b) > 0)


def test_kolkata_and_los_angeles_get_no_suggestion() -> None:
    assert suggest(KOLKATA, LOS_ANGELES) == []
    assert suggest(KOLKATA, LOS_ANGELES, skip=3) == []


def test_three_suggestions_on_three_days_one_in_each_third_of_the_period() -> None:
    slots = suggest(LONDON, NEW_YORK)
    assert len(slots) == 3 and slots == sorted(slots)
    assert len({local_day(s, NEW_YORK) for s in slots}) == 3
    thirds = [int((s - START) / (TWO_WEEKS / 3)) for s in slots]
    assert thirds == [0, 1, 2]
    assert [local_label(s, "Europe/London") for s in slots] == [
        "Mon 7 Dec, 16:00",
        "Mon 14 Dec, 15:00",
        "Thu 17 Dec, 15:00",
    ]


def test_other_times_are_the_next_three_never_the_first_three() -> None:
    first = suggest(LONDON, KOLKATA)
    second = suggest(LONDON, KOLKATA, skip=3)
    third = suggest(LONDON, KOLKATA, skip=6)
    assert len(first) == len(second) == len(third) == 3
    assert not set(first) & set(second) and not set(second) & set(third)
    assert not set(first) & set(third)
    # Each batch is spread too: no two on one day.
    for batch in (first, second, third):
        assert len({local_day(s, KOLKATA) for s in batch}) == 3


def test_other_times_asked_days_later_still_skip_the_first_three() -> None:
    first = suggest(BERLIN, NEW_YORK)
    for days in range(0, 12):
        later = START + timedelta(days=days, hours=3)
        more = suggest(BERLIN, NEW_YORK, now=later, skip=3)
        assert not set(first) & set(more)
        assert all(s >= later + NOTICE for s in more)


def test_the_same_inputs_give_the_same_suggestions() -> None:
    assert suggest(BERLIN, KOLKATA) == suggest(BERLIN, KOLKATA)
    fresh = default_hours("Europe/Berlin", "DE"), default_hours("Asia/Kolkata", "IN")
    assert suggest(*fresh) == suggest(BERLIN, KOLKATA)


def test_never_in_the_past_nor_too_soon() -> None:
    now = START + timedelta(days=6, hours=5, minutes=7)
    slots = every_slot(LONDON, BERLIN, now=now)
    assert slots and all(s >= now + NOTICE for s in slots)
    assert suggest(LONDON, BERLIN, now=START + TWO_WEEKS) == []


def test_a_late_ask_still_spreads_over_what_is_left() -> None:
    now = START + timedelta(days=5)  # the first third is almost over
    slots = suggest(LONDON, NEW_YORK, now=now)
    assert len(slots) == 3 and all(s > now for s in slots)
    assert len({local_day(s, LONDON) for s in slots}) == 3


def test_sessions_fit_inside_the_period() -> None:
    for minutes in SESSION_LENGTHS:
        for slot in every_slot(LONDON, NEW_YORK, minutes=minutes):
            assert START <= slot and slot + timedelta(minutes=minutes) <= START + TWO_WEEKS
            assert inside_both(LONDON, NEW_YORK, slot, minutes)


def test_starts_are_on_a_quarter_hour() -> None:
    odd = WorkingHours(tz="Asia/Kolkata", start=time(9, 10), end=time(17, 5))
    slots = every_slot(odd, LONDON)
    assert slots
    for slot in slots:
        wall = slot.astimezone(ZoneInfo("Asia/Kolkata"))
        assert wall.minute % 15 == 0 and wall.second == 0 and wall.microsecond == 0
        assert wall.time() >= time(9, 15)


def test_a_session_longer_than_the_shared_window_gets_nothing() -> None:
    short = WorkingHours(tz="Europe/London", start=time(16), end=time(17))
    assert suggest(short, NEW_YORK, minutes=60)  # 11:00-12:00 in New York fits
    assert suggest(short, NEW_YORK, minutes=61) == []


def test_no_suggestion_on_us_thanksgiving() -> None:
    thanksgiving = date(2026, 11, 26)
    start = utc("2026-11-23 00:00")
    slots = every_slot(LONDON, NEW_YORK, start=start, length=timedelta(weeks=1))
    assert slots and thanksgiving not in {local_day(s, NEW_YORK) for s in slots}
    without = every_slot(
        default_hours("Europe/London"),
        default_hours("America/New_York"),
        start=start,
        length=timedelta(weeks=1),
    )
    assert thanksgiving in {local_day(s, NEW_YORK) for s in without}


def test_no_suggestion_on_a_uk_bank_holiday() -> None:
    early_may = date(2026, 5, 4)
    start = utc("2026-05-04 00:00")
    slots = every_slot(BERLIN, LONDON, start=start, length=timedelta(weeks=1))
    assert slots and early_may not in {local_day(s, LONDON) for s in slots}
    without = every_slot(
        BERLIN, default_hours("Europe/London"), start=start, length=timedelta(weeks=1)
    )
    assert early_may in {local_day(s, LONDON) for s in without}


def test_either_persons_holiday_is_skipped() -> None:
    # Christmas and Boxing Day (observed Monday 28th) in London; Christmas in Kolkata.
    start = utc("2026-12-21 00:00")
    days = {local_day(s, LONDON) for s in every_slot(LONDON, KOLKATA, start=start)}
    assert days and not days & {date(2026, 12, 25), date(2026, 12, 28)}
    assert date(2026, 12, 29) in days


@pytest.mark.parametrize(
    "start",
    [
        utc("2026-03-02 00:00"),  # the US changes clocks on 8 March, the UK on 29 March
        utc("2026-03-23 00:00"),
        utc("2026-10-19 00:00"),  # the UK changes on 25 October, the US on 1 November
        utc("2026-10-30 00:00"),
    ],
)
def test_suggestions_across_dst_changes(start: datetime) -> None:
    for a, b in [
        (LONDON, NEW_YORK),
        (BERLIN, NEW_YORK),
        (KOLKATA, BERLIN),
        (NEW_YORK, LOS_ANGELES),
    ]:
        for slot in every_slot(a, b, start=start, minutes=60):
            assert inside_both(a, b, slot, 60)


def test_when_only_new_york_has_changed_clocks_an_earlier_hour_is_offered() -> None:
    # 13:00 UTC is 09:00 in New York (EDT) and 13:00 in London (GMT) only in mid-March.
    starts = {s.hour for s in every_slot(LONDON, NEW_YORK, start=utc("2026-03-09 00:00"))}
    assert 13 in starts
    starts = {s.hour for s in every_slot(LONDON, NEW_YORK, start=utc("2026-01-05 00:00"))}
    assert 13 not in starts and 14 in starts


def test_local_labels_for_each_viewer() -> None:
    slot = utc("2026-12-08 14:30")
    assert local_label(slot, "Europe/London") == "Tue 8 Dec, 14:30"
    assert local_label(slot, "Asia/Kolkata") == "Tue 8 Dec, 20:00"
    assert local_label(slot, "America/Los_Angeles") == "Tue 8 Dec, 06:30"
    assert local_label(utc("2026-12-08 23:30"), "Europe/Berlin") == "Wed 9 Dec, 00:30"


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        suggest(LONDON, NEW_YORK, minutes=0)
    with pytest.raises(ValueError):
        suggest(LONDON, NEW_YORK, skip=-1)
    assert suggest(LONDON, NEW_YORK, count=0) == []
    assert suggest(LONDON, NEW_YORK, length=timedelta(minutes=20)) == []


def test_a_long_period_is_covered_to_its_end() -> None:
    slots = every_slot(LONDON, NEW_YORK, length=timedelta(weeks=14), minutes=60)
    assert max(slots) > START + timedelta(weeks=13)
    days = [START.date() + timedelta(days=d) for d in range(14 * 7)]
    expected = {d for d in days if is_working_day(LONDON, d) and is_working_day(NEW_YORK, d)}
    assert {local_day(s, LONDON) for s in slots} == expected
    # Christmas, Boxing Day observed, New Year, Martin Luther King Day, Presidents' Day.
    assert len(expected) == 14 * 5 - 5


@settings(max_examples=200, deadline=None)
@given(
    a=working_hours(),
    b=working_hours(),
    start_hours=st.integers(0, 24 * 365 * 2),
    weeks=st.integers(1, 5),
    late=st.integers(0, 24 * 14),
    minutes=st.sampled_from(SESSION_LENGTHS),
    skip=st.sampled_from([0, 3, 6]),
)
def test_every_slot_is_inside_both_peoples_hours(
    a: WorkingHours,
    b: WorkingHours,
    start_hours: int,
    weeks: int,
    late: int,
    minutes: int,
    skip: int,
) -> None:
    start = utc("2026-01-01 00:00") + timedelta(hours=start_hours, minutes=start_hours % 60)
    now = start + timedelta(hours=late, minutes=late % 13)
    period = timedelta(weeks=weeks)
    slots = suggest(a, b, start=start, length=period, now=now, minutes=minutes, skip=skip)
    assert slots == sorted(slots) and len(set(slots)) == len(slots) <= 3
    for slot in slots:
        assert inside_both(a, b, slot, minutes)
        assert slot >= now + NOTICE and slot >= start
        assert slot + timedelta(minutes=minutes) <= start + period
        assert slot.minute % 15 == 0 and slot.second == 0
    for before in range(0, skip, 3):
        earlier = suggest(a, b, start=start, length=period, now=now, minutes=minutes, skip=before)
        assert not set(earlier) & set(slots)


def reference(
    a: WorkingHours,
    b: WorkingHours,
    *,
    start: datetime,
    length: timedelta,
    now: datetime,
    minutes: int,
    skip: int,
    count: int = 3,
) -> list[datetime]:
    """The module docstring's rule, step by step and slowly: the oracle for the fast code."""
    lo, hi = minute_at_or_after(start), minute_of(start + length)
    earliest = max(minute_at_or_after(now + NOTICE), lo)
    block = lo // WEEK_MINUTES // BLOCK_WEEKS * BLOCK_WEEKS
    weeks = 10  # any span reaching a day past the period numbers the windows the same
    calendar = shared_intervals(a, b, block * WEEK_MINUTES, (block + weeks) * WEEK_MINUTES)
    windows: list[
        tuple[int, int, list[int]]
    ] = []  # (first, end, starts rotated) for every usable window, numbered from the block
    for s, e in calendar:
        first = -(-s // 15) * 15
        if first + minutes <= e:
            starts = [first + 60 * k for k in range((e - minutes - first) // 60 + 1)]
            turn = len(windows) % len(starts)
            windows.append((first, e, starts[turn:] + starts[:turn]))
    parts: list[list[int]] = [[] for _ in range(count)]
    for position in range(max((len(w[2]) for w in windows), default=0)):
        for first, e, starts in windows:
            if e > lo and first < hi and position < len(starts):
                parts[max(0, (first - lo) * count // (hi - lo))].append(starts[position])
    sequence = [part[r] for r in range(max(map(len, parts))) for part in parts if r < len(part)]
    kept = [m for m in sequence if earliest <= m <= hi - minutes]
    return sorted(moment_at(m) for m in kept[skip : skip + count])


@settings(max_examples=300, deadline=None)
@given(
    a=working_hours(),
    b=working_hours(),
    start_hours=st.integers(0, 24 * 365 * 2),
    weeks=st.integers(1, 5),
    late=st.integers(0, 24 * 21),
    minutes=st.sampled_from(SESSION_LENGTHS),
    skip=st.sampled_from([0, 0, 3, 6, 9]),
)
def test_the_fast_code_follows_the_documented_rule(
    a: WorkingHours,
    b: WorkingHours,
    start_hours: int,
    weeks: int,
    late: int,
    minutes: int,
    skip: int,
) -> None:
    start = utc("2026-01-01 00:00") + timedelta(hours=start_hours, minutes=start_hours % 53)
    now = start + timedelta(hours=late, minutes=late % 17) - timedelta(days=1)
    period = timedelta(weeks=weeks)
    ours = suggest(a, b, start=start, length=period, now=now, minutes=minutes, skip=skip)
    assert ours == reference(a, b, start=start, length=period, now=now, minutes=minutes, skip=skip)


def test_the_rule_for_the_five_cities() -> None:
    for a, b in combinations(CITIES.values(), 2):
        for skip in (0, 3, 6):
            for days in (0, 4, 9):
                now = START + timedelta(days=days)
                ours = suggest(a, b, now=now, skip=skip)
                rule = reference(
                    a, b, start=START, length=TWO_WEEKS, now=now, minutes=30, skip=skip
                )
                assert ours == rule


def test_a_window_across_the_utc_week_boundary_is_numbered_the_same_for_any_period() -> None:
    # Tokyo's 06:00-12:00 is 21:00-03:00 UTC, so Monday's window starts on Sunday (UTC).
    tokyo = WorkingHours(tz="Asia/Tokyo", start=time(6), end=time(12), days=frozenset(range(7)))
    # 12:00-23:00 in New York holds all of it (16:00-22:00 there) in one day.
    anytime = WorkingHours(
        tz="America/New_York", start=time(12), end=time(23), days=frozenset(range(7))
    )
    for first_day in range(12):
        start = utc("2026-11-24 00:00") + timedelta(days=first_day)
        for end in ["2026-12-06 22:00", "2026-12-06 23:30", "2026-12-07 00:00", "2026-12-07 02:00"]:
            length = utc(end) - start
            for skip in (0, 3, 6, 9, 12, 15):
                ours = suggest(tokyo, anytime, start=start, length=length, minutes=60, skip=skip)
                rule = reference(
                    tokyo, anytime, start=start, length=length, now=start, minutes=60, skip=skip
                )
                assert ours == rule
