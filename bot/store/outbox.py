"""Outgoing Slack calls, stored before they are sent; each key is sent at most once."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.states import OutboxStatus
from bot.store.db import insert_for
from bot.store.models import OutboxMessage

PENDING, SENDING, SENT, FAILED, EXPIRED = OutboxStatus

# How long a sender may hold a claim before another takes the call back: far longer than one
# Slack call may take (bot.app.SLACK_TIMEOUT_SECONDS), so only a dead or stuck sender loses it.
LEASE = timedelta(minutes=2)


def enqueue(
    *,
    session: Session,
    team_id: str,
    key: str,
    method: str,
    payload: dict[str, Any],
    now: datetime,
    user_id: str | None = None,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
) -> bool:
    """Store a call under `key`; False when that key was already stored (nothing is added)."""
    values = {
        "team_id": team_id,
        "key": key,
        "user_id": user_id,
        "method": method,
        "payload": payload,
        "status": PENDING,
        "not_before": not_before or now,
        "expires_at": expires_at,
        "attempts": 0,
        "created_at": now,
    }
    insert = insert_for(session)
    statement = (
        insert(OutboxMessage).values(values).on_conflict_do_nothing().returning(OutboxMessage.id)
    )
    return session.execute(statement).scalar() is not None


def _claimable(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    """Pending, or claimed by a sender that has held it past the lease (it died, or hangs)."""
    return or_(
        OutboxMessage.status == PENDING,
        and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at <= now - lease),
    )


def due(
    *,
    session: Session,
    now: datetime,
    limit: int,
    stored_at: datetime | None = None,
    lease: timedelta = LEASE,
) -> Sequence[OutboxMessage]:
    """Calls to send now, oldest first: pending ones whose time has come and abandoned claims.

    With `stored_at`, only the calls stored at that moment: what one request caused.
    """
    query = (
        select(OutboxMessage)
        .where(_claimable(now, lease), OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if stored_at is not None:
        query = query.where(OutboxMessage.created_at == stored_at)
    return session.scalars(query).all()


def claim(
    *, session: Session, message_id: int, now: datetime, lease: timedelta = LEASE
) -> int | None:
    """Take a call for sending; its claim number, or None if another sender holds it."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now, lease))
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.attempts)
    )
    claimed: int | None = session.execute(statement).scalar()
    return claimed


def _held(message_id: int, claim: int) -> ColumnElement[bool]:
    # The claim number fences a sender whose lease ran out: once another sender has taken the
    # call over, the first one's late answer must not overwrite what the second recorded.
    return and_(
        OutboxMessage.id == message_id,
        OutboxMessage.status == SENDING,
        OutboxMessage.attempts == claim,
    )


def finish(
    *,
    session: Session,
    message_id: int,
    claim: int,
    status: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Record how a claimed call ended: sent, failed for good, or expired."""
    # Whatever happened, what was said is not kept (a concern's text, say): only the key stays.
    values: dict[str, Any] = {"status": status, "error": error, "payload": {}}
    if status == SENT:
        values["sent_at"] = now
    session.execute(update(OutboxMessage).where(_held(message_id, claim)).values(values))


def retry_later(*, session: Session, message_id: int, claim: int, at: datetime, error: str) -> None:
    """Put a claimed call back in the queue, not to be tried before `at`."""
    session.execute(
        update(OutboxMessage)
        .where(_held(message_id, claim))
        .values(status=PENDING, not_before=at, error=error)
    )


def forget_user(*, session: Session, team_id: str, user_id: str) -> None:
    """Delete every stored call for a person who left, sent or not."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.team_id == team_id, OutboxMessage.user_id == user_id
        )
    )


def drop_pending(*, session: Session, team_id: str, key_prefix: str) -> None:
    """Withdraw unsent calls whose key starts with `key_prefix` (a pair that ended, say)."""
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.status == PENDING,
            OutboxMessage.key.startswith(key_prefix, autoescape=True),
        )
    )
