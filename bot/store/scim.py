"""Queries on what a SCIM client provisioned (scim_users); never commits."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from bot.store.models import ScimUser


def get(*, session: Session, team_id: str, scim_id: str) -> ScimUser | None:
    """One provisioned user of the workspace, by its SCIM id."""
    return session.scalar(
        select(ScimUser).where(ScimUser.team_id == team_id, ScimUser.id == scim_id)
    )


def lock(*, session: Session, team_id: str, scim_id: str) -> ScimUser | None:
    """One provisioned user, locked until the transaction ends (two writes to it queue up)."""
    query = (
        select(ScimUser)
        .where(ScimUser.team_id == team_id, ScimUser.id == scim_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(query)


def find(
    *,
    session: Session,
    team_id: str,
    user_name_key: str | None = None,
    external_id: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, Sequence[ScimUser]]:
    """How many users match (by userName in its compared form, or externalId), and one page."""
    where = [ScimUser.team_id == team_id]
    if user_name_key is not None:
        where.append(ScimUser.user_name_key == user_name_key)
    if external_id is not None:
        where.append(ScimUser.external_id == external_id)
    total = session.scalar(select(func.count()).select_from(ScimUser).where(*where)) or 0
    if limit == 0:
        return total, []
    page = session.scalars(
        select(ScimUser)
        .where(*where)
        .order_by(ScimUser.created_at, ScimUser.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return total, page


def everyone(*, session: Session, team_id: str) -> Sequence[ScimUser]:
    """Every provisioned user of the workspace, oldest first (for filters SQL is not asked)."""
    query = select(ScimUser).where(ScimUser.team_id == team_id)
    return session.scalars(query.order_by(ScimUser.created_at, ScimUser.id)).all()


def reports_of(*, session: Session, team_id: str, scim_id: str) -> Sequence[ScimUser]:
    """The active users whose manager is this SCIM user."""
    query = select(ScimUser).where(
        ScimUser.team_id == team_id, ScimUser.manager_id == scim_id, ScimUser.active.is_(True)
    )
    return session.scalars(query).all()


def linked(*, session: Session, team_id: str, slack_user_id: str) -> bool:
    """Whether an active provisioned user was found to be this Slack member."""
    query = select(ScimUser.id).where(
        ScimUser.team_id == team_id,
        ScimUser.slack_user_id == slack_user_id,
        ScimUser.active.is_(True),
    )
    return session.scalar(query.limit(1)) is not None


def of_member(*, session: Session, team_id: str, slack_user_id: str) -> ScimUser | None:
    """The active provisioned user found to be this Slack member (the latest, if several)."""
    query = select(ScimUser).where(
        ScimUser.team_id == team_id,
        ScimUser.slack_user_id == slack_user_id,
        ScimUser.active.is_(True),
    )
    return session.scalar(query.order_by(ScimUser.updated_at.desc()).limit(1))


def remove(*, session: Session, team_id: str, scim_id: str) -> None:
    """Delete a provisioned user."""
    session.execute(delete(ScimUser).where(ScimUser.team_id == team_id, ScimUser.id == scim_id))


def to_look_up(
    *, session: Session, team_id: str, tried_before: datetime, limit: int
) -> Sequence[ScimUser]:
    """Active users with an address but no Slack member, not asked about since `tried_before`."""
    query = select(ScimUser).where(
        ScimUser.team_id == team_id,
        ScimUser.active.is_(True),
        ScimUser.email.is_not(None),
        ScimUser.slack_user_id.is_(None),
        or_(ScimUser.looked_up_at.is_(None), ScimUser.looked_up_at < tried_before),
    )
    return session.scalars(query.order_by(ScimUser.created_at, ScimUser.id).limit(limit)).all()


def teams(*, session: Session) -> Sequence[str]:
    """Every workspace SCIM provisioned users in."""
    return session.scalars(select(ScimUser.team_id).distinct()).all()


def forget_team(*, session: Session, team_id: str) -> None:
    """Delete everything SCIM provisioned in a workspace that removed Upward."""
    session.execute(delete(ScimUser).where(ScimUser.team_id == team_id))
