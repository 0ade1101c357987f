"""Queries for finding a time: planned meetings, their "Did it happen?", first movers."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Row, exists, select
from sqlalchemy.orm import Session

from bot.domain.slots import SESSION_LENGTHS
from bot.domain.states import MeetingStatus, PairStatus
from bot.store.models import Meeting, Pair, PairPrompt, Programme

PLANNED = MeetingStatus.PLANNED


def lock_pair(*, session: Session, team_id: str, pair_id: int) -> Pair | None:
    """The pair, locked until the transaction ends: two picks at once plan one meeting."""
    query = (
        select(Pair)
        .where(Pair.id == pair_id, Pair.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(query)


def planned_ahead(*, session: Session, pair_id: int, now: datetime) -> Meeting | None:
    """The pair's planned meeting that has not started yet, if any."""
    query = select(Meeting).where(
        Meeting.pair_id == pair_id, Meeting.status == PLANNED, Meeting.starts_at > now
    )
    return session.scalars(query.limit(1)).first()


def meeting_on(*, session: Session, pair_id: int, day: date) -> Meeting | None:
    """The pair's meeting row for a day (one a day), whatever its status."""
    query = select(Meeting).where(Meeting.pair_id == pair_id, Meeting.met_on == day)
    return session.scalar(query)


def plan(
    *, session: Session, team_id: str, pair_id: int, day: date, start: datetime, now: datetime
) -> Meeting:
    """Store a planned meeting (the caller holds the pair's lock and checked the day is free)."""
    meeting = Meeting(
        team_id=team_id, pair_id=pair_id, met_on=day, status=PLANNED, starts_at=start,
        created_at=now,
    )  # fmt: skip
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(*, session: Session, team_id: str, meeting_id: int) -> Meeting | None:
    """One meeting of this workspace, locked: two answers to "Did it happen?" count once."""
    query = (
        select(Meeting)
        .where(Meeting.id == meeting_id, Meeting.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(query)


def planned_and_over(*, session: Session, now: datetime) -> Sequence[Row[Meeting, Pair]]:
    """Planned meetings of active pairs whose session has ended by `now`, with their pair."""
    shortest = timedelta(minutes=min(SESSION_LENGTHS))
    query = (
        select(Meeting, Pair)
        .join(Pair, Pair.id == Meeting.pair_id)
        .join(Programme, Programme.id == Pair.programme_id)
        .where(
            Meeting.status == PLANNED,
            Meeting.starts_at <= now - shortest,
            Pair.status == PairStatus.ACTIVE,
            Pair.channel_id.is_not(None),
        )
        .order_by(Meeting.id)
    )
    rows = session.execute(query).all()
    lengths: dict[int, int] = {
        row.id: row.session_minutes
        for row in session.execute(select(Programme.id, Programme.session_minutes))
    }
    return [
        row
        for row in rows
        if row[0].starts_at is not None
        and row[0].starts_at + timedelta(minutes=lengths[row[1].programme_id]) <= now
    ]


def without_meetings(*, session: Session, started_before: datetime) -> Sequence[Pair]:
    """Active pairs with a group DM, paired before `started_before`, with no meeting on record
    (planned or held)."""
    query = (
        select(Pair)
        .where(
            Pair.status == PairStatus.ACTIVE,
            Pair.channel_id.is_not(None),
            Pair.started_at < started_before,
            ~exists().where(Meeting.pair_id == Pair.id),
        )
        .order_by(Pair.id)
    )
    return session.scalars(query).all()


def prompt_id_of(*, session: Session, pair_id: int, period: int) -> str | None:
    """The prompt a pair got in one period, if any."""
    query = select(PairPrompt.prompt_id).where(
        PairPrompt.pair_id == pair_id, PairPrompt.period == period
    )
    return session.scalar(query)
