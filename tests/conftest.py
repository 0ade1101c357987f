"""Fixtures: a migrated database per backend, the fake Slack, and the real bot served over HTTP."""

import os
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.runtime import Runtime
from bot.store.db import migrate
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer, serve_bot
from tests.support.constants import SIGNING_SECRET, TEAM_ID, TOKEN
from tests.support.database import empty_database, reset_postgres

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'upward.db'}"
    else:
        url = Settings._database_url(os.environ["TEST_DATABASE_URL"])
        reset_postgres(url)
    migrate(url)
    return url


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API, shared by the session and reset for each test."""
    fake = FakeSlack(token=TOKEN, team_id=TEAM_ID)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def bot(database_url: str, fake_slack: FakeSlack) -> Iterator[BotServer]:
    """The one bot every test drives, as production builds it, listening on 127.0.0.1."""
    with serve_bot(database_url, fake_slack.base_url) as served:
        yield served


@pytest.fixture
def runtime(bot: BotServer, fake_slack: FakeSlack) -> Iterator[Runtime]:
    """The bot's runtime; after the test, its work done, the database empty, the fake reset."""
    try:
        yield bot.runtime
    finally:
        bot.settle()
        fake_slack.reset()
        empty_database(bot.runtime.sessions)


@pytest.fixture
def slack(bot: BotServer, fake_slack: FakeSlack, runtime: Runtime) -> SlackDriver:  # noqa: ARG001
    """A driver posting signed requests to the running bot."""
    return SlackDriver(
        bot_url=bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
    )
