"""Queries on programmes and owners."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.domain.programme import ProgrammeSettings, defaults, signup_is_open
from bot.store.models import Owner, Programme


def get(*, session: Session, team_id: str, programme_id: int) -> Programme | None:
    """One programme of this workspace."""
    programme = session.get(Programme, programme_id)
    return programme if programme is not None and programme.team_id == team_id else None


def lock(*, session: Session, team_id: str, programme_id: int) -> Programme | None:
    """One programme, locked until the transaction ends: its rounds are previewed and
    confirmed one at a time, however many owners click at once."""
    programme = session.get(Programme, programme_id, with_for_update=True, populate_existing=True)
    return programme if programme is not None and programme.team_id == team_id else None


def by_name(*, session: Session, team_id: str, name: str) -> Programme | None:
    """The programme with this name (case-insensitive)."""
    query = select(Programme).where(Programme.team_id == team_id)
    return next((p for p in session.scalars(query) if p.name.casefold() == name.casefold()), None)


def all_of(*, session: Session, team_id: str) -> Sequence[Programme]:
    """Every programme of this workspace, oldest first."""
    return session.scalars(
        select(Programme).where(Programme.team_id == team_id).order_by(Programme.id)
    ).all()


def open_for_signup(*, session: Session, team_id: str, today: date) -> list[Programme]:
    """Programmes people can join now (switched on, deadline not passed), oldest first."""
    query = (
        select(Programme)
        .where(Programme.team_id == team_id, Programme.signup_open.is_(True))
        .order_by(Programme.id)
    )
    return [
        p
        for p in session.scalars(query)
        if signup_is_open(signup_open=p.signup_open, deadline=p.signup_deadline, today=today)
    ]


def create(
    *,
    session: Session,
    team_id: str,
    name: str,
    created_by: str,
    now: datetime,
    settings: ProgrammeSettings | None = None,
) -> Programme:
    """A new programme: the settings given, or the defaults under this name."""
    chosen = settings or defaults(name)
    programme = Programme(team_id=team_id, **asdict(chosen), created_by=created_by, created_at=now)
    session.add(programme)
    session.flush()
    return programme


def is_owner_in_store(
    *, session: Session, team_id: str, user_id: str, programme_id: int | None = None
) -> bool:
    """Whether an owner added in Slack has this id: of anything (programme_id None), or of this
    programme (as its own owner, or as an owner of every programme)."""
    query = select(Owner.id).where(Owner.team_id == team_id, Owner.user_id == user_id)
    if programme_id is not None:
        query = query.where(or_(Owner.programme_id.is_(None), Owner.programme_id == programme_id))
    return session.scalar(query.limit(1)) is not None


def owns_everything(*, session: Session, team_id: str, user_id: str) -> bool:
    """Whether an owner added in Slack owns every programme (not one programme only)."""
    query = select(Owner.id).where(
        Owner.team_id == team_id, Owner.user_id == user_id, Owner.programme_id.is_(None)
    )
    return session.scalar(query.limit(1)) is not None


def store_owners(*, session: Session, team_id: str, programme_id: int | None = None) -> set[str]:
    """Owners added in Slack: all of them, or those added in this programme."""
    query = select(Owner.user_id).where(Owner.team_id == team_id)
    if programme_id is not None:
        query = query.where(Owner.programme_id == programme_id)
    return set(session.scalars(query))


def set_owners(
    *,
    session: Session,
    team_id: str,
    programme_id: int,
    user_ids: set[str],
    added_by: str,
    now: datetime,
) -> None:
    """Make the owners added in this programme exactly `user_ids` (they own it only)."""
    current = store_owners(session=session, team_id=team_id, programme_id=programme_id)
    for user_id in current - user_ids:
        session.execute(
            delete(Owner).where(
                Owner.team_id == team_id,
                Owner.user_id == user_id,
                Owner.programme_id == programme_id,
            )
        )
    for user_id in sorted(user_ids - current):
        session.add(
            Owner(
                team_id=team_id,
                user_id=user_id,
                programme_id=programme_id,
                added_by=added_by,
                created_at=now,
            )
        )
