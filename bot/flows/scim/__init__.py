"""The directory's journey: users a SCIM client provisions, found in Slack and fed to the chart.

A user is stored as the client sent it; who they are in Slack is looked up by email after the
client was answered (`looked_up`), and from then on their line (manager, department) is the
chart's, source `scim`. Deactivating (`active: false`) or deleting a user is their departure:
out of the chart, out of every pool, erased as by `leave`; at deactivation a user's attributes
are cut to what the client finds it again by (id, userName, externalId), and a deleted user is
gone. (What the client writes to a user while inactive is kept as written, as SCIM requires,
but never looked up in Slack nor charted.)
"""

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.flows.notify import Notifier
from bot.flows.org_chart import depart
from bot.flows.scim import chart
from bot.store import org_chart, scim
from bot.store.models import ScimUser


class Missing(Exception):
    """No such user in this workspace."""


class Taken(Exception):
    """Another user already has this userName."""


class Stale(Exception):
    """The user changed since the version the client expects."""


@dataclass(frozen=True)
class Provisioned:
    """A user as the client sent it: what Upward looks people up by, and everything else."""

    user_name: str
    external_id: str | None
    active: bool
    manager_id: str | None  # the manager's SCIM id
    department: str | None
    email: str | None  # the address to find them in Slack by
    attributes: dict[str, Any]


def user_name_key(user_name: str) -> str:
    """userName in the form it is compared and kept unique in (SCIM: not case-exact)."""
    return user_name.casefold()


def get(*, session: Session, team_id: str, scim_id: str, lock: bool = False) -> ScimUser:
    """One user, or Missing; locked for the transaction (a PATCH reads, then writes) if asked."""
    read = scim.lock if lock else scim.get
    row = read(session=session, team_id=team_id, scim_id=scim_id)
    if row is None:
        raise Missing(scim_id)
    return row


def find(
    *,
    session: Session,
    team_id: str,
    user_name: str | None = None,
    external_id: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, Sequence[ScimUser]]:
    """How many users have this userName (or externalId), and one page of them."""
    return scim.find(
        session=session,
        team_id=team_id,
        user_name_key=None if user_name is None else user_name_key(user_name),
        external_id=external_id,
        offset=offset,
        limit=limit,
    )


def everyone(*, session: Session, team_id: str) -> Sequence[ScimUser]:
    """Every user of the workspace, oldest first."""
    return scim.everyone(session=session, team_id=team_id)


def create(*, session: Session, team_id: str, user: Provisioned, now: datetime) -> ScimUser:
    """Store a new user (Taken when its userName is); it is looked up in Slack afterwards."""
    row = ScimUser(
        id=uuid.uuid4().hex,
        team_id=team_id,
        version=1,
        created_at=now,
        slack_user_id=None,
        looked_up_at=None,
    )
    _refuse_taken(session, team_id, user.user_name, None)
    with _unique(session):
        _write(row, user, now)
        session.add(row)
    return row


def replace(
    *,
    session: Session,
    team_id: str,
    scim_id: str,
    user: Provisioned,
    now: datetime,
    notifier: Notifier,
    expected_version: int | None = None,
) -> ScimUser:
    """Replace a user's attributes (PUT, or PATCH applied): a deactivation is a departure."""
    row = _current(session, team_id, scim_id, expected_version)
    _refuse_taken(session, team_id, user.user_name, scim_id)
    departing = row.active and not user.active
    if departing:
        _depart(session, row, now, notifier)
    elif row.slack_user_id is not None and user.email != row.email:
        # A new address may be someone else in Slack: their line goes until it is found.
        org_chart.remove(session=session, team_id=team_id, user_id=row.slack_user_id)
        row.slack_user_id, row.looked_up_at = None, None
    with _unique(session):
        # Deactivation erases what the directory told about them (it may write anew later).
        _write(row, user, now, departing=departing)
        row.version += 1
    if row.active:
        chart.record(session, row, now)
    return row


def delete(
    *,
    session: Session,
    team_id: str,
    scim_id: str,
    now: datetime,
    notifier: Notifier,
    expected_version: int | None = None,
) -> None:
    """Delete a user: their departure, and nothing of them is kept."""
    row = _current(session, team_id, scim_id, expected_version)
    if row.active:
        _depart(session, row, now, notifier)
    scim.remove(session=session, team_id=team_id, scim_id=scim_id)


def _current(
    session: Session, team_id: str, scim_id: str, expected_version: int | None
) -> ScimUser:
    row = scim.lock(session=session, team_id=team_id, scim_id=scim_id)
    if row is None:
        raise Missing(scim_id)
    if expected_version is not None and row.version != expected_version:
        raise Stale(scim_id)
    return row


def _refuse_taken(session: Session, team_id: str, user_name: str, scim_id: str | None) -> None:
    _, holders = find(session=session, team_id=team_id, user_name=user_name, limit=1)
    if holders and holders[0].id != scim_id:
        raise Taken(user_name)


def _write(row: ScimUser, user: Provisioned, now: datetime, *, departing: bool = False) -> None:
    row.user_name, row.user_name_key = user.user_name, user_name_key(user.user_name)
    row.external_id, row.active, row.updated_at = user.external_id, user.active, now
    row.attributes = _bare(user) if departing else user.attributes
    if user.active:
        row.manager_id, row.department, row.email = user.manager_id, user.department, user.email
    else:
        row.manager_id = row.department = row.email = row.slack_user_id = None


def _bare(user: Provisioned) -> dict[str, Any]:
    kept = {k: v for k, v in user.attributes.items() if k in ("schemas", "userName", "externalId")}
    return kept | {"active": False}


def _depart(session: Session, row: ScimUser, now: datetime, notifier: Notifier) -> None:
    if row.slack_user_id is not None:
        depart(
            session=session,
            team_id=row.team_id,
            user_id=row.slack_user_id,
            now=now,
            notifier=notifier,
        )
    row.slack_user_id = None


@contextmanager
def _unique(session: Session) -> Iterator[None]:
    """A write in a savepoint: a userName taken meanwhile is Taken, and the transaction goes on."""
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except IntegrityError:
        savepoint.rollback()
        raise Taken() from None
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
