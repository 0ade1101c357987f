"""What the listeners and jobs share: settings, the database and the Slack client."""

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings


@dataclass(frozen=True)
class Runtime:
    """The process's long-lived parts, built once at start."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
