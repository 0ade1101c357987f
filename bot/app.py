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
from bot.slack.installs import WorkspaceClients, oauth_settings
from bot.slack.outbox.notifier import SlackNotifier
from bot.slack.wiring import register_all
from bot.store.db import make_engine, make_sessionmaker

# Slack's own timeout for an acknowledgement is 3 s; a Web API call that takes longer than this
# is treated as failed and retried (interactive calls) or rescheduled (the outbox).
SLACK_TIMEOUT_SECONDS = 10


def build_runtime(settings: Settings) -> Runtime:
    """Create the long-lived parts: engine, sessions, and the outbox's Web API clients."""
    engine = make_engine(settings.database_url)
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        clients=WorkspaceClients(settings=settings, engine=engine, timeout=SLACK_TIMEOUT_SECONDS),
        notifier=SlackNotifier(),
    )


def interactive_client(settings: Settings) -> WebClient:
    """The client listeners use: it retries a dropped connection, a 5xx or a 429 once.

    With OAuth it has no token: Bolt gives each request a copy with its workspace's.
    """
    token = settings.slack_bot_token
    return WebClient(
        token=None if settings.oauth or token is None else token.get_secret_value(),
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
    settings = runtime.settings
    app = App(
        client=interactive_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        logger=logging.getLogger("bot.bolt"),
        listener_executor=listener_executor,
        oauth_settings=(
            oauth_settings(settings, runtime.clients, runtime.engine) if settings.oauth else None
        ),
    )
    register_all(app, runtime)
    return app
