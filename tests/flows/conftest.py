"""Flow tests: a real session on each backend, and a notifier that records instead of sending."""

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, make_sessionmaker
from tests.support.database import empty_database
from tests.support.notifier import RecordingNotifier


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the migrated test database, emptied after the test."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    try:
        yield factory
    finally:
        empty_database(factory)
        engine.dispose()


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction for the whole test, committed at the end as a listener's would be."""
    with sessions.begin() as session:
        yield session


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()
