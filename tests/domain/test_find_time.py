"""Finding a time, pure: suggestions inside both people's hours and off public holidays, valid
picks, who moves first, and when the first mover is reminded."""

from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest

from bot.domain.find_time import (
    Place,
    PlaceKind,
    first_mover_of,
    pick_fits,
    reminder_due,
    suggestions,
)
from bot.domain.states import FirstMover
from bot.domain.working_hours import WorkingHours, holiday_dates, is_working, weekly_overlap_minutes

ZONES = {
    "London": ("Europe/London", "GB"),
    "New York": ("America/New_York", "US"),
    "Berlin": ("Europe/Berlin", "DE"),
    "Kolkata": ("Asia/Kolkata", "IN"),
    "Los Angeles": ("America/Los_Angeles", "US"),
}
# Periods around public holidays: Christmas and New Year, Easter 2027, US Thanksgiving.
PERIODS = [
    datetime(2026, 12, 21, tzinfo=UTC),
    datetime(2027, 3, 22, tzinfo=UTC),
    datetime(2026, 11, 23, tzinfo=UTC),
]


def hours(place: str, *, holidays: bool = True) -> WorkingHours:
    tz, country = ZONES[place]
    return WorkingHours(tz=tz, country=country if holidays else None)


def batches(a: WorkingHours, b: WorkingHours, start: datetime, length: int) -> list[datetime]:
    """Every time offered in a two-week period: the first batch and every *Other times*."""
    found: list[datetime] = []
    for skip in range(0, 60, 3):
        batch = suggestions(
            a, b, period_start=start, period_end=start + timedelta(weeks=2),
            length_minutes=length, now=start - timedelta(days=1), skip=skip,
        )  # fmt: skip
        found += batch
    return found


@pytest.mark.parametrize(("first", "second"), list(combinations(ZONES, 2)))
@pytest.mark.parametrize("start", PERIODS)
@pytest.mark.parametrize("length", [30, 60])
def test_every_time_is_inside_both_peoples_hours_on_a_working_day(
    first: str, second: str, start: datetime, length: int
) -> None:
    a, b = hours(first), hours(second)
    times = batches(a, b, start, length)
    weeks = (start.date(), start.date() + timedelta(weeks=1))
    if all(weekly_overlap_minutes(a, b, week=w) == 0 for w in weeks):
        # Kolkata and Los Angeles never share working time; London and Los Angeles only in
        # the weeks when one side has changed its clocks and the other not yet.
        assert times == []
        return
    assert len(set(times)) == len(times)
    for moment in times:
        last = moment + timedelta(minutes=length - 1)
        assert all(is_working(h, m) for h in (a, b) for m in (moment, last))
        for person in (a, b):
            assert person.country is not None
            day = moment.astimezone(ZoneInfo(person.tz)).date()
            assert day not in holiday_dates(person.country, day.year)
            assert day.weekday() < 5


def test_a_countrys_holiday_is_skipped_that_would_otherwise_be_offered() -> None:
    # Christmas week 2026 in London and Berlin: with holidays, no time on 25 or 28 December
    # (Boxing Day's substitute) for London, 25 and 26 for Berlin; without, some fall there.
    start = datetime(2026, 12, 21, tzinfo=UTC)
    with_days = {t.date() for t in batches(hours("London"), hours("Berlin"), start, 30)}
    without = {
        t.date()
        for t in batches(
            hours("London", holidays=False), hours("Berlin", holidays=False), start, 30
        )
    }
    assert {date(2026, 12, 25), date(2026, 12, 28)} & without
    assert not {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)} & with_days


def test_a_pick_must_be_ahead_on_a_quarter_hour_and_inside_both_hours() -> None:
    london, new_york = hours("London"), hours("New York")
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    good = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # 15:00 London, 10:00 New York
    assert pick_fits(london, new_york, start=good, length_minutes=60, now=now)
    assert not pick_fits(london, new_york, start=good, length_minutes=60, now=good)
    assert not pick_fits(
        london, new_york, start=good + timedelta(minutes=5), length_minutes=30, now=now
    )
    # Runs past 17:00 in London.
    assert not pick_fits(
        london, new_york, start=good + timedelta(hours=1, minutes=30), length_minutes=60, now=now
    )
    assert not pick_fits(
        london, new_york, start=datetime(2027, 1, 5, 12, tzinfo=UTC), length_minutes=30, now=now
    )


class Two:
    mentor_id = "U0SHARE"
    mentee_id = "U0LEARN"


def test_the_first_mover_is_the_learner_unless_the_programme_says_the_sharer() -> None:
    assert first_mover_of(Two(), FirstMover.LEARN) == "U0LEARN"
    assert first_mover_of(Two(), FirstMover.SHARE) == "U0SHARE"


def test_the_reminder_waits_five_working_days_and_skips_holidays() -> None:
    london = hours("London")
    monday = datetime(2027, 1, 4, 10, tzinfo=UTC)
    assert reminder_due(london, monday) == datetime(2027, 1, 12, 9, tzinfo=UTC)
    # Friday 18 December 2026: Christmas Day and Boxing Day's substitute are not working days.
    friday = datetime(2026, 12, 18, 10, tzinfo=UTC)
    assert reminder_due(london, friday) == datetime(2026, 12, 30, 9, tzinfo=UTC)
    # In the person's own zone: 09:00 in Kolkata is 03:30 UTC.
    assert reminder_due(hours("Kolkata", holidays=False), monday) == datetime(
        2027, 1, 12, 3, 30, tzinfo=UTC
    )


def test_a_place_reads_back_from_its_code_and_refuses_anything_else() -> None:
    for place in (
        Place(PlaceKind.KICKOFF, 0),
        Place(PlaceKind.PROMPT, 12),
        Place(PlaceKind.REMINDER, 3),
    ):
        assert Place.parse(place.code) == place
    assert [Place.parse(c) for c in ("", "k", "x1", "p-1", "p12345", "k1.5")] == [None] * 6
