"""What the listeners and jobs share: settings, the database and the Slack clients."""

import gc
from concurrent.futures import Executor
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.flows.notify import Notifier
from bot.slack.installs import WorkspaceClients


@dataclass(frozen=True)
class Runtime:
    """The process's long-lived parts, built once at start."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    # For reads that need no transaction (no BEGIN and ROLLBACK on PostgreSQL), such as what
    # runs on every request before its acknowledgement: an engine and its sessions.
    reader: Engine
    reads: sessionmaker[Session]
    # The Web API client of each workspace, for the outbox and the scheduler.
    clients: WorkspaceClients
    notifier: Notifier
    # Work after a request was answered: Slack calls, which may be slow or rate-limited.
    work: Executor
    # What the outbox waits on between paced sends; tests give a fake one.
    clock: Clock = field(default_factory=SystemClock)

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()
        self.reader.dispose()


def settle() -> None:
    """Once the process has imported and built what it keeps for its life, take those objects
    out of the garbage collector's sight (`gc.freeze`): a full collection during a tick or a
    request then walks only what that work allocated, not every module and class loaded."""
    gc.collect()
    gc.freeze()
