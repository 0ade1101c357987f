"""A second real bot for the hostile tests, whose listeners can be waited for."""

from collections.abc import Iterator

import pytest

from bot.app import build_bolt_app, build_runtime
from bot.web import make_wsgi_app
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import Bot, Hostile
from tests.support.constants import SIGNING_SECRET, TEAM_ID
from tests.support.database import empty_database
from tests.support.executor import WaitableExecutor
from tests.support.served import Served
from tests.support.settings import make_settings


@pytest.fixture(scope="session")
def waitable_bot(database_url: str, fake_slack: FakeSlack) -> Iterator[Bot]:
    """Served by waitress on 127.0.0.1, like the `bot` fixture."""
    runtime = build_runtime(make_settings(database_url, fake_slack.base_url))
    listeners = WaitableExecutor()
    app = make_wsgi_app(build_bolt_app(runtime, listener_executor=listeners), runtime.engine)
    served = Served(app)
    yield Bot(url=served.url, runtime=runtime, listeners=listeners)
    served.stop()
    listeners.shutdown(wait=True)
    runtime.engine.dispose()


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
