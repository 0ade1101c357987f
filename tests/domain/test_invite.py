"""The .ics invite: parses back with icalendar and says exactly the picked slot."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar, Component

from bot.domain.invite import PRODID, calendar_invite, invite_filename, invite_uid
from bot.domain.slots import SESSION_LENGTHS, suggest_times
from bot.domain.working_hours import default_hours

SLOT = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 0, 5, 250, tzinfo=UTC)
PROMPT = (
    "Which app do you use every day that your partner has never opened? Show each other; "
    "ask why, and what it would take to switch.\nThen agree one thing to try before next time."
)


def invite(**overrides: object) -> bytes:
    fields: dict[str, object] = {
        "pair_id": 42,
        "start": SLOT,
        "length_minutes": 45,
        "programme": "Reverse mentoring, pilot; 2027",
        "people": ("Sam Ó Briain", "Leo Park, Jr."),
        "prompt": PROMPT,
        "now": NOW,
    }
    fields.update(overrides)
    return calendar_invite(**fields)  # type: ignore[arg-type]


def the_event(ics: bytes) -> tuple[Calendar, Component]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_invite_parses_back_and_matches_the_slot() -> None:
    calendar, event = the_event(invite())
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == "pair-42-20261208T1430Z@upward"
    assert event.decoded("DTSTART") == SLOT
    assert event.decoded("DTEND") == SLOT + timedelta(minutes=45)
    assert event.decoded("DTSTAMP") == NOW.replace(microsecond=0)
    assert str(event["SUMMARY"]) == ("Reverse mentoring, pilot; 2027: Sam Ó Briain & Leo Park, Jr.")
    assert str(event["DESCRIPTION"]) == PROMPT


def test_times_are_written_in_utc() -> None:
    text = invite().decode()
    assert "DTSTART:20261208T143000Z\r\n" in text
    assert "DTEND:20261208T151500Z\r\n" in text
    assert "DTSTAMP:20261201T090005Z\r\n" in text


def test_a_slot_given_in_another_zone_is_the_same_instant_in_utc() -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    _, event = the_event(invite(start=SLOT.astimezone(kolkata)))
    assert event.decoded("DTSTART") == SLOT
    assert invite(start=SLOT.astimezone(kolkata)) == invite()


def test_lines_are_crlf_folded_and_escaped_for_calendar_apps() -> None:
    ics = invite()
    lines = ics.split(b"\r\n")
    assert ics.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 folds at 75 octets
    unfolded = ics.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:Reverse mentoring\\, pilot\\; 2027: Sam Ó Briain & Leo Park\\, Jr." in unfolded
    assert "\\nThen agree one thing" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 1


@pytest.mark.parametrize("minutes", SESSION_LENGTHS)
def test_the_session_length_sets_the_end(minutes: int) -> None:
    _, event = the_event(invite(length_minutes=minutes))
    duration = event.decoded("DTEND") - event.decoded("DTSTART")
    assert duration == timedelta(minutes=minutes)


def test_other_lengths_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        invite(length_minutes=50)
    with pytest.raises(ValueError):
        invite(start=SLOT.replace(tzinfo=None))
    with pytest.raises(ValueError):
        invite(now=NOW.replace(tzinfo=None))


def test_the_uid_is_stable_per_pair_and_slot() -> None:
    assert invite_uid(42, SLOT) == invite_uid(42, SLOT.astimezone(timezone(timedelta(hours=-8))))
    assert invite_uid(42, SLOT) != invite_uid(43, SLOT)
    assert invite_uid(42, SLOT) != invite_uid(42, SLOT + timedelta(minutes=15))
    # Built again later (a new DTSTAMP), it is the same event for the calendar.
    later = invite(now=NOW + timedelta(days=2))
    assert str(the_event(later)[1]["UID"]) == str(the_event(invite())[1]["UID"])


def test_an_invite_for_a_suggested_slot() -> None:
    london, kolkata = default_hours("Europe/London", "GB"), default_hours("Asia/Kolkata", "IN")
    start = datetime(2026, 12, 7, 10, tzinfo=UTC)
    slots = suggest_times(
        london,
        kolkata,
        period_start=start,
        period_end=start + timedelta(weeks=2),
        length_minutes=60,
        now=start,
    )
    for slot in slots:
        _, event = the_event(invite(start=slot, length_minutes=60))
        assert event.decoded("DTSTART") == slot
        assert event.decoded("DTEND") == slot + timedelta(hours=1)


def test_the_file_name() -> None:
    assert invite_filename(SLOT) == "upward-2026-12-08.ics"
