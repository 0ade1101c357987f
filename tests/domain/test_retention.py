"""Retention's calendar: whole months back, the month's last day when it is shorter."""

from datetime import UTC, datetime

from bot.domain.retention import expired, months_before


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


def test_months_before_counts_calendar_months() -> None:
    assert months_before(at(2027, 1, 15), 12) == at(2026, 1, 15)
    assert months_before(at(2027, 1, 31), 1) == at(2026, 12, 31)
    assert months_before(at(2027, 3, 31), 1) == at(2027, 2, 28)
    assert months_before(at(2028, 3, 31), 1) == at(2028, 2, 29)
    assert months_before(at(2027, 5, 1), 17) == at(2025, 12, 1)


def test_a_programme_expires_only_after_the_whole_time() -> None:
    last = at(2026, 1, 15)
    assert not expired(last, now=at(2027, 1, 15), months=12)
    assert expired(last, now=at(2027, 1, 16), months=12)
    assert not expired(None, now=at(2040, 1, 1), months=12)
