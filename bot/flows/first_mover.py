"""A first mover: the one private reminder when a pair has planned nothing after its kick-off."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.find_time import FIRST_MOVER_DAYS, Place, PlaceKind, first_mover_of, reminder_due
from bot.domain.working_hours import is_working
from bot.flows.find_time import pair_hours, programme_of, suggested
from bot.flows.notify import Notifier
from bot.store import find_time as store
from bot.store import keep_going, outbox_keys
from bot.store.models import Pair, Programme


def remind_first_movers(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Remind, once and privately, each first mover whose pair has planned or recorded nothing
    five working days after its kick-off (or a resume since), with suggested times; only in
    their working hours."""
    candidates = store.without_meetings(
        session=session, started_before=now - timedelta(days=FIRST_MOVER_DAYS)
    )
    if not candidates:
        return 0
    found: dict[int, Programme] = {}
    movers: list[tuple[Pair, Programme, str]] = []
    for pair in candidates:
        if pair.programme_id not in found:
            found[pair.programme_id] = programme_of(session, pair)
        programme = found[pair.programme_id]
        movers.append((pair, programme, first_mover_of(pair, programme.first_mover)))
    # A reminder leaves no record but its message: the outbox says who already had one.
    sent = keep_going.stored_keys(
        session=session,
        keys=[(p.team_id, outbox_keys.first_mover(p.id, mover)) for p, _, mover in movers],
    )
    movers = [
        m for m in movers if (m[0].team_id, outbox_keys.first_mover(m[0].id, m[2])) not in sent
    ]
    people = keep_going.members(session=session, pairs=[pair for pair, _, _ in movers])
    reminded = 0
    for pair, programme, mover in movers:
        mentor = people.get((pair.team_id, pair.mentor_id))
        mentee = people.get((pair.team_id, pair.mentee_id))
        if mentor is None or mentee is None or mentor.paused or mentee.paused:
            continue
        hours = pair_hours(session=session, pair=pair)
        if hours is None:
            continue
        theirs = hours[0] if mover == pair.mentor_id else hours[1]
        # Counted again from a resume: after a pause the pair's prompt is its one catch-up.
        since = max(t for t in (pair.started_at, mentor.resumed_at, mentee.resumed_at) if t)
        if now < reminder_due(theirs, since) or not is_working(theirs, now):
            continue
        period = int((now - pair.started_at) / timedelta(weeks=programme.cadence_weeks))
        times = suggested(pair=pair, programme=programme, hours=hours, period=period, now=now)
        reminded += notifier.first_mover_reminder(
            session=session, pair=pair, programme=programme, user_id=mover,
            place=Place(PlaceKind.REMINDER, period), times=times, now=now,
        )  # fmt: skip
    return reminded
