"""When a person is at work: their hours, days, time zone and public holidays (pure).

Working time is looked at in two ways that agree:

- `is_working(hours, moment)` reads the wall clock in the person's zone: the definition.
- For speed, each person's working time in one UTC week is turned once into sorted integer
  minute ranges (minutes since `EPOCH`, a Monday 00:00 UTC) and cached, per distinct
  `WorkingHours` and week, holidays already left out. A pair's shared time is the intersection
  of two such tuples, cached too, so that 20,000 pairs with a few hundred distinct hour patterns
  cost a few cache look-ups each.

The ranges are built per local day through `zoneinfo`, so DST is right in every week, and where
a day's start or end falls in a DST gap or a repeated hour the range takes the narrower reading:
every minute in a range is a working minute by `is_working`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday: UTC weeks are counted from here
MINUTE = timedelta(minutes=1)
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES

DEFAULT_START, DEFAULT_END = time(9), time(17)
WEEKDAYS = frozenset(range(5))  # Monday = 0
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The least shared working time a pair needs, per week: one session a week fits in it.
DEFAULT_MIN_OVERLAP_MINUTES = 60
# Weeks that weekly_overlap_minutes looks at: northern winter and summer (both sides of DST),
# so a pair passes the overlap rule only if it holds all year round.
REFERENCE_WEEKS = (date(2026, 1, 12), date(2026, 7, 13))
SHARED_SEARCH_WEEKS = 8  # how far next_shared_moment looks before saying there is no time

Interval = tuple[int, int]  # [start, end) in minutes since EPOCH


@dataclass(frozen=True)
class WorkingHours:
    """A person's usual working time: the same hours on each working day, in their own zone.

    `country` is an ISO 3166-1 code ("GB"), optionally with a subdivision ("GB-ENG", "US-CA"),
    whose public holidays are days off; None for no holidays.
    """

    tz: str = "UTC"
    start: time = DEFAULT_START
    end: time = DEFAULT_END
    days: frozenset[int] = WEEKDAYS
    country: str | None = None
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Hours are cache keys thousands of times a tick: hash them once.
        fields = (self.tz, self.start, self.end, self.days, self.country)
        object.__setattr__(self, "_hash", hash(fields))

    def __hash__(self) -> int:
        return self._hash


def default_hours(tz: str | None, country: str | None = None) -> WorkingHours:
    """09:00–17:00, Monday to Friday, in the person's (Slack) time zone; UTC if it is unknown."""
    return WorkingHours(tz=tz if tz and known_zone(tz) else "UTC", country=country)


def minute_of(moment: datetime) -> int:
    """An aware moment as whole minutes since EPOCH, rounded down."""
    return (moment - EPOCH) // MINUTE


