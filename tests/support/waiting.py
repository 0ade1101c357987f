"""Waiting for the bot's work after its acknowledgement."""

import time
from collections.abc import Callable

from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.store.models import OutboxMessage


def settle(runtime: Runtime, *, polls: int = 500) -> None:
    """Wait until sends started by listeners are recorded, before a test moves the clock on.

    A send still in flight when the clock jumps past the outbox lease would look abandoned.
    """
    for _ in range(polls):
        with runtime.sessions() as session:
            sending = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "sending")
            )
        if not sending:
            return
        time.sleep(0.01)  # a real wait for another thread; freezegun does not patch sleep
    raise AssertionError("outbox sends still in flight")


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Whether `check` holds once the bot's work after its acknowledgement is done."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)  # the listener finishes in its own thread after answering Slack
    return True
