"""Outgoing messages: rendered with blocks.py, stored in the outbox under a key, sent once."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.slack import blocks
from bot.store import outbox
from bot.store.models import Programme


def post(channel: str, message: blocks.Message) -> dict[str, Any]:
    """The chat.postMessage arguments for a message."""
    return {
        "channel": channel,
        "text": message.text,
        "blocks": [b.to_dict() for b in message.blocks],
    }


class SlackNotifier:
    """The Notifier the flows use: each message keyed, stored, and sent by the outbox."""

    def _dm(
        self,
        session: Session,
        *,
        team_id: str,
        key: str,
        user_id: str,
        message: blocks.Message,
        now: datetime,
    ) -> None:
        # A DM is a post to the user's id: Slack opens the app's conversation with them.
        outbox.enqueue(
            session=session,
            team_id=team_id,
            key=key,
            method="chat.postMessage",
            payload=post(user_id, message),
            user_id=user_id,
            now=now,
        )

    def welcome(
        self, *, session: Session, team_id: str, user_id: str, programme: Programme, now: datetime
    ) -> None:
        """Welcome DM after a first sign-up."""
        self._dm(
            session,
            team_id=team_id,
            key=f"welcome:{programme.id}:{user_id}",
            user_id=user_id,
            message=blocks.welcome_message(programme),
            now=now,
        )
