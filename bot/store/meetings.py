"""Meetings on a pair's record: held ones (we met), and the day a pair last met."""

from datetime import date, datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from bot.domain.states import MeetingStatus
from bot.store.db import insert_for
from bot.store.models import Meeting


def last_meetings(*, session: Session, pairs: Select[int]) -> dict[int, date]:
    """The last day each pair in `pairs` (a query of their ids) recorded a meeting that was
    held."""
    query = (
        select(Meeting.pair_id, func.max(Meeting.met_on))
        .where(Meeting.pair_id.in_(pairs), Meeting.status == MeetingStatus.HELD)
        .group_by(Meeting.pair_id)
    )
    return dict(session.connection().execute(query).all())


def record_meeting(
    *, session: Session, team_id: str, pair_id: int, met_on: date, now: datetime
) -> bool:
    """Record that a pair met on a day; False if that day was already recorded as held.

    A meeting planned (or asked about, or said missed) for that day becomes held.
    """
    held = session.execute(
        update(Meeting)
        .where(
            Meeting.pair_id == pair_id,
            Meeting.met_on == met_on,
            Meeting.status != MeetingStatus.HELD,
        )
        .values(status=MeetingStatus.HELD)
    )
    if held.rowcount:  # type: ignore[attr-defined]
        return True
    statement = (
        insert_for(session)(Meeting)
        .values(team_id=team_id, pair_id=pair_id, met_on=met_on, created_at=now)
        .on_conflict_do_nothing()
        .returning(Meeting.id)
    )
    return session.execute(statement).scalar() is not None
