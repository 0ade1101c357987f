"""Fixtures: a migrated database per backend, the fake Slack, and the real bot served over HTTP."""

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from bot.app import build_bolt_app, build_runtime
from bot.config import Settings
from bot.runtime import Runtime
from bot.store.db import make_engine, migrate
from bot.store.models import Base, OutboxMessage
from bot.web import create_server, make_wsgi_app
from tests.fakeslack import FakeSlack, SlackDriver

TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0TEST"
OWNER = "UOWNER1"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def reset_postgres(url: str) -> None:
    """Drop everything in the test database so migrations start from nothing."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


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


def make_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    """Settings for tests, independent of the environment and any .env file."""
    values: dict[str, Any] = {
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": api_url,
        "database_url": database_url,
        "programme_owners": OWNER,
        "port": 3000,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API, shared by the session and reset for each test."""
    fake = FakeSlack(token=TOKEN, team_id=TEAM_ID)
    fake.start()
    yield fake
    fake.stop()


@dataclass(frozen=True)
class BotServer:
    """The real bot, served by waitress on a free port."""

    url: str
    runtime: Runtime


@pytest.fixture(scope="session")
def bot(database_url: str, fake_slack: FakeSlack) -> Iterator[BotServer]:
    """The bot as production builds it, listening on 127.0.0.1."""
    runtime = build_runtime(make_settings(database_url, fake_slack.base_url))
    app = make_wsgi_app(build_bolt_app(runtime), runtime)
    server = create_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield BotServer(url=f"http://127.0.0.1:{server.effective_port}", runtime=runtime)
    server.close()
    server.task_dispatcher.shutdown()
    for channel in list(server._map.values()):
        channel.close()
    thread.join(timeout=5)
    runtime.engine.dispose()


@pytest.fixture
def runtime(bot: BotServer, fake_slack: FakeSlack) -> Iterator[Runtime]:
    """The bot's runtime, with an empty database and a reset fake Slack after the test."""
    try:
        yield bot.runtime
    finally:
        fake_slack.reset()
        with bot.runtime.sessions.begin() as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(delete(table))


@pytest.fixture
def slack(bot: BotServer, fake_slack: FakeSlack, runtime: Runtime) -> SlackDriver:  # noqa: ARG001
    """A driver posting signed requests to the running bot."""
    return SlackDriver(
        bot_url=bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
    )


def repo_root() -> Path:
    """The repository's top folder."""
    return Path(__file__).resolve().parents[1]


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
