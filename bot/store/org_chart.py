"""The org chart's rows: one person's line, a whole source at once, and the team's lines."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.domain.org_chart import OrgEntry
from bot.domain.states import OrgSource
from bot.store.models import OrgPerson


def get(*, session: Session, team_id: str, user_id: str) -> OrgPerson | None:
    """One person's line in the chart, if the chart has them."""
    return session.scalar(
        select(OrgPerson).where(OrgPerson.team_id == team_id, OrgPerson.user_id == user_id)
    )


def people(*, session: Session, team_id: str, source: OrgSource | None = None) -> list[OrgPerson]:
    """Everyone in the team's chart (from one source, or from both), by Slack id."""
    query = select(OrgPerson).where(OrgPerson.team_id == team_id)
    if source is not None:
        query = query.where(OrgPerson.source == source)
    return list(session.scalars(query.order_by(OrgPerson.user_id)))


def _apply(row: OrgPerson, entry: OrgEntry, source: OrgSource, now: datetime) -> None:
    row.email, row.manager_id, row.department = entry.email, entry.manager_id, entry.department
    row.source, row.updated_at = source, now


def upsert(
    *, session: Session, team_id: str, entry: OrgEntry, source: OrgSource, now: datetime
) -> OrgPerson:
    """Add or replace one person's line (their row then belongs to `source`)."""
    row = get(session=session, team_id=team_id, user_id=entry.user_id)
    if row is None:
        row = OrgPerson(team_id=team_id, user_id=entry.user_id)
        session.add(row)
    _apply(row, entry, source, now)
    session.flush()
    return row


def replace_source(
    *,
    session: Session,
    team_id: str,
    source: OrgSource,
    entries: Sequence[OrgEntry],
    now: datetime,
) -> list[str]:
    """Make `entries` the whole of `source`'s chart; returns who that source no longer names.

    The caller erases those people (the directory dropped them). A row the other source holds
    is taken over when `entries` names that person; other rows of the other source stay.
    """
    existing = {
        row.user_id: row
        for row in session.scalars(select(OrgPerson).where(OrgPerson.team_id == team_id))
    }
    named = set()
    for entry in entries:
        named.add(entry.user_id)
        row = existing.get(entry.user_id)
        if row is None:
            row = OrgPerson(team_id=team_id, user_id=entry.user_id)
            session.add(row)
        _apply(row, entry, source, now)
    gone = sorted(u for u, row in existing.items() if row.source == source and u not in named)
    if gone:
        session.execute(
            delete(OrgPerson).where(OrgPerson.team_id == team_id, OrgPerson.user_id.in_(gone))
        )
    session.flush()
    return gone


def remove(*, session: Session, team_id: str, user_id: str) -> bool:
    """Take one person out of the chart; True if they were in it."""
    result = session.execute(
        delete(OrgPerson).where(OrgPerson.team_id == team_id, OrgPerson.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def reporting_lines(*, session: Session, team_id: str) -> dict[str, str]:
    """Each person's manager by Slack id (people at the top of the chart are not keys)."""
    rows = session.execute(
        select(OrgPerson.user_id, OrgPerson.manager_id).where(
            OrgPerson.team_id == team_id, OrgPerson.manager_id.is_not(None)
        )
    )
    return {user_id: manager_id for user_id, manager_id in rows if manager_id}
