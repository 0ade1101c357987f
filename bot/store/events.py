"""Events API deliveries already handled: Slack retries an event it thinks was lost."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.db import insert_for
from bot.store.models import SeenEvent


def first_sighting(*, session: Session, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event; False when it was recorded before (a retry or a duplicate)."""
    values = {"team_id": team_id, "event_id": event_id, "seen_at": now}
    # An insert that skips a conflict is atomic: two processes given the same retry at once
    # cannot both see it as new.
    statement = (
        insert_for(session)(SeenEvent)
        .values(values)
        .on_conflict_do_nothing()
        .returning(SeenEvent.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def forget_before(*, session: Session, before: datetime) -> int:
    """Drop records older than `before` (Slack stops retrying after minutes); how many went."""
    result = session.execute(delete(SeenEvent).where(SeenEvent.seen_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
