"""Wiring: settings -> database -> Slack client -> Bolt app -> listeners."""

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings
from bot.runtime import Runtime
from bot.slack.installs import WorkspaceClients, oauth_settings
from bot.slack.outbox.notifier import SlackNotifier
from bot.slack.wiring import register_all
from bot.store.db import make_engine, make_reader, make_sessionmaker

# Slack's own timeout for an acknowledgement is 3 s; a Web API call that takes longer than this
# is treated as failed and retried (interactive calls) or rescheduled (the outbox).
SLACK_TIMEOUT_SECONDS = 10


def build_runtime(settings: Settings, *, work: Executor | None = None) -> Runtime:
    """Create the long-lived parts: engine, sessions, the outbox's clients, the after-ack pool.

    `work` runs what listeners do after the acknowledgement (a bounded pool of
    WORK_THREADS when None); tests pass one they can wait on.
    """
    engine = make_engine(settings.database_url)
    reader = make_reader(engine)
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        reader=reader,
        reads=make_sessionmaker(reader),
        clients=WorkspaceClients(
            settings=settings, engine=engine, reader=reader, timeout=SLACK_TIMEOUT_SECONDS
        ),
        notifier=SlackNotifier(),
        work=work or ThreadPoolExecutor(settings.work_threads, thread_name_prefix="after-ack"),
    )


def interactive_client(settings: Settings) -> WebClient:
    """The client listeners use after the ack: it retries a dropped connection or a 5xx once.

    A 429 is not slept on: a message goes through the outbox, which reschedules it; a modal
    that cannot open in time is explained to the person instead. With OAuth it has no token:
    Bolt gives each request a copy with its workspace's.
    """
    token = settings.slack_bot_token
    return WebClient(
        token=None if settings.oauth or token is None else token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def build_bolt_app(runtime: Runtime) -> App:
    """The Bolt app with every listener attached; verifies the token with auth.test.

    Each listener runs on the thread of its request, and its response is the acknowledgement
    (`process_before_response`): listeners do database work only, and hand what needs Slack
    to the after-ack pool. This also spares every request a hand-off to a second thread and
    Bolt's wait for it (a poll every 10 ms), which was most of an acknowledgement's latency.
    """
    settings = runtime.settings
    logger = logging.getLogger("bot.bolt")
    logger.addFilter(_not_the_ignored_token_warning)
    app = App(
        client=interactive_client(settings),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        logger=logger,
        process_before_response=True,
        oauth_settings=(
            oauth_settings(settings, runtime.clients, runtime.engine) if settings.oauth else None
        ),
    )
    register_all(app, runtime)
    return app


def _not_the_ignored_token_warning(record: logging.LogRecord) -> bool:
    """Drops Bolt's warning that it ignores SLACK_BOT_TOKEN when given a client.

    Bolt reads the variable itself, so every start would warn; the client it is given already
    carries that token, so nothing is ignored.
    """
    return record.getMessage() != warning_client_prioritized_and_token_skipped()
