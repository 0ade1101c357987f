"""The audit trail: who did what, when."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import AuditEntry


def add(
    *,
    session: Session,
    team_id: str,
    actor_id: str,
    action: str,
    detail: str,
    now: datetime,
    subject_id: str | None = None,
) -> None:
    """Record one entry."""
    session.add(
        AuditEntry(
            team_id=team_id,
            actor_id=actor_id,
            action=action,
            subject_id=subject_id,
            detail=detail[:200],
            created_at=now,
        )
    )


def latest(*, session: Session, team_id: str, limit: int) -> Sequence[AuditEntry]:
    """The newest entries first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.team_id == team_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()


def forget_user(*, session: Session, team_id: str, user_id: str, placeholder: str) -> None:
    """Replace a person's Slack id in the trail, keeping what was done."""
    for column in (AuditEntry.actor_id, AuditEntry.subject_id):
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.team_id == team_id, column == user_id)
            .values({column.key: placeholder})
        )
