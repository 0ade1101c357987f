"""Outgoing Slack calls, stored before they are sent; each key is sent at most once."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.store.models import OutboxMessage

PENDING, SENDING, SENT, FAILED, EXPIRED = "pending", "sending", "sent", "failed", "expired"


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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessage).values(values).on_conflict_do_nothing().returning(OutboxMessage.id)
    )
    return session.execute(statement).scalar() is not None


def due(
    *, session: Session, now: datetime, limit: int, user_id: str | None = None
) -> Sequence[OutboxMessage]:
    """Pending calls whose time has come, oldest first (only one person's, if given)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return session.scalars(query).all()


def claim(*, session: Session, message_id: int) -> bool:
    """Mark a pending call as being sent; False if another process claimed it first."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING)
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def finish(
    *, session: Session, message_id: int, status: str, now: datetime, error: str | None = None
) -> None:
    """Record how a claimed call ended: sent, failed for good, or pending again."""
    values: dict[str, Any] = {"status": status, "error": error}
    if status == SENT:
        # What was said is not needed once Slack has it: keep the key, drop the content.
        values |= {"sent_at": now, "payload": {}}
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(values))


def retry_later(*, session: Session, message_id: int, at: datetime, error: str) -> None:
    """Put a claimed call back in the queue, not to be tried before `at`."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
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
