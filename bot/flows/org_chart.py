"""The org chart journey: the directory's lines in, and people it drops erased as by `leave`."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.org_chart import OrgEntry
from bot.domain.states import OrgSource
from bot.flows.notify import Notifier
from bot.flows.participants import leave
from bot.store import org_chart


def depart(
    *, session: Session, team_id: str, user_id: str, now: datetime, notifier: Notifier
) -> bool:
    """The directory dropped someone: out of the chart, every pool, and erased as by `leave`.

    True if they were in the chart or a programme.
    """
    charted = org_chart.remove(session=session, team_id=team_id, user_id=user_id)
    left = leave(session=session, team_id=team_id, user_id=user_id, now=now, notifier=notifier)
    return charted or left


def replace(
    *,
    session: Session,
    team_id: str,
    source: OrgSource,
    entries: Sequence[OrgEntry],
    now: datetime,
    notifier: Notifier,
) -> list[str]:
    """A full load of one source: its lines become `entries`; whoever it dropped departs."""
    gone = org_chart.replace_source(
        session=session, team_id=team_id, source=source, entries=entries, now=now
    )
    for user_id in gone:
        leave(session=session, team_id=team_id, user_id=user_id, now=now, notifier=notifier)
    return gone
