"""Finding provisioned users in Slack: who to ask about, and what Slack answered."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.flows.notify import Notifier
from bot.flows.org_chart import depart
from bot.flows.scim import chart
from bot.store import scim

# A member Slack did not know is asked about again a day later (the directory may be ahead).
RETRY_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Lookup:
    """A user to find in Slack: by this address."""

    scim_id: str
    email: str


def to_look_up(
    *, session: Session, team_id: str, scim_id: str | None = None, now: datetime, limit: int = 1
) -> list[Lookup]:
    """Who to find in Slack: this user just written (if not found yet), or up to `limit` of
    those waiting. A user written and already found is put on the chart again as now stored: a
    lookup that read them before this write may have recorded the older state."""
    if scim_id is not None:
        row = scim.lock(session=session, team_id=team_id, scim_id=scim_id)
        if row is not None and row.active and row.slack_user_id is not None:
            chart.record(session, row, now)
        waiting = [row] if row is not None and row.active and row.slack_user_id is None else []
    else:
        waiting = list(
            scim.to_look_up(
                session=session, team_id=team_id, tried_before=now - RETRY_AFTER, limit=limit
            )
        )
    return [Lookup(scim_id=r.id, email=r.email) for r in waiting if r.email is not None]


def looked_up(
    *,
    session: Session,
    team_id: str,
    lookup: Lookup,
    slack_user_id: str | None,
    now: datetime,
) -> None:
    """Record what Slack answered (None: nobody has that address) and feed the chart, from
    the user as stored now (locked: a write to them meanwhile is read, or waits)."""
    row = scim.lock(session=session, team_id=team_id, scim_id=lookup.scim_id)
    if row is None or not row.active or row.email != lookup.email:
        return  # changed meanwhile: the newer state is looked up on its own
    row.slack_user_id, row.looked_up_at = slack_user_id, now
    chart.record(session, row, now)


def unfound_departure(
    *, session: Session, team_id: str, scim_id: str, active_after: bool
) -> str | None:
    """The address of a user about to depart who was never found in Slack (to find them still).

    A lookup refused or not run yet must not keep a departed person in the pools.
    """
    row = scim.get(session=session, team_id=team_id, scim_id=scim_id)
    if row is None or not row.active or active_after or row.slack_user_id is not None:
        return None
    return row.email


def departed_member(
    *, session: Session, team_id: str, slack_user_id: str, now: datetime, notifier: Notifier
) -> bool:
    """A departed user found in Slack after the answer: they depart, unless still provisioned."""
    if scim.linked(session=session, team_id=team_id, slack_user_id=slack_user_id):
        return False
    return depart(
        session=session, team_id=team_id, user_id=slack_user_id, now=now, notifier=notifier
    )


def teams(*, session: Session) -> Sequence[str]:
    """Every workspace with provisioned users."""
    return scim.teams(session=session)
