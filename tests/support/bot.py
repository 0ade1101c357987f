"""The real bot as the tests run it: served over HTTP, with after-ack work a test can wait for."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.app import build_bolt_app, build_runtime
from bot.runtime import Runtime
from bot.web import make_wsgi_app
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.executor import WaitableExecutor
from tests.support.served import Served
from tests.support.settings import make_settings


@dataclass(frozen=True)
class BotServer:
    """The bot as production builds it, served by waitress on a free port."""

    url: str
    runtime: Runtime
    work: WaitableExecutor

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the work each request started after its acknowledgement is done.

        Slack is answered when the listener returns; what it handed to the after-ack pool runs
        later (and may hand on more). A test waits for it before it looks at the database or
        moves the clock on (a send still in flight when the clock jumps past the outbox lease
        would look abandoned).
        """
        while self.work.busy():
            self.work.wait_idle(timeout)


@contextmanager
def serve_bot(database_url: str, api_url: str, **settings: Any) -> Iterator[BotServer]:
    """Build the bot as production does (settings overridden by `settings`) and serve it."""
    configured = make_settings(database_url, api_url, **settings)
    work = WaitableExecutor("after-ack", workers=configured.work_threads)
    runtime = build_runtime(configured, work=work)
    app = make_wsgi_app(build_bolt_app(runtime), runtime)
    served = Served(app)
    try:
        yield BotServer(url=served.url, runtime=runtime, work=work)
    finally:
        served.stop()
        work.shutdown(wait=True)
        runtime.close()


@dataclass(frozen=True)
class Hostile:
    """What a hostile test drives: the bot, its database and the fake Slack."""

    slack: SlackDriver
    runtime: Runtime
    fake: FakeSlack
    bot: BotServer

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the work each request started after its acknowledgement is done."""
        self.bot.settle(timeout)
