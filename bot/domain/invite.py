"""The calendar invite for a picked meeting time, as an .ics file (pure).

Built with `icalendar`, which writes CRLF lines, folds them at 75 octets and escapes text, so
Google Calendar, Outlook and Apple Calendar import it. METHOD:PUBLISH makes it a plain event
to add (no attendees, no replies expected): the pair already agreed the time in Slack.
"""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.domain.slots import SESSION_LENGTHS

PRODID = "-//Upward//Reverse mentoring//EN"


def invite_uid(pair_id: int, start: datetime) -> str:
    """The same UID for the same pair and time, so importing the invite twice updates it."""
    return f"pair-{pair_id}-{start.astimezone(UTC):%Y%m%dT%H%MZ}@upward"


def invite_filename(start: datetime) -> str:
    """A file name for the upload, free of names (they may hold characters files cannot)."""
    return f"upward-{start.astimezone(UTC):%Y-%m-%d}.ics"


def invite_summary(programme: str, people: tuple[str, str], topic: str | None = None) -> str:
    """The event's title: the programme, the pair, and the period's prompt topic if any."""
    title = f"{programme}: {people[0]} & {people[1]}"
    return f"{title} ({topic})" if topic else title


def calendar_invite(
    *,
    pair_id: int,
    start: datetime,
    length_minutes: int,
    programme: str,
    people: tuple[str, str],
    prompt: str,
    now: datetime,
    topic: str | None = None,
) -> bytes:
    """One VEVENT in a VCALENDAR: the session at `start` (aware) for `length_minutes`, titled
    with the programme, the pair and the prompt's topic, the prompt as its description."""
    if start.tzinfo is None or now.tzinfo is None:
        raise ValueError("start and now must be aware datetimes")
    if length_minutes not in SESSION_LENGTHS:
        raise ValueError(f"a session lasts one of {SESSION_LENGTHS} minutes")
    start = start.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", invite_uid(pair_id, start))
    event.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=length_minutes))
    event.add("summary", invite_summary(programme, people, topic))
    event.add("description", prompt)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
