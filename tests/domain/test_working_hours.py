"""Working hours: who is at work when, in their own zone, on their days, without their holidays."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.hours_answers import describe, hours_problems, known_country, normalise_country
from bot.domain.working_hours import (
    WEEK_MINUTES,
    WorkingHours,
    both_working,
    default_hours,
    enough_overlap,
    holiday_dates,
    is_working,
    minute_of,
    moment_at,
    next_shared_moment,
    next_working_moment,
    weekly_overlap_minutes,
    working_intervals,
)
from tests.support.hours import working_hours

LONDON = default_hours("Europe/London")
NEW_YORK = default_hours("America/New_York")
BERLIN = default_hours("Europe/Berlin")
KOLKATA = default_hours("Asia/Kolkata")
LOS_ANGELES = default_hours("America/Los_Angeles")
CITIES = [LONDON, NEW_YORK, BERLIN, KOLKATA, LOS_ANGELES]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_default_is_nine_to_five_monday_to_friday_in_the_slack_zone() -> None:
    hours = default_hours("Asia/Kolkata")
    assert (hours.tz, hours.start, hours.end) == ("Asia/Kolkata", time(9), time(17))
    assert hours.days == frozenset({0, 1, 2, 3, 4}) and hours.country is None
    assert default_hours(None).tz == "UTC"
    assert default_hours("Mars/Olympus_Mons").tz == "UTC"


def test_hours_are_values_equal_hours_are_one_cache_key() -> None:
    again = WorkingHours(tz="Europe/London")
    assert again == LONDON and hash(again) == hash(LONDON) and again is not LONDON
    later = replace(LONDON, start=time(10))
    assert later != LONDON and later.start == time(10) and hash(later) != hash(LONDON)
    assert "_hash" not in repr(LONDON)


def test_is_working_reads_the_persons_own_wall_clock() -> None:
    monday_9_utc = utc("2026-12-07 09:00")  # 09:00 in London, 04:00 in New York
    assert is_working(LONDON, monday_9_utc)
    assert not is_working(NEW_YORK, monday_9_utc)
    assert is_working(NEW_YORK, utc("2026-12-07 14:00"))  # 09:00 in New York
    assert not is_working(LONDON, utc("2026-12-07 17:00"))  # the end is not included
    assert is_working(LONDON, utc("2026-12-07 16:59"))
    assert not is_working(LONDON, utc("2026-12-05 12:00"))  # a Saturday
    assert is_working(KOLKATA, utc("2026-12-07 03:30"))  # 09:00 IST
    assert not is_working(KOLKATA, utc("2026-12-07 03:29"))


def test_custom_days_and_hours() -> None:
    weekend = WorkingHours(tz="Europe/Berlin", start=time(7, 30), end=time(12), days=frozenset({5}))
    assert is_working(weekend, utc("2026-12-05 06:30"))  # Saturday 07:30 in Berlin
    assert not is_working(weekend, utc("2026-12-05 11:00"))  # 12:00 in Berlin
    assert not is_working(weekend, utc("2026-12-07 08:00"))  # a Monday


def test_a_public_holiday_is_a_day_off_only_for_people_in_that_country() -> None:
    christmas = utc("2026-12-25 11:00")  # a Friday
    assert is_working(LONDON, christmas)
    assert not is_working(default_hours("Europe/London", "GB"), christmas)
    thanksgiving = utc("2026-11-26 16:00")  # a Thursday, 11:00 in New York
    assert not is_working(default_hours("America/New_York", "US"), thanksgiving)
    assert is_working(default_hours("Europe/London", "GB"), thanksgiving)


def test_a_subdivision_adds_its_own_holidays() -> None:
    easter_monday = date(2026, 4, 6)
    assert easter_monday in holiday_dates("GB-ENG", 2026)
    assert easter_monday not in holiday_dates("GB", 2026)  # not a holiday in Scotland
    assert not is_working(default_hours("Europe/London", "GB-ENG"), utc("2026-04-06 10:00"))


def test_holiday_calendars_are_built_once_per_country_and_year() -> None:
    assert holiday_dates("US", 2026) is holiday_dates("US", 2026)


def test_next_working_moment() -> None:
    inside = utc("2026-12-07 10:17:30")
    assert next_working_moment(LONDON, inside) == inside
    assert next_working_moment(LONDON, utc("2026-12-04 18:00")) == utc("2026-12-07 09:00")
    assert next_working_moment(NEW_YORK, utc("2026-12-07 09:00")) == utc("2026-12-07 14:00")
    # Christmas Eve evening in London: Christmas, Boxing Day (observed Monday 28th) are off.
    uk = default_hours("Europe/London", "GB")
    assert next_working_moment(uk, utc("2026-12-24 18:00")) == utc("2026-12-29 09:00")


def test_next_working_moment_refuses_hours_without_days() -> None:
    nobody = WorkingHours(days=frozenset())
    try:
        next_working_moment(nobody, utc("2026-12-07 09:00"))
    except ValueError:
        return
    raise AssertionError("no working time should be refused")


def test_next_shared_moment_for_a_pair() -> None:
    saturday = utc("2026-12-05 12:00")
    assert next_shared_moment(LONDON, NEW_YORK, saturday) == utc("2026-12-07 14:00")
    assert both_working(LONDON, NEW_YORK, utc("2026-12-07 14:00"))
    assert not both_working(LONDON, NEW_YORK, utc("2026-12-07 17:00"))
    assert next_shared_moment(KOLKATA, LOS_ANGELES, saturday) is None


def test_weekly_overlap_of_the_five_cities_with_default_hours() -> None:
    # Minutes a week, the smaller of a January and a July week.
    assert weekly_overlap_minutes(LONDON, NEW_YORK) == 5 * 180
    assert weekly_overlap_minutes(LONDON, KOLKATA) == 5 * 150  # 3h30 in summer
    assert weekly_overlap_minutes(BERLIN, KOLKATA) == 5 * 210
    assert weekly_overlap_minutes(NEW_YORK, LOS_ANGELES) == 5 * 300
    assert weekly_overlap_minutes(LONDON, BERLIN) == 5 * 420
    for far in [(KOLKATA, LOS_ANGELES), (KOLKATA, NEW_YORK), (BERLIN, LOS_ANGELES)]:
        assert weekly_overlap_minutes(*far) == 0
    assert weekly_overlap_minutes(LONDON, LOS_ANGELES) == 0  # 17:00 touches 09:00, no more
    for a in CITIES:
        for b in CITIES:
            assert weekly_overlap_minutes(a, b) == weekly_overlap_minutes(b, a)


def test_the_weeks_when_only_one_side_of_the_atlantic_has_changed_clocks() -> None:
    # The US moves on 8 March and 1 November 2026, the UK on 29 March and 25 October: in
    # between, New York's 09:00 is 13:00 in London and the pair shares four hours a day.
    assert weekly_overlap_minutes(LONDON, NEW_YORK, week=date(2026, 3, 2)) == 900
    assert weekly_overlap_minutes(LONDON, NEW_YORK, week=date(2026, 3, 16)) == 1200
    assert weekly_overlap_minutes(LONDON, NEW_YORK, week=date(2026, 4, 6)) == 900
    assert weekly_overlap_minutes(LONDON, NEW_YORK, week=date(2026, 10, 26)) == 1200
    assert weekly_overlap_minutes(LONDON, NEW_YORK, week=date(2026, 11, 2)) == 900


def test_overlap_ignores_holidays_it_is_about_the_usual_week() -> None:
    uk, us = default_hours("Europe/London", "GB"), default_hours("America/New_York", "US")
    assert weekly_overlap_minutes(uk, us, week=date(2026, 12, 21)) == 900


def test_the_overlap_rule_refuses_kolkata_with_los_angeles() -> None:
    assert not enough_overlap(KOLKATA, LOS_ANGELES)
    assert enough_overlap(LONDON, KOLKATA)
    assert enough_overlap(LONDON, NEW_YORK, minimum_minutes=900)
    assert not enough_overlap(LONDON, NEW_YORK, minimum_minutes=901)
    early = WorkingHours(tz="America/Los_Angeles", start=time(6), end=time(14))
    late = WorkingHours(tz="Asia/Kolkata", start=time(9), end=time(19, 45))
    # 19:00-19:45 in Kolkata is 06:30-07:15 (05:30-06:15 in winter) in Los Angeles.
    assert weekly_overlap_minutes(early, late) == 5 * 15
    assert enough_overlap(early, late, minimum_minutes=60)


def test_spring_forward_moves_the_utc_hours_of_the_working_day() -> None:
    # London moves to BST on Sunday 29 March 2026.
    friday = minute_of(utc("2026-03-27 00:00"))
    ranges = working_intervals(LONDON, friday, friday + 4 * 24 * 60)
    assert [(moment_at(s), moment_at(e)) for s, e in ranges] == [
        (utc("2026-03-27 09:00"), utc("2026-03-27 17:00")),
        (utc("2026-03-30 08:00"), utc("2026-03-30 16:00")),
    ]


def test_a_working_day_cut_by_the_utc_week_boundary_is_one_range() -> None:
    # 06:00-12:00 in Tokyo on Monday is Sunday 21:00 to Monday 03:00 UTC.
    tokyo = WorkingHours(tz="Asia/Tokyo", start=time(6), end=time(12))
    sunday = minute_of(utc("2026-12-06 00:00"))
    ranges = working_intervals(tokyo, sunday, sunday + 36 * 60)
    assert [(moment_at(s), moment_at(e)) for s, e in ranges] == [
        (utc("2026-12-06 21:00"), utc("2026-12-07 03:00"))
    ]


def test_hours_that_end_in_the_spring_forward_gap_stop_at_the_jump() -> None:
    # Berlin jumps from 02:00 to 03:00 on Sunday 29 March 2026 (01:00 UTC).
    night = WorkingHours(tz="Europe/Berlin", start=time(0), end=time(2, 30), days=frozenset({6}))
    sunday = minute_of(utc("2026-03-29 00:00"))
    ranges = working_intervals(night, sunday - 24 * 60, sunday + 24 * 60)
    assert [(moment_at(s), moment_at(e)) for s, e in ranges] == [
        (utc("2026-03-28 23:00"), utc("2026-03-29 00:30"))
    ]
    for s, e in ranges:
        assert all(is_working(night, moment_at(m)) for m in range(s, e))


def test_hours_that_start_in_the_repeated_autumn_hour_take_the_second_one() -> None:
    # Berlin repeats 02:00-03:00 on Sunday 25 October 2026; 02:30 happens twice.
    night = WorkingHours(tz="Europe/Berlin", start=time(2, 30), end=time(5), days=frozenset({6}))
    sunday = minute_of(utc("2026-10-25 00:00"))
    ranges = working_intervals(night, sunday, sunday + 24 * 60)
    assert [(moment_at(s), moment_at(e)) for s, e in ranges] == [
        (utc("2026-10-25 01:30"), utc("2026-10-25 04:00"))
    ]
    for s, e in ranges:
        assert all(is_working(night, moment_at(m)) for m in range(s, e))


@settings(max_examples=150, deadline=None)
@given(
    hours=working_hours(),
    week=st.integers(0, 3 * 53),
    minutes=st.lists(st.integers(0, WEEK_MINUTES - 1), min_size=20, max_size=20),
)
def test_every_minute_of_the_utc_ranges_is_a_working_minute(
    hours: WorkingHours, week: int, minutes: list[int]
) -> None:
    lo = week * WEEK_MINUTES
    ranges = working_intervals(hours, lo, lo + WEEK_MINUTES)
    assert ranges == sorted(ranges) and all(s < e for s, e in ranges)
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    for s, e in ranges:
        assert is_working(hours, moment_at(s)) and is_working(hours, moment_at(e - 1))
    for offset in minutes:
        minute = lo + offset
        inside = any(s <= minute < e for s, e in ranges)
        moment = moment_at(minute)
        if inside:
            assert is_working(hours, moment)
        elif is_working(hours, moment):
            # Only the narrower reading of a DST gap or repeated hour is left out.
            wall = moment.astimezone(ZoneInfo(hours.tz))
            shifted = {(wall + timedelta(hours=h)).utcoffset() for h in (-3, 3)}
            assert len(shifted) > 1


@settings(max_examples=100, deadline=None)
@given(a=working_hours(), b=working_hours(), hour=st.integers(0, 24 * 365 * 2))
def test_next_shared_moment_is_a_moment_both_work(
    a: WorkingHours, b: WorkingHours, hour: int
) -> None:
    after = utc("2026-01-01 00:00") + timedelta(hours=hour, minutes=7)
    found = next_shared_moment(a, b, after)
    if found is not None:
        assert found >= after and both_working(a, b, found)


def test_what_the_survey_accepts() -> None:
    fine = hours_problems(
        tz="Europe/London", start=time(9), end=time(17), days={0, 1, 2, 3, 4}, country="GB"
    )
    assert fine == {}
    problems = hours_problems(
        tz="Nowhere/Atlantis", start=time(17), end=time(9), days=set(), country="XX"
    )
    assert set(problems) == {"timezone", "hours", "days", "country"}
    assert "end after it starts" in problems["hours"]
    assert "at least one day" in problems["days"]
    assert "public holidays" in problems["country"]
    same = hours_problems(tz="UTC", start=time(9), end=time(9), days={0}, country=None)
    assert set(same) == {"hours"}
    missing = hours_problems(tz="UTC", start=None, end=time(9), days={7}, country=None)
    assert set(missing) == {"hours", "days"}


def test_country_codes() -> None:
    assert normalise_country(" gb-eng ") == "GB-ENG"
    assert normalise_country("  ") is None and normalise_country(None) is None
    assert known_country("GB") and known_country("GB-ENG") and known_country("US-CA")
    assert not known_country("GB-XYZ") and not known_country("ZZ")


def test_describe() -> None:
    assert describe(default_hours("Europe/London", "GB")) == (
        "09:00–17:00, Mon–Fri (Europe/London, GB holidays)"
    )
    odd = WorkingHours(tz="UTC", start=time(8, 30), end=time(12), days=frozenset({0, 2}))
    assert describe(odd) == "08:30–12:00, Mon, Wed (UTC)"
