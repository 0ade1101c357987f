"""Queries on closing surveys: who was asked at the end of which round, and anonymous answers."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.states import PairStatus, RequestKind
from bot.store.db import insert_for
from bot.store.models import CheckinRequest, Pair, Participant, Programme

CLOSING = RequestKind.CLOSING


def every_programme(*, session: Session) -> Sequence[Programme]:
    """Every programme, of every workspace (rounds end on each one's own schedule)."""
    return session.scalars(select(Programme).order_by(Programme.id)).all()


def pairs_past_first_round(
    *, session: Session, programme: Programme, now: datetime
) -> Sequence[tuple[Pair, int]]:
    """Active pairs whose first round is over, each with how many closing surveys it has had."""
    asked = (
        select(
            CheckinRequest.pair_id,
            func.count(func.distinct(CheckinRequest.period)).label("rounds"),
        )
        .where(CheckinRequest.kind == CLOSING)
        .group_by(CheckinRequest.pair_id)
        .subquery()
    )
    query = (
        select(Pair, func.coalesce(asked.c.rounds, 0))
        .outerjoin(asked, asked.c.pair_id == Pair.id)
        .where(
            Pair.programme_id == programme.id,
            Pair.status == PairStatus.ACTIVE,
            Pair.started_at <= now - timedelta(weeks=programme.round_weeks),
        )
        .order_by(Pair.id)
    )
    return [(pair, int(rounds)) for pair, rounds in session.execute(query)]


def utc_offsets(
    *, session: Session, users: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """(team, user) -> minutes east of UTC, for those of `users` who are participants."""
    found: dict[tuple[str, str], int] = {}
    for team_id in {team for team, _ in users}:
        ids = [user for team, user in users if team == team_id]
        query = select(Participant.user_id, Participant.utc_offset_minutes).where(
            Participant.team_id == team_id, Participant.user_id.in_(ids)
        )
        found |= {(team_id, user): offset for user, offset in session.execute(query)}
    return found


def add_requests(
    *, session: Session, due: Sequence[tuple[Pair, int]], now: datetime
) -> set[tuple[int, str]]:
    """Record that both people of each (pair, round) are asked; the (pair, person) newly added."""
    if not due:
        return set()
    rows = [
        {
            "team_id": pair.team_id,
            "user_id": user_id,
            "pair_id": pair.id,
            "programme_id": pair.programme_id,
            "kind": CLOSING,
            "period": round_index,
            "asked_at": now,
            "answered": False,
        }
        for pair, round_index in due
        for user_id in (pair.mentor_id, pair.mentee_id)
    ]
    insert = insert_for(session)
    statement = (
        insert(CheckinRequest)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(CheckinRequest.pair_id, CheckinRequest.user_id)
    )
    return {(pair_id, user_id) for pair_id, user_id in session.execute(statement)}


def latest_request(
    *, session: Session, team_id: str, user_id: str, pair_id: int
) -> CheckinRequest | None:
    """The person's most recent closing survey for this pair."""
    query = (
        select(CheckinRequest)
        .where(
            CheckinRequest.team_id == team_id,
            CheckinRequest.user_id == user_id,
            CheckinRequest.pair_id == pair_id,
            CheckinRequest.kind == CLOSING,
        )
        .order_by(CheckinRequest.period.desc())
        .limit(1)
    )
    return session.scalar(query)


def request_of(
    *, session: Session, pair_id: int, user_id: str, round_index: int
) -> CheckinRequest | None:
    """One person's closing survey for one round of a pair."""
    query = select(CheckinRequest).where(
        CheckinRequest.pair_id == pair_id,
        CheckinRequest.user_id == user_id,
        CheckinRequest.kind == CLOSING,
        CheckinRequest.period == round_index,
    )
    return session.scalar(query)


def overdue_pairs(
    *, session: Session, programme: Programme, now: datetime, limit: int
) -> Sequence[Pair]:
    """Active pairs with a closing survey left unanswered past its deadline (at most `limit`)."""
    late = select(CheckinRequest.pair_id).where(
        CheckinRequest.programme_id == programme.id,
        CheckinRequest.kind == CLOSING,
        CheckinRequest.answered.is_(False),
        CheckinRequest.asked_at <= now - timedelta(weeks=programme.cadence_weeks),
    )
    query = (
        select(Pair)
        .where(
            Pair.status == PairStatus.ACTIVE, Pair.id.in_(late), Pair.programme_id == programme.id
        )
        .order_by(Pair.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def lock_pair(*, session: Session, team_id: str, pair_id: int) -> Pair | None:
    """A pair, locked until the transaction ends (on PostgreSQL; SQLite has one writer anyway)."""
    query = select(Pair).where(Pair.team_id == team_id, Pair.id == pair_id).with_for_update()
    return session.scalar(query)
