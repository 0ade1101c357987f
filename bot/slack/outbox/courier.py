"""Sending what a request just stored, right after its acknowledgement."""

from datetime import datetime

from bot.runtime import Runtime
from bot.slack.outbox.delivery import deliver_due


def send_now(runtime: Runtime, *, now: datetime, user_id: str | None = None) -> None:
    """Deliver what is due now (or only one person's messages) instead of waiting for a tick."""
    deliver_due(runtime.sessions, runtime.clients, now=now, user_id=user_id)
