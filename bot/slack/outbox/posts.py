"""Storing outgoing posts in the outbox: what a message says, and where it goes."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.delivery_time import delivery_moment
from bot.domain.profile import GONE
from bot.slack.ui import Message
from bot.store import outbox, participants
from bot.store.models import Pair


def content(message: Message) -> dict[str, Any]:
    """What a message says, as chat.postMessage and chat.update take it."""
    return {"text": message.text, "blocks": [b.to_dict() for b in message.blocks]}


def post(channel: str, message: Message) -> dict[str, Any]:
    """The chat.postMessage arguments for a message."""
    return {"channel": channel, **content(message)}


def store(
    session: Session,
    *,
    team_id: str,
    key: str,
    channel: str,
    message: Message,
    now: datetime,
    dm: bool,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
    lifetime: timedelta | None = None,
    at_once: bool = False,
    members: Sequence[str] = (),
) -> bool:
    """Store a post under its key (False if the key was stored before).

    Unless `at_once` (a reply to something the person just did), it waits for the recipient's
    working time: a DM's person, or the `members` of a group DM (see `delivery_moment`); a
    `lifetime` then counts from that moment.
    """
    recipients = [channel] if dm else [m for m in members if m != GONE]
    if not at_once and recipients:
        not_before = working_moment(
            session, team_id=team_id, user_ids=recipients, after=not_before or now
        )
    if lifetime is not None:
        expires_at = (not_before or now) + lifetime
    # A DM is a post to the user's id: Slack opens the app's conversation with them.
    return outbox.enqueue(
        session=session,
        team_id=team_id,
        key=key,
        method="chat.postMessage",
        payload=post(channel, message),
        user_id=channel if dm else None,
        now=now,
        not_before=not_before,
        expires_at=expires_at,
    )


def working_moment(
    session: Session, *, team_id: str, user_ids: Sequence[str], after: datetime
) -> datetime:
    """The first moment at or after `after` inside these people's (shared) working time."""
    hours = participants.working_hours(session=session, team_id=team_id, user_ids=user_ids)
    return delivery_moment([hours[u] for u in user_ids], after)


def to_pair(session: Session, pair: Pair, key: str, message: Message, **when: Any) -> bool:
    """Store a post to the pair's group DM, in the time both are at work."""
    assert pair.channel_id is not None  # callers check that the group DM is open
    return store(
        session, team_id=pair.team_id, key=key, channel=pair.channel_id, message=message,
        dm=False, members=(pair.mentor_id, pair.mentee_id), **when,
    )  # fmt: skip
