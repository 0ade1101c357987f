"""Bookkeeping: the outbox, the audit trail, the events and signatures already seen."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.states import (
    OutboxStatus,
)
from bot.store.models.base import Base, Choice


class OutboxMessage(Base):
    """One outgoing Slack call, stored with the state change that caused it and sent once by key."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    # The person the message is for, so their pending messages go when they leave.
    user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    method: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[OutboxStatus] = mapped_column(Choice(OutboxStatus), index=True)
    not_before: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # When a sender took it: a claim older than the lease is a dead sender's, and is taken back.
    claimed_at: Mapped[datetime | None]
    # Where Slack put a sent post, so a later chat.update can retire its buttons.
    sent_channel: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))


class AuditEntry(Base):
    """Who did what, when: every stats request (allowed or refused) and every admin change."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_id: Mapped[str] = mapped_column(String(32), index=True)  # GONE once they leave
    action: Mapped[str] = mapped_column(String(40))
    # The person the change was about (an owner added or removed); GONE once they leave.
    subject_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(String(200))  # no Slack ids here: they are not erasable
    created_at: Mapped[datetime] = mapped_column(index=True)


class SeenEvent(Base):
    """An Events API event already handled, so Slack's retries of it have no second effect."""

    __tablename__ = "seen_events"
    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(index=True)


class SeenSignature(Base):
    """A request signature already accepted, so a byte-for-byte replay inside the window fails."""

    __tablename__ = "seen_signatures"
    __table_args__ = (UniqueConstraint("signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(80))
    seen_at: Mapped[datetime] = mapped_column(index=True)
