"""A provisioned user's line in the org chart (source `scim`), once they were found in Slack."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.org_chart import OrgEntry
from bot.domain.states import OrgSource
from bot.store import org_chart, scim
from bot.store.models import ScimUser


def record(session: Session, row: ScimUser, now: datetime) -> None:
    """The user's line in the chart, and their reports' (whose manager may just be found)."""
    if row.slack_user_id is None:
        return
    manager = (
        scim.get(session=session, team_id=row.team_id, scim_id=row.manager_id)
        if row.manager_id
        else None
    )
    _line(session, row, manager.slack_user_id if manager is not None else None, now)
    for report in scim.reports_of(session=session, team_id=row.team_id, scim_id=row.id):
        if report.slack_user_id is not None and report.slack_user_id != row.slack_user_id:
            _line(session, report, row.slack_user_id, now)


def _line(session: Session, row: ScimUser, manager_id: str | None, now: datetime) -> None:
    assert row.slack_user_id is not None
    entry = OrgEntry(
        user_id=row.slack_user_id,
        manager_id=manager_id if manager_id != row.slack_user_id else None,
        email=row.email,
        department=row.department,
    )
    org_chart.upsert(
        session=session, team_id=row.team_id, entry=entry, source=OrgSource.SCIM, now=now
    )
