"""Outgoing Slack calls, stored before they are sent; each key is sent at most once."""

import hashlib
import json
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

UPDATE = "chat.update"
# In a chat.update stored before its post was sent: the post's key, resolved when it is sent.
REPLACES = "_replaces"


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
    claimed = claim_call(session=session, message_id=message_id, now=now, lease=lease)
    return None if claimed is None else claimed[0]


def claim_call(
    *, session: Session, message_id: int, now: datetime, lease: timedelta = LEASE
) -> tuple[int, dict[str, Any]] | None:
    """Take a call for sending: its claim number and its payload as of the claim, or None."""
    # The payload is read with the claim: `replace` may have changed it since the call was due.
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now, lease))
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.attempts, OutboxMessage.payload)
    )
    row = session.execute(statement).one_or_none()
    return None if row is None else (row[0], row[1])


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
    placed: tuple[str, str] | None = None,
) -> None:
    """Record how a claimed call ended: sent (`placed` at a channel and ts), failed, or expired."""
    # Whatever happened, what was said is not kept (a concern's text, say): only the key stays.
    values: dict[str, Any] = {"status": status, "error": error, "payload": {}}
    if status == SENT:
        values["sent_at"] = now
    if placed is not None:
        values["sent_channel"], values["sent_ts"] = placed
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


def replace(
    *, session: Session, team_id: str, key: str, content: dict[str, Any], now: datetime
) -> None:
    """Make the post stored under `key` say `content` (text, blocks) instead.

    Unsent, its stored payload changes; sent, a chat.update of it is stored; failed, expired
    or gone, nothing happens: there is no message to change.
    """
    original = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.status,
            OutboxMessage.user_id,
            OutboxMessage.payload,
            OutboxMessage.sent_channel,
            OutboxMessage.sent_ts,
        ).where(OutboxMessage.team_id == team_id, OutboxMessage.key == key)
    ).one_or_none()
    if original is None or original.status in (FAILED, EXPIRED):
        return
    if original.status == PENDING:
        changed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == original.id, OutboxMessage.status == PENDING)
            .values(payload={**original.payload, **content})
        )
        if changed.rowcount:  # type: ignore[attr-defined]
            return
        # A sender claimed it meanwhile: update it once it is sent.
    elif original.status == SENT and original.sent_ts is None:
        return  # sent before Upward kept where posts land
    if original.sent_ts is not None:
        target: dict[str, Any] = {"channel": original.sent_channel, "ts": original.sent_ts}
    else:
        target = {REPLACES: key}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]
    enqueue(
        session=session, team_id=team_id, key=f"{key}:update:{digest}", method=UPDATE,
        payload=target | content, user_id=original.user_id, now=now,
    )  # fmt: skip


def addressed(*, session: Session, team_id: str, payload: dict[str, Any]) -> dict[str, Any] | str:
    """The payload to send, with the post an update replaces looked up; or PENDING while that
    post is still unsent (try later), or EXPIRED when it will never be sent (drop the update)."""
    if REPLACES not in payload:
        return payload
    row = session.execute(
        select(OutboxMessage.status, OutboxMessage.sent_channel, OutboxMessage.sent_ts).where(
            OutboxMessage.team_id == team_id, OutboxMessage.key == payload[REPLACES]
        )
    ).one_or_none()
    if row is not None and row.status in (PENDING, SENDING):
        return PENDING
    if row is None or row.sent_ts is None:
        return EXPIRED
    rest = {k: v for k, v in payload.items() if k != REPLACES}
    return {"channel": row.sent_channel, "ts": row.sent_ts, **rest}
