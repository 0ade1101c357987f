"""Fixtures: a migrated database per backend, the fake Slack, and the real bot served over HTTP."""

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from bot.app import build_bolt_app, build_runtime
from bot.config import Settings
from bot.runtime import Runtime
from bot.store.db import migrate
from bot.store.models import Base
from bot.web import create_server, make_wsgi_app
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import SIGNING_SECRET, TEAM_ID, TOKEN
from tests.support.database import reset_postgres
from tests.support.settings import make_settings

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
    """The bot as production builds it, listening on 127.0.0.1."""
    runtime = build_runtime(make_settings(database_url, fake_slack.base_url))
    app = make_wsgi_app(build_bolt_app(runtime), runtime.engine)
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
