"""The audit trail: record who asked for stats or changed the set-up, and show it to owners."""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.store import audit
from bot.store.models import AuditEntry

LATEST = 25


class AuditAction(StrEnum):
    """What an audit entry records."""

    STATS = "stats"
    REFUSED = "refused"
    AUDIT = "audit"
    PROGRAMME_CREATED = "programme_created"
    PROGRAMME_EDITED = "programme_edited"
    OWNER_ADDED = "owner_added"
    OWNER_REMOVED = "owner_removed"
    ROUND_CONFIRMED = "round_confirmed"
    ORG_CHART_LOADED = "org_chart_loaded"


def record(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    action: AuditAction,
    detail: str,
    now: datetime,
    subject_id: str | None = None,
) -> None:
    """Add an entry to the trail, in the caller's transaction."""
    audit.add(
        session=session,
        team_id=team_id,
        actor_id=user_id,
        action=action,
        detail=detail,
        now=now,
        subject_id=subject_id,
    )


def refused(*, session: Session, team_id: str, user_id: str, command: str, now: datetime) -> None:
    """Record that someone who is not an owner tried an owners' command."""
    record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=AuditAction.REFUSED,
        detail=f"/mentoring {command}",
        now=now,
    )


def trail(*, session: Session, team_id: str, user_id: str, now: datetime) -> Sequence[AuditEntry]:
    """The latest entries for an owner (reading the trail is itself recorded)."""
    record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=AuditAction.AUDIT,
        detail="read the audit trail",
        now=now,
    )
    session.flush()
    return audit.latest(session=session, team_id=team_id, limit=LATEST)
