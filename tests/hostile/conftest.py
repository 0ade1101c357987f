"""The hostile tests drive the one bot of tests/conftest.py through a single handle."""

import pytest

from bot.runtime import Runtime
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer, Hostile


@pytest.fixture
def hostile(slack: SlackDriver, runtime: Runtime, fake_slack: FakeSlack, bot: BotServer) -> Hostile:
    """The bot, its database (empty) and the fake Slack (reset), cleaned up after the test."""
    return Hostile(slack=slack, runtime=runtime, fake=fake_slack, bot=bot)
