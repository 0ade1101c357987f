"""Queries on programmes and owners."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Owner, Programme


def get(*, session: Session, team_id: str, programme_id: int) -> Programme | None:
    """One programme of this workspace."""
    programme = session.get(Programme, programme_id)
    return programme if programme is not None and programme.team_id == team_id else None


def by_name(*, session: Session, team_id: str, name: str) -> Programme | None:
    """The programme with this name (case-insensitive)."""
    query = select(Programme).where(Programme.team_id == team_id)
    return next((p for p in session.scalars(query) if p.name.casefold() == name.casefold()), None)


def open_for_signup(*, session: Session, team_id: str) -> Sequence[Programme]:
    """Programmes people can join now, oldest first."""
    query = (
        select(Programme)
        .where(Programme.team_id == team_id, Programme.signup_open.is_(True))
        .order_by(Programme.id)
    )
    return session.scalars(query).all()


def create(
    *, session: Session, team_id: str, name: str, created_by: str, now: datetime
) -> Programme:
    """A new reverse-mentoring programme with the default settings, open for sign-up."""
    programme = Programme(
        team_id=team_id,
        name=name,
        kind="reverse",
        share_word="mentor",
        learn_word="mentee",
        signup_open=True,
        pilot=False,
        cadence_weeks=2,
        round_weeks=12,
        cross_department="preferred",
        min_group_size=5,
        consent_expiry_days=7,
        created_by=created_by,
        created_at=now,
    )
    session.add(programme)
    session.flush()
    return programme


def is_owner_in_store(*, session: Session, team_id: str, user_id: str) -> bool:
    """Whether an owner added in Slack has this id."""
    query = select(Owner.id).where(Owner.team_id == team_id, Owner.user_id == user_id)
    return session.scalar(query) is not None
