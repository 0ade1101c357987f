"""Sending what a request just stored, right after its acknowledgement."""

from datetime import datetime

from bot.runtime import Runtime
from bot.slack.outbox.delivery import deliver_due


def send_now(runtime: Runtime, *, now: datetime) -> None:
    """Send the messages a request stored at `now`, on the after-ack pool.

    Only that request's own messages: everyone else's are the scheduler's, so a click never
    carries the workspace's backlog. What pacing or a 429 holds back stays for the next tick.
    """
    runtime.work.submit(deliver_due, runtime.sessions, runtime.clients, now=now, stored_at=now)
