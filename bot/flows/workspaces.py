"""A workspace that removed Upward: its people's data erased, as `leave` erases one person's."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.store import participants, scim, workspaces


def erase(*, session: Session, team_id: str, now: datetime) -> int:
    """Erase the workspace's personal data; anonymous answers and tallies stay. How many people."""
    workspaces.end_everything(session=session, team_id=team_id, now=now)
    scim.forget_team(session=session, team_id=team_id)
    everyone = workspaces.people(session=session, team_id=team_id)
    for user_id in sorted(everyone):
        participants.delete_person(session=session, team_id=team_id, user_id=user_id)
    return len(everyone)
