"""The real bot as the tests run it, and what a hostile test drives."""

from dataclasses import dataclass

from bot.runtime import Runtime
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.executor import WaitableExecutor


@dataclass(frozen=True)
class BotServer:
    """The real bot, served by waitress on a free port."""

    url: str
    runtime: Runtime


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
