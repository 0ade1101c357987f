"""Storing outgoing posts in the outbox: what a message says, and where it goes."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.slack.ui import Message
from bot.store import outbox
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
) -> bool:
    """Store a post under its key (False if the key was stored before)."""
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


def to_pair(session: Session, pair: Pair, key: str, message: Message, **when: Any) -> bool:
    """Store a post to the pair's group DM."""
    assert pair.channel_id is not None  # callers check that the group DM is open
    return store(
        session, team_id=pair.team_id, key=key, channel=pair.channel_id, message=message,
        dm=False, **when,
    )  # fmt: skip
