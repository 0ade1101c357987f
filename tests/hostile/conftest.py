"""A second real bot for the hostile tests, whose listeners can be waited for."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete

from bot.app import build_bolt_app, build_runtime
from bot.runtime import Runtime
from bot.store.models import Base
from bot.web import make_wsgi_app
from tests.conftest import SIGNING_SECRET, TEAM_ID, make_settings
from tests.fakeslack import FakeSlack, SlackDriver
from tests.hostile.helpers import Served, WaitableExecutor


@dataclass(frozen=True)
class Bot:
    """The bot as production builds it, with a listener pool the test can wait on."""

    url: str
    runtime: Runtime
    listeners: WaitableExecutor


@dataclass(frozen=True)
class Hostile:
    """What a hostile test drives: the bot, its database and the fake Slack."""

    slack: SlackDriver
    runtime: Runtime
    fake: FakeSlack
    listeners: WaitableExecutor

    def settle(self) -> None:
        """Wait until the work each request started after its acknowledgement is done."""
        self.listeners.wait_idle()


@pytest.fixture(scope="session")
def waitable_bot(database_url: str, fake_slack: FakeSlack) -> Iterator[Bot]:
    """Served by waitress on 127.0.0.1, like the `bot` fixture."""
    runtime = build_runtime(make_settings(database_url, fake_slack.base_url))
    listeners = WaitableExecutor()
    app = make_wsgi_app(build_bolt_app(runtime, listener_executor=listeners), runtime)
    served = Served(app)
    yield Bot(url=served.url, runtime=runtime, listeners=listeners)
    served.stop()
    listeners.shutdown(wait=True)
    runtime.engine.dispose()


def empty_database(runtime: Runtime) -> None:
    """Delete every row, children first."""
    with runtime.sessions.begin() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


@pytest.fixture
def hostile(waitable_bot: Bot, fake_slack: FakeSlack) -> Iterator[Hostile]:
    """A clean database and fake Slack before and after the test."""
    driver = SlackDriver(
        bot_url=waitable_bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
    )
    empty_database(waitable_bot.runtime)
    try:
        yield Hostile(driver, waitable_bot.runtime, fake_slack, waitable_bot.listeners)
    finally:
        waitable_bot.listeners.wait_idle()
        fake_slack.reset()
        empty_database(waitable_bot.runtime)
