"""What flows need to say to people; the Slack side decides how (bot.slack.notifier).

Every method stores its message in the same transaction as the change that causes it, under a
key, so a message is sent once whatever is retried.
"""

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot.store.models import Programme


class Notifier(Protocol):
    """Outgoing messages of the participant and matching journeys."""

    def welcome(
        self, *, session: Session, team_id: str, user_id: str, programme: Programme, now: datetime
    ) -> None:
        """Welcome someone who just joined: what happens next, how to change things."""
