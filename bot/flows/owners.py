"""Who owns programmes: those named in PROGRAMME_OWNERS, and those added in Slack."""

from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.flows.errors import Refusal
from bot.store import programmes

OWNERS_ONLY = "Only programme owners can do that. Ask your HR or L&D team if you need access."


def is_owner(*, session: Session, configured: Collection[str], team_id: str, user_id: str) -> bool:
    """Whether this person may run programmes."""
    return user_id in configured or programmes.is_owner_in_store(
        session=session, team_id=team_id, user_id=user_id
    )


def require_owner(
    *, session: Session, configured: Collection[str], team_id: str, user_id: str
) -> None:
    """Refuse politely unless this person owns programmes."""
    if not is_owner(session=session, configured=configured, team_id=team_id, user_id=user_id):
        raise Refusal(OWNERS_ONLY)
