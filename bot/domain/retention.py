"""How long Upward keeps personal data: calendar months back, and when that time is up."""

from calendar import monthrange
from datetime import datetime


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def expired(last_activity: datetime | None, *, now: datetime, months: int) -> bool:
    """Whether a programme whose last activity was then is past its retention time."""
    return last_activity is not None and last_activity < months_before(now, months)
