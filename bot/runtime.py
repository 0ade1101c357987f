"""What the listeners and jobs share: settings, the database and the Slack client."""

from concurrent.futures import Executor
from dataclasses import dataclass, field

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.flows.notify import Notifier


@dataclass(frozen=True)
class Runtime:
    """The process's long-lived parts, built once at start."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    notifier: Notifier
    # Work after a request was answered: Slack calls, which may be slow or rate-limited.
    work: Executor
    # What the outbox waits on between paced sends; tests give a fake one.
    clock: Clock = field(default_factory=SystemClock)
