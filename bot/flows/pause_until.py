"""Ending pauses that were given a date: each person is resumed that morning in their zone."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import pause
from bot.flows.notify import Notifier
from bot.store import participants


def resume_due(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Un-pause everyone whose date's morning has come where they are; how many were resumed."""
    resumed = 0
    for person in participants.paused_until_by(session=session, day=pause.latest_due_day(now)):
        until = person.paused_until
        local = pause.local_now(
            now, timezone=person.timezone, utc_offset_minutes=person.utc_offset_minutes
        )
        if until is None or not pause.resume_due(until, local=local):
            continue
        # The UPDATE decides: a second run, or a `/mentoring resume` meanwhile, changes nothing.
        if participants.resume_if_due(
            session=session, participant_id=person.id, day=local.date(), now=now
        ):
            notifier.resumed(
                session=session, team_id=person.team_id, user_id=person.user_id, until=until,
                now=now,
            )  # fmt: skip
            resumed += 1
    return resumed
