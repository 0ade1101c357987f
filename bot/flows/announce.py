"""Announcing a programme in a channel: which programme an owner may announce, and the record."""

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.programme import signup_is_open
from bot.flows import audit, owners
from bot.flows.errors import Refusal
from bot.flows.programmes import ARCHIVED, choose
from bot.store import programmes
from bot.store.models import Programme

CLOSED = (
    "That programme is closed for sign-up, so I didn't announce it: open it for sign-up "
    "(`/mentoring admin <programme>`) first."
)


def programme_to_announce(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    name: str,
    configured: Collection[str],
    today: date,
    programme_id: int | None = None,
) -> Programme:
    """The programme an owner may announce now: theirs, current and open for sign-up."""
    if programme_id is not None:
        found = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
        if found is None:
            raise Refusal("That programme doesn't exist any more.")
        if found.archived_at is not None:
            raise Refusal(ARCHIVED)
        programme = found
    else:
        programme = choose(session=session, team_id=team_id, name=name, command="announce")
    owners.require_owner(
        session=session,
        configured=configured,
        team_id=team_id,
        user_id=user_id,
        programme_id=programme.id,
    )
    if not signup_is_open(
        signup_open=programme.signup_open, deadline=programme.signup_deadline, today=today
    ):
        raise Refusal(CLOSED)
    return programme


def record(
    *, session: Session, team_id: str, user_id: str, name: str, channel_id: str, now: datetime
) -> None:
    """Record in the audit trail that an owner announced a programme in a channel."""
    audit.record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=audit.AuditAction.ANNOUNCED,
        detail=f"{name} in {channel_id}",
        now=now,
    )
