"""Queries for keeping pairs going: the scheduler's set-based loads, prompts, check-ins.

The loads read every active pair in a handful of queries (never one per pair), so deciding
what is due stays fast with tens of thousands of pairs.
"""

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Result, Row, Select, case, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.domain.states import PairStatus, RequestKind
from bot.store import next_checks
from bot.store.db import insert_for
from bot.store.models import (
    CheckinRequest,
    OutboxMessage,
    Pair,
    PairPrompt,
    Participant,
    Programme,
)
from bot.store.round_end import CLOSING

CHECKIN = RequestKind.CHECKIN
_Ts = TypeVarTuple("_Ts")
KEY_CHUNK = 500  # keys per IN (...) list: well under every backend's parameter limit

_mentor = aliased(Participant)
_mentee = aliased(Participant)


def _rows(session: Session, query: Select[*_Ts]) -> Result[*_Ts]:
    # Plain column rows through the session's connection: the ORM's result machinery would
    # cost more than the database itself at tens of thousands of rows.
    return session.connection().execute(query)


# An active pair as the scheduler sees it, by name: pair_id, team_id, programme_id, started_at,
# mentor_id, mentee_id, mentor_offset, mentee_offset, paused (either), has_channel, both
# people's last resume, and the pair's next check as read (to store the next one only if no one
# asked for a check meanwhile).
ActivePair = Row[
    int,
    str,
    int,
    datetime,
    str,
    str,
    int,
    int,
    bool,
    bool,
    datetime | None,
    datetime | None,
    datetime | None,
]


def pairs_to_check(*, session: Session, now: datetime) -> Sequence[ActivePair]:
    """The active pairs whose next check has come, oldest first, with both people's time zone
    and whether either paused."""
    query = (
        select(
            Pair.id.label("pair_id"),
            Pair.team_id,
            Pair.programme_id,
            Pair.started_at,
            Pair.mentor_id,
            Pair.mentee_id,
            _mentor.utc_offset_minutes.label("mentor_offset"),
            _mentee.utc_offset_minutes.label("mentee_offset"),
            or_(_mentor.paused, _mentee.paused).label("paused"),
            Pair.channel_id.is_not(None).label("has_channel"),
            _mentor.resumed_at.label("mentor_resumed_at"),
            _mentee.resumed_at.label("mentee_resumed_at"),
            Pair.next_check_at,
        )
        .join(_mentor, (_mentor.team_id == Pair.team_id) & (_mentor.user_id == Pair.mentor_id))
        .join(_mentee, (_mentee.team_id == Pair.team_id) & (_mentee.user_id == Pair.mentee_id))
        .where(next_checks.due(now))
        # The same order in every process, so two ticks take row locks in the same order.
        .order_by(Pair.id)
    )
    return _rows(session, query).all()


def rhythms(*, session: Session) -> dict[int, tuple[int, int]]:
    """Each programme's cadence and round length, in weeks."""
    query = select(Programme.id, Programme.cadence_weeks, Programme.round_weeks)
    return {row.id: (row.cadence_weeks, row.round_weeks) for row in session.execute(query)}


# The history loads below read only the pairs in `pairs` (a query of their ids).


def last_prompts(
    *, session: Session, pairs: next_checks.PairIds
) -> dict[int, tuple[int, datetime]]:
    """The last period each pair got a prompt for, and when its last prompt was stored."""
    query = (
        select(PairPrompt.pair_id, func.max(PairPrompt.period), func.max(PairPrompt.created_at))
        .where(PairPrompt.pair_id.in_(pairs))
        .group_by(PairPrompt.pair_id)
    )
    return {pair_id: (period, at) for pair_id, period, at in _rows(session, query).all()}


def last_checkin_periods(
    *, session: Session, pairs: next_checks.PairIds
) -> dict[int, tuple[int, int]]:
    """For each pair, the last period its mentor and its mentee were each asked about, -1 for
    never (one row a pair, not one a person: half the rows)."""
    asked = CheckinRequest.period

    def last_for(person: Any) -> Any:
        return func.coalesce(func.max(case((CheckinRequest.user_id == person, asked))), -1)

    query = (
        select(CheckinRequest.pair_id, last_for(Pair.mentor_id), last_for(Pair.mentee_id))
        .join(Pair, Pair.id == CheckinRequest.pair_id)
        .where(CheckinRequest.pair_id.in_(pairs), CheckinRequest.kind == CHECKIN)
        .group_by(CheckinRequest.pair_id)
    )
    return {pair_id: (mentor, mentee) for pair_id, mentor, mentee in _rows(session, query).all()}


