"""Wiring: settings -> database -> Slack client -> Bolt app -> listeners."""

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.runtime import Runtime
from bot.slack.outbox.notifier import SlackNotifier
from bot.slack.wiring import register_all
from bot.store.db import make_engine, make_sessionmaker

# Slack's own timeout for an acknowledgement is 3 s; a Web API call that takes longer than this
# is treated as failed and retried (interactive calls) or rescheduled (the outbox).
SLACK_TIMEOUT_SECONDS = 10


def build_runtime(settings: Settings) -> Runtime:
    """Create the long-lived parts: engine, sessions, and the Web API client for the outbox."""
    engine = make_engine(settings.database_url)
    # The outbox reschedules rate-limited and failed calls itself, so its client never sleeps.
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        client=client,
        notifier=SlackNotifier(),
    )


def interactive_client(settings: Settings) -> WebClient:
    """The client listeners use: it retries a dropped connection, a 5xx or a 429 once."""
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            ServerErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


def build_bolt_app(runtime: Runtime, *, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every listener attached; verifies the token with auth.test.

    `listener_executor` runs the listeners (Bolt's own thread pool when None); tests pass one
    they can wait on, since work after the acknowledgement outlives the HTTP response.
    """
    app = App(
        client=interactive_client(runtime.settings),
        signing_secret=runtime.settings.slack_signing_secret.get_secret_value(),
        logger=logging.getLogger("bot.bolt"),
        listener_executor=listener_executor,
    )
    register_all(app, runtime)
    return app
