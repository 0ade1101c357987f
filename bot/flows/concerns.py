"""*Raise a concern*: a participant's short note to the programme owners, anonymous by default.

The text is kept only in the outbox message to each owner, whose content is dropped once sent.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.text import clean
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import participants, programmes

MAX_CONCERN = 1000
NOT_JOINED = "Only people in a mentoring programme can raise a concern here. Your HR team can help."
NO_OWNERS = (
    "There is no programme owner to send this to yet, so nothing was sent. "
    "Please contact your HR or L&D team directly."
)


def require_participant(*, session: Session, team_id: str, user_id: str) -> None:
    """Refuse politely unless this person has joined a programme."""
    if participants.get(session=session, team_id=team_id, user_id=user_id) is None:
        raise Refusal(NOT_JOINED)


def raise_concern(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    text: str,
    include_name: bool,
    submission_id: str,
    configured_owners: Collection[str],
    now: datetime,
    notifier: Notifier,
) -> int:
    """Send the concern to every owner by DM (named only if the person chose); how many owners."""
    require_participant(session=session, team_id=team_id, user_id=user_id)
    cleaned = clean(text)
    if not cleaned:
        raise Refusal("Write what's on your mind first: the concern was empty.")
    if len(cleaned) > MAX_CONCERN:
        raise Refusal(f"Please keep it under {MAX_CONCERN} characters.")
    owners = set(configured_owners) | programmes.store_owners(session=session, team_id=team_id)
    if not owners:
        raise Refusal(NO_OWNERS)
    for owner_id in sorted(owners):
        notifier.concern_raised(
            session=session,
            team_id=team_id,
            owner_id=owner_id,
            submission_id=submission_id,
            text=cleaned,
            raised_by=user_id if include_name else None,
            now=now,
        )
    return len(owners)