def minute_at_or_after(moment: datetime) -> int:
    """An aware moment as whole minutes since EPOCH, rounded up."""
    return -((EPOCH - moment) // MINUTE)


def moment_at(minute: int) -> datetime:
    """Minutes since EPOCH as an aware UTC datetime."""
    return EPOCH + MINUTE * minute


def week_of(moment: datetime) -> int:
    """The UTC week (counted from EPOCH) a moment falls in."""
    return minute_of(moment) // WEEK_MINUTES


# -- holidays ----------------------------------------------------------------------------


def split_country(country: str) -> tuple[str, str | None]:
    code, _, subdivision = country.partition("-")
    return code, subdivision or None


@lru_cache(maxsize=1024)
def holiday_dates(country: str, year: int) -> frozenset[date]:
    """The public holidays of a country (or "CC-SUBDIV") in one year, computed once."""
    code, subdivision = split_country(country)
    return frozenset(holidays.country_holidays(code, subdiv=subdivision, years=year))


def is_holiday(hours: WorkingHours, day: date) -> bool:
    """Whether a local date is a public holiday where the person works."""
    return hours.country is not None and day in holiday_dates(hours.country, day.year)


def is_working_day(hours: WorkingHours, day: date) -> bool:
    """One of the person's working weekdays, and no public holiday."""
    return day.weekday() in hours.days and not is_holiday(hours, day)


# -- one person --------------------------------------------------------------------------


def is_working(hours: WorkingHours, moment: datetime) -> bool:
    """Whether the person is at work at an aware moment (their wall clock, days, holidays)."""
    wall = moment.astimezone(ZoneInfo(hours.tz))
    return hours.start <= wall.time() < hours.end and is_working_day(hours, wall.date())


def _instant(day: date, at: time, zone: ZoneInfo, *, later: bool) -> int:
    # Both readings of a wall time: they differ only in a DST gap or a repeated hour.
    wall = datetime.combine(day, at, tzinfo=zone)
    if later:
        return max(minute_at_or_after(wall), minute_at_or_after(wall.replace(fold=1)))
    return min(minute_of(wall), minute_of(wall.replace(fold=1)))


@lru_cache(maxsize=1 << 14)
def week_intervals(
    hours: WorkingHours, week: int, skip_holidays: bool = True
) -> tuple[Interval, ...]:
    """The person's working time in one UTC week, as sorted minute ranges since EPOCH."""
    zone = ZoneInfo(hours.tz)
    lo = week * WEEK_MINUTES
    hi = lo + WEEK_MINUTES
    first_day = moment_at(lo).date() - timedelta(days=1)
    ranges: list[Interval] = []
    for offset in range(9):  # local days that can reach into this UTC week
        day = first_day + timedelta(days=offset)
        if day.weekday() not in hours.days or (skip_holidays and is_holiday(hours, day)):
            continue
        start = max(_instant(day, hours.start, zone, later=True), lo)
        end = min(_instant(day, hours.end, zone, later=False), hi)
        if start < end:
            ranges.append((start, end))
    return tuple(ranges)


def _span(weekly: Iterator[tuple[Interval, ...]], lo: int, hi: int) -> list[Interval]:
    """Consecutive weeks' ranges joined (a range cut at a week boundary is one again), clipped."""
    joined: list[Interval] = []
    for ranges in weekly:
        for start, end in ranges:
            if end <= lo or start >= hi:
                continue
            start, end = max(start, lo), min(end, hi)
            if joined and joined[-1][1] == start:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
    return joined


def working_intervals(hours: WorkingHours, lo: int, hi: int) -> list[Interval]:
    """The person's working time between two minutes since EPOCH, as sorted ranges."""
    weeks = range(lo // WEEK_MINUTES, (hi - 1) // WEEK_MINUTES + 1)
    return _span((week_intervals(hours, w) for w in weeks), lo, hi)


def next_working_moment(hours: WorkingHours, after: datetime) -> datetime:
    """The first moment at or after `after` inside the person's working hours on a working day.

    Raises ValueError for hours with no working time in a year (no working days).
    """
    if is_working(hours, after):
        return after
    minute = minute_at_or_after(after)
    week = minute // WEEK_MINUTES
    for w in range(week, week + 54):
        for start, end in week_intervals(hours, w):
            if end > minute:
                return moment_at(max(start, minute))
    raise ValueError("these working hours have no working time in a year")


# -- a pair ------------------------------------------------------------------------------


def _intersect(a: tuple[Interval, ...], b: tuple[Interval, ...]) -> tuple[Interval, ...]:
    shared: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            shared.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(shared)


@lru_cache(maxsize=1 << 16)
def shared_week(
    a: WorkingHours, b: WorkingHours, week: int, skip_holidays: bool = True
) -> tuple[Interval, ...]:
    """The time both people are at work in one UTC week, as sorted minute ranges."""
    return _intersect(
        week_intervals(a, week, skip_holidays), week_intervals(b, week, skip_holidays)
    )


def shared_intervals(a: WorkingHours, b: WorkingHours, lo: int, hi: int) -> list[Interval]:
    """The time both people are at work between two minutes since EPOCH, as sorted ranges."""
    weeks = range(lo // WEEK_MINUTES, (hi - 1) // WEEK_MINUTES + 1)
    return _span((shared_week(a, b, w) for w in weeks), lo, hi)


def both_working(a: WorkingHours, b: WorkingHours, moment: datetime) -> bool:
    """Whether both people are at work at a moment."""
    return is_working(a, moment) and is_working(b, moment)


def next_shared_moment(a: WorkingHours, b: WorkingHours, after: datetime) -> datetime | None:
    """The first moment at or after `after` when both are at work; None if there is none in
    the next eight weeks (their hours never overlap)."""
    if both_working(a, b, after):
        return after
    minute = minute_at_or_after(after)
    week = minute // WEEK_MINUTES
    for w in range(week, week + SHARED_SEARCH_WEEKS + 1):
        for start, end in shared_week(a, b, w):
            if end > minute:
                return moment_at(max(start, minute))
    return None


@lru_cache(maxsize=1 << 16)
def _overlap_in_week(a: WorkingHours, b: WorkingHours, week: int) -> int:
    return sum(end - start for start, end in shared_week(a, b, week, False))


def weekly_overlap_minutes(a: WorkingHours, b: WorkingHours, *, week: date | None = None) -> int:
    """Minutes a week both are at work, public holidays aside.

    For the UTC week (Monday to Monday) containing `week` if given; otherwise the smaller of
    the `REFERENCE_WEEKS`, one in January and one in July, so that DST on either side of the
    world is counted and the answer holds for a typical week all year.
    """
    weeks = REFERENCE_WEEKS if week is None else (week,)
    return min(
        _overlap_in_week(a, b, minute_of(datetime.combine(d, time(), tzinfo=UTC)) // WEEK_MINUTES)
        for d in weeks
    )


def enough_overlap(
    a: WorkingHours, b: WorkingHours, minimum_minutes: int = DEFAULT_MIN_OVERLAP_MINUTES
) -> bool:
    """The matching rule: the pair shares at least `minimum_minutes` of working time a week."""
    return weekly_overlap_minutes(a, b) >= minimum_minutes


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def known_zone(tz: str) -> bool:
    """Whether `tz` is an IANA time zone name this machine knows."""
    if tz not in _zones() and tz != "UTC":
        return False
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
