"""Fixtures: the real bot served with SCIM on, a SCIM client and a Slack driver for it."""

from collections.abc import Iterator

import pytest

from bot.runtime import Runtime
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import SIGNING_SECRET, TEAM_ID
from tests.support.database import empty_database
from tests.support.scim import Scim, serve_scim_bot


@pytest.fixture
def scim_bot(database_url: str, fake_slack: FakeSlack) -> Iterator[BotServer]:
    """The bot with SCIM_TOKEN set; after the test, its work done and the database empty."""
    with serve_scim_bot(database_url, fake_slack) as served:
        try:
            yield served
        finally:
            served.settle()
            fake_slack.reset()
            empty_database(served.runtime.sessions)


@pytest.fixture
def scim_runtime(scim_bot: BotServer) -> Runtime:
    """The SCIM bot's runtime."""
    return scim_bot.runtime


@pytest.fixture
def directory(scim_bot: BotServer) -> Scim:
    """A SCIM client holding the right token, as Okta or Entra would be."""
    return Scim(url=scim_bot.url)


@pytest.fixture
def scim_slack(scim_bot: BotServer, fake_slack: FakeSlack) -> SlackDriver:
    """Signed Slack requests to the SCIM bot."""
    return SlackDriver(
        bot_url=scim_bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
    )
