"""Pausing until a date: reading the date, checking it, and whether that morning has come."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_DAYS_AHEAD = 365
RESUME_HOUR = 8  # local time: people are resumed that morning, not at midnight
# The furthest any time zone is ahead of UTC (Kiribati, UTC+14).
MAX_AHEAD_OF_UTC = timedelta(hours=14)

UNREADABLE = (
    "I couldn't read that date. Write it like `/mentoring pause until 2027-01-15` "
    "(year-month-day), or just `/mentoring pause` for a break with no end date. Nothing changed."
)
NOT_AHEAD = (
    "That date isn't after today, so nothing changed. Pick a day from tomorrow on, "
    "or `/mentoring pause` with no date."
)
TOO_FAR = (
    f"That's more than {MAX_DAYS_AHEAD} days ahead, so nothing changed. Pick an earlier date, "
    "or `/mentoring pause` with no date and `/mentoring resume` when you're back."
)


@dataclass(frozen=True)
class Until:
    """What followed `pause`: a date, no date (None), or a friendly problem."""

    day: date | None = None
    problem: str | None = None


def read_until(words: list[str]) -> Until:
    """`[]`, `["until", "2027-01-15"]` or `["2027-01-15"]`; anything else is unreadable."""
    if words and words[0].lower() == "until":
        words = words[1:]
        if not words:
            return Until(problem=UNREADABLE)
    if not words:
        return Until()
    if len(words) != 1 or len(words[0]) != 10:
        return Until(problem=UNREADABLE)
    try:
        return Until(day=date.fromisoformat(words[0]))
    except ValueError:
        return Until(problem=UNREADABLE)


def local_now(now: datetime, *, timezone: str, utc_offset_minutes: int) -> datetime:
    """The person's wall-clock time (their zone's rules; the stored offset if unknown)."""
    try:
        return now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    except (ZoneInfoNotFoundError, ValueError):
        return (now + timedelta(minutes=utc_offset_minutes)).replace(tzinfo=None)


def problem_with(day: date, *, today: date) -> str | None:
    """Why `day` cannot end a pause begun `today` (their local day), or None."""
    if day <= today:
        return NOT_AHEAD
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        return TOO_FAR
    return None


def resume_due(until: date, *, local: datetime) -> bool:
    """Whether, at the person's local time `local`, the morning of `until` has come."""
    return local.date() > until or (local.date() == until and local.hour >= RESUME_HOUR)


def latest_due_day(now: datetime) -> date:
    """No `until` after this day can be due in any zone (a cheap filter before the exact check)."""
    return (now + MAX_AHEAD_OF_UTC).date()


def long_date(day: date) -> str:
    """`Friday 15 January 2027`."""
    return f"{day:%A} {day.day} {day:%B %Y}"
