"""Queries for the ghost check: who in an active pair has been quiet, and their open question."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, func, not_, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.domain.states import PairStatus, RequestKind
from bot.store.models import CheckinRequest, Pair, Participant

_mentor = aliased(Participant)
_mentee = aliased(Participant)

# pair_id, team_id, programme_id, started_at, mentor_id, mentee_id, then for the mentor and
# the mentee each: utc offset, updated_at, and when they were asked about *this* pair (or None).
QuietPair = Row[
    int, str, int, datetime, str, str,
    int, datetime, datetime | None, int, datetime, datetime | None,
]  # fmt: skip


def _asked_here(person: Any) -> Any:
    return case((person.still_in_pair_id == Pair.id, person.still_in_asked_at), else_=None)


def quiet_candidates(*, session: Session) -> Sequence[QuietPair]:
    """Every active, kicked-off pair with neither person paused, oldest first."""
    query = (
        select(
            Pair.id,
            Pair.team_id,
            Pair.programme_id,
            Pair.started_at,
            Pair.mentor_id,
            Pair.mentee_id,
            _mentor.utc_offset_minutes,
            _mentor.updated_at,
            _asked_here(_mentor),
            _mentee.utc_offset_minutes,
            _mentee.updated_at,
            _asked_here(_mentee),
        )
        .join(_mentor, (_mentor.team_id == Pair.team_id) & (_mentor.user_id == Pair.mentor_id))
        .join(_mentee, (_mentee.team_id == Pair.team_id) & (_mentee.user_id == Pair.mentee_id))
        .where(
            Pair.status == PairStatus.ACTIVE,
            Pair.channel_id.is_not(None),
            not_(_mentor.paused),
            not_(_mentee.paused),
        )
        .order_by(Pair.id)
    )
    return session.execute(query).all()


def answered_periods(*, session: Session, from_pair_id: int) -> dict[tuple[int, str], int]:
    """For each (pair, person), the last period whose check-in they answered (whatever it said:
    only the request's "answered" mark is read)."""
    query = (
        select(CheckinRequest.pair_id, CheckinRequest.user_id, func.max(CheckinRequest.period))
        .where(
            CheckinRequest.pair_id >= from_pair_id,
            CheckinRequest.kind == RequestKind.CHECKIN,
            CheckinRequest.answered,
        )
        .group_by(CheckinRequest.pair_id, CheckinRequest.user_id)
    )
    return {(pair_id, user_id): period for pair_id, user_id, period in session.execute(query)}


def first_unanswered(*, session: Session, from_pair_id: int) -> dict[tuple[int, str], datetime]:
    """For each (pair, person), when the earliest check-in they have not answered was asked,
    counting only those asked since the pair's anchor (its start, and both people's last pause,
    resume or profile change)."""
    query = (
        select(CheckinRequest.pair_id, CheckinRequest.user_id, func.min(CheckinRequest.asked_at))
        .join(Pair, Pair.id == CheckinRequest.pair_id)
        .join(_mentor, (_mentor.team_id == Pair.team_id) & (_mentor.user_id == Pair.mentor_id))
        .join(_mentee, (_mentee.team_id == Pair.team_id) & (_mentee.user_id == Pair.mentee_id))
        .where(
            CheckinRequest.pair_id >= from_pair_id,
            CheckinRequest.kind == RequestKind.CHECKIN,
            not_(CheckinRequest.answered),
            Pair.status == PairStatus.ACTIVE,
            CheckinRequest.asked_at >= Pair.started_at,
            CheckinRequest.asked_at >= _mentor.updated_at,
            CheckinRequest.asked_at >= _mentee.updated_at,
        )
        .group_by(CheckinRequest.pair_id, CheckinRequest.user_id)
    )
    return {(pair_id, user_id): asked_at for pair_id, user_id, asked_at in session.execute(query)}


def mark_asked(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    since: datetime,
    asked_at: datetime,
) -> bool:
    """Record the question about `pair_id` unless one is open already (asked at or after
    `since`, about any of their pairs: one question at a time); the UPDATE decides, so two
    ticks at once ask once."""
    result = session.execute(
        update(Participant)
        .where(
            Participant.team_id == team_id,
            Participant.user_id == user_id,
            not_(Participant.paused),
            or_(Participant.still_in_asked_at.is_(None), Participant.still_in_asked_at < since),
        )
        .values(still_in_asked_at=asked_at, still_in_pair_id=pair_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def settle(
    *, session: Session, team_id: str, user_id: str, asked_at: datetime, now: datetime | None
) -> bool:
    """Close the question asked at `asked_at`; with `now`, as a sign of life (silence counts
    afresh from then). False if it was settled already."""
    values: dict[str, object] = {"still_in_asked_at": None, "still_in_pair_id": None}
    if now is not None:
        values["updated_at"] = now
    result = session.execute(
        update(Participant)
        .where(
            Participant.team_id == team_id,
            Participant.user_id == user_id,
            Participant.still_in_asked_at == asked_at,
        )
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def pairs_at_risk(*, session: Session, team_id: str, programme_id: int) -> int:
    """Active pairs of a programme where someone has an open "still in?" question."""
    asked_in_pair = (Participant.team_id == Pair.team_id) & (
        Participant.still_in_pair_id == Pair.id
    )
    query = select(func.count(func.distinct(Pair.id))).join(Participant, asked_in_pair)
    query = query.where(
        Pair.team_id == team_id, Pair.programme_id == programme_id, Pair.status == "active"
    )
    return session.scalar(query) or 0
