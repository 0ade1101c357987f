"""Queries for keeping pairs going: the scheduler's set-based loads, prompts, meetings, check-ins.

The loads read every active pair in a handful of queries (never one per pair), so deciding
what is due stays fast with tens of thousands of pairs.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from bot.store.models import (
    CheckinAnswer,
    CheckinRequest,
    Meeting,
    OutboxMessage,
    Pair,
    PairPrompt,
    Participant,
    Programme,
)

CHECKIN = "checkin"
KEY_CHUNK = 500  # keys per IN (...) list: well under every backend's parameter limit

_mentor = aliased(Participant)
_mentee = aliased(Participant)


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


@dataclass(frozen=True, slots=True)
class ActivePair:
    """An active pair as the scheduler sees it."""

    pair_id: int
    team_id: str
    started_at: datetime
    channel_id: str | None
    mentor_id: str
    mentee_id: str
    cadence_weeks: int
    round_weeks: int
    mentor_offset: int
    mentee_offset: int
    mentor_paused: bool
    mentee_paused: bool


def active_pairs(*, session: Session) -> list[ActivePair]:
    """Every active pair with its programme's rhythm and both people's time zone and pause."""
    query = (
        select(
            Pair.id,
            Pair.team_id,
            Pair.started_at,
            Pair.channel_id,
            Pair.mentor_id,
            Pair.mentee_id,
            Programme.cadence_weeks,
            Programme.round_weeks,
            _mentor.utc_offset_minutes,
            _mentee.utc_offset_minutes,
            _mentor.paused,
            _mentee.paused,
        )
        .join(Programme, Programme.id == Pair.programme_id)
        .join(_mentor, (_mentor.team_id == Pair.team_id) & (_mentor.user_id == Pair.mentor_id))
        .join(_mentee, (_mentee.team_id == Pair.team_id) & (_mentee.user_id == Pair.mentee_id))
        .where(Pair.status == "active")
        # The same order in every process, so two ticks take row locks in the same order.
        .order_by(Pair.id)
    )
    # One row per pair, in select order: the dataclass's fields follow that order.
    return [ActivePair(*row) for row in session.execute(query)]  # type: ignore[call-arg]


def last_meetings(*, session: Session) -> dict[int, date]:
    """The last day each active pair recorded a meeting."""
    query = (
        select(Meeting.pair_id, func.max(Meeting.met_on))
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(Pair.status == "active")
        .group_by(Meeting.pair_id)
    )
    return dict(session.execute(query).all())


def last_prompted_periods(*, session: Session) -> dict[int, int]:
    """The last period each active pair got a prompt for."""
    query = (
        select(PairPrompt.pair_id, func.max(PairPrompt.period))
        .join(Pair, Pair.id == PairPrompt.pair_id)
        .where(Pair.status == "active")
        .group_by(PairPrompt.pair_id)
    )
    return dict(session.execute(query).all())


def last_checkin_periods(*, session: Session) -> dict[tuple[int, str], int]:
    """The last period each person of an active pair was asked a check-in about."""
    query = (
        select(CheckinRequest.pair_id, CheckinRequest.user_id, func.max(CheckinRequest.period))
        .join(Pair, Pair.id == CheckinRequest.pair_id)
        .where(Pair.status == "active", CheckinRequest.kind == CHECKIN)
        .group_by(CheckinRequest.pair_id, CheckinRequest.user_id)
    )
    return {(pair_id, user_id): period for pair_id, user_id, period in session.execute(query)}


def stored_keys(*, session: Session, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (team, outbox key) pairs are already stored, sent or not."""
    wanted = list(keys)
    found: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), KEY_CHUNK):
        chunk = wanted[start : start + KEY_CHUNK]
        query = select(OutboxMessage.team_id, OutboxMessage.key).where(
            OutboxMessage.key.in_({key for _, key in chunk})
        )
        found |= {(team, key) for team, key in session.execute(query)} & set(chunk)
    return found


def prompt_histories(*, session: Session, pair_ids: Iterable[int]) -> dict[int, list[str]]:
    """The prompt ids each pair has had, oldest first (with repeats, for the rotation)."""
    wanted = list(pair_ids)
    history: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(wanted), KEY_CHUNK):
        query = (
            select(PairPrompt.pair_id, PairPrompt.prompt_id)
            .where(PairPrompt.pair_id.in_(wanted[start : start + KEY_CHUNK]))
            .order_by(PairPrompt.pair_id, PairPrompt.period)
        )
        for pair_id, prompt_id in session.execute(query):
            history[pair_id].append(prompt_id)
    return history


def people(*, session: Session, team_id: str, user_ids: Iterable[str]) -> dict[str, Participant]:
    """Participants by Slack id."""
    query = select(Participant).where(
        Participant.team_id == team_id, Participant.user_id.in_(list(user_ids))
    )
    return {p.user_id: p for p in session.scalars(query)}


def record_prompt(
    *,
    session: Session,
    team_id: str,
    pair_id: int,
    period: int,
    prompt_id: str,
    topic: str,
    now: datetime,
) -> bool:
    """Record the prompt chosen for a pair's period; False if one was already recorded."""
    statement = (
        _insert(session)(PairPrompt)
        .values(
            team_id=team_id,
            pair_id=pair_id,
            period=period,
            prompt_id=prompt_id,
            topic=topic,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(PairPrompt.id)
    )
    return session.execute(statement).scalar() is not None


def record_checkin_request(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    programme_id: int,
    period: int,
    now: datetime,
) -> int | None:
    """Record that a person is asked about a period; its id, or None if already asked."""
    statement = (
        _insert(session)(CheckinRequest)
        .values(
            team_id=team_id,
            user_id=user_id,
            pair_id=pair_id,
            programme_id=programme_id,
            kind=CHECKIN,
            period=period,
            asked_at=now,
            answered=False,
        )
        .on_conflict_do_nothing()
        .returning(CheckinRequest.id)
    )
    found: int | None = session.execute(statement).scalar()
    return found


def record_meeting(
    *, session: Session, team_id: str, pair_id: int, met_on: date, now: datetime
) -> bool:
    """Record that a pair met on a day; False if that day was already recorded."""
    statement = (
        _insert(session)(Meeting)
        .values(team_id=team_id, pair_id=pair_id, met_on=met_on, created_at=now)
        .on_conflict_do_nothing()
        .returning(Meeting.id)
    )
    return session.execute(statement).scalar() is not None


def get_checkin_request(
    *, session: Session, team_id: str, request_id: int
) -> CheckinRequest | None:
    """One check-in request of this workspace."""
    found = session.get(CheckinRequest, request_id)
    return found if found is not None and found.team_id == team_id else None


def mark_answered(*, session: Session, request_id: int) -> bool:
    """Mark a request answered; False if it already was (a second submit, even a concurrent one)."""
    statement = (
        update(CheckinRequest)
        .where(CheckinRequest.id == request_id, CheckinRequest.answered.is_(False))
        .values(answered=True)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def add_answer(*, session: Session, answer: CheckinAnswer) -> None:
    """Store an anonymised check-in answer."""
    session.add(answer)


def forget_user(*, session: Session, team_id: str, user_id: str) -> None:
    """Delete the record of which check-ins a person who left was asked."""
    session.execute(
        delete(CheckinRequest).where(
            CheckinRequest.team_id == team_id, CheckinRequest.user_id == user_id
        )
    )