def continued_rounds(*, session: Session, pairs: next_checks.PairIds) -> dict[int, int]:
    """For each pair in `pairs`, how many rounds it carried on after: rounds whose
    closing survey both people answered while the pair stayed active (any other answer ends it)."""
    both_answered = (
        select(CheckinRequest.pair_id)
        .where(
            CheckinRequest.pair_id.in_(pairs),
            CheckinRequest.kind == CLOSING,
            CheckinRequest.answered,
        )
        .group_by(CheckinRequest.pair_id, CheckinRequest.period)
        .having(func.count() == 2)
        .subquery()
    )
    query = select(both_answered.c.pair_id, func.count()).group_by(both_answered.c.pair_id)
    return dict(_rows(session, query).all())


def stored_keys(*, session: Session, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (team, outbox key) pairs are already stored, sent or not."""
    by_team: dict[str, list[str]] = defaultdict(list)
    for team_id, key in keys:
        by_team[team_id].append(key)
    found: set[tuple[str, str]] = set()
    for team_id, wanted in by_team.items():
        # Team first, so the lookup uses the outbox's unique (team_id, key) index.
        for start in range(0, len(wanted), KEY_CHUNK):
            query = select(OutboxMessage.key).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.key.in_(wanted[start : start + KEY_CHUNK]),
            )
            found |= {(team_id, key) for key in session.scalars(query)}
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


def active_pairs_by_id(*, session: Session, pair_ids: Iterable[int]) -> dict[int, Pair]:
    """The pairs with these ids that are still active."""
    query = select(Pair).where(Pair.id.in_(list(pair_ids)), Pair.status == PairStatus.ACTIVE)
    return {pair.id: pair for pair in session.scalars(query)}


def members(*, session: Session, pairs: Iterable[Pair]) -> dict[tuple[str, str], Participant]:
    """The participants of these pairs, by (team, Slack id)."""
    wanted = {(p.team_id, user) for p in pairs for user in (p.mentor_id, p.mentee_id)}
    query = select(Participant).where(Participant.user_id.in_({user for _, user in wanted}))
    found = {(p.team_id, p.user_id): p for p in session.scalars(query)}
    return {key: person for key, person in found.items() if key in wanted}


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
        insert_for(session)(PairPrompt)
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
) -> CheckinRequest | None:
    """Record that a person is asked about a period; None if they already were."""
    statement = (
        insert_for(session)(CheckinRequest)
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
        .returning(CheckinRequest)
    )
    found: CheckinRequest | None = session.scalars(statement).first()
    return found


def get_checkin_request(
    *, session: Session, team_id: str, request_id: int
) -> CheckinRequest | None:
    """One check-in request of this workspace."""
    found = session.get(CheckinRequest, request_id)
    return found if found is not None and found.team_id == team_id else None


def mark_answered(*, session: Session, request_id: int, period: date) -> bool:
    """Mark a request answered in the programme period starting `period`; False if it already
    was (a second submit, even a concurrent one)."""
    statement = (
        update(CheckinRequest)
        .where(CheckinRequest.id == request_id, CheckinRequest.answered.is_(False))
        .values(answered=True, answered_in=period)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def forget_user(*, session: Session, team_id: str, user_id: str) -> None:
    """Delete the record of which check-ins and closing surveys a person who left was asked.

    Answers they gave in periods not yet released still count as one person there: those
    requests stay until their block is released, under a random stand-in that nobody can tie
    back to them (`bot.store.ballots.LEFT`).
    """
    mine = (CheckinRequest.team_id == team_id, CheckinRequest.user_id == user_id)
    session.execute(
        update(CheckinRequest)
        .where(*mine, CheckinRequest.answered_in.is_not(None))
        .values(user_id="-" + secrets.token_hex(8))
    )
    session.execute(delete(CheckinRequest).where(*mine))
