"""Logs: one `key=value` line per event, the request's Slack ids, never a secret or user text."""

import io
import json
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import logs
from bot.store.models import Participant
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import Hostile
from tests.support.constants import ALICE, OWNER, SIGNING_SECRET, TOKEN
from tests.support.inputs import typed
from tests.support.participants import open_survey, survey_values
from tests.support.process import base_env, free_port, wait_until_healthy

USER_TEXT = "Zanzibar-private-words"
LINE = re.compile(r"^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=[A-Z]+ logger=\S+ \S")


def full_run(slack: SlackDriver, fake: FakeSlack) -> None:
    """A little of everything: commands, a survey, a click, an event, forged and odd requests."""
    fake.add_user(ALICE, real_name="Alice")
    assert "open for sign-up" in slack.command(OWNER, f"programme new {USER_TEXT}").json()["text"]
    slack.command(ALICE, f"{USER_TEXT} <!channel>")
    slack.command(ALICE, "help")
    opened = open_survey(slack, fake)
    goal = survey_values(goal=typed(f"My goal: {USER_TEXT}"))
    assert (
        slack.submit_view(ALICE, view_id=opened.response["view"]["id"], values=goal).status == 200
    )
    fake.wait_for("chat.postMessage")  # the welcome
    slack.command(ALICE, "status")
    slack.click(ALICE, action_id="consent_accept", value=USER_TEXT)  # a forged, stale button
    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"}, event_id="Ev0LOGS")
    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"}, event_id="Ev0LOGS")
    slack.post_raw(f"command=/mentoring&text={USER_TEXT}".encode(), content_type="a", sign=False)
    slack.post_raw(b'{"not": "slack", "text": "' + USER_TEXT.encode() + b'"}', content_type="a")
    fake.wait_for("views.publish")


def check_lines(text: str) -> list[str]:
    """The log's lines, each checked: structured, free of secrets and of what people typed."""
    lines = text.splitlines()
    assert lines, "nothing was logged"
    for line in lines:
        assert LINE.match(line), line
        for secret in (TOKEN, SIGNING_SECRET, USER_TEXT, "Zanzibar"):
            assert secret not in line, line
    return lines


@pytest.fixture
def captured_log() -> Iterator[Callable[[], str]]:
    """The bot's logging set up as `python -m bot` does; call it for everything written."""
    buffer = io.StringIO()
    handler = logs.configure(stream=buffer)

    def written() -> str:
        handler.close()  # writes out the queue
        return buffer.getvalue()

    try:
        yield written
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_the_in_process_bot_logs_one_line_per_event_with_ids_only(
    hostile: Hostile, captured_log: Callable[[], str]
) -> None:
    full_run(hostile.slack, hostile.fake)
    hostile.settle()
    lines = check_lines(captured_log())
    requests = [line for line in lines if " request: " in line]
    # People are named by their log pseudonym once they have joined, by `-` before.
    with hostile.runtime.sessions() as session:
        alice = session.scalar(select(Participant.log_id).where(Participant.user_id == ALICE))
    assert alice
    assert any("kind=command name=/mentoring team=T0TEST user=-" in line for line in requests)
    assert any("kind=view_submission name=survey team=T0TEST user=-" in line for line in lines)
    assert any(f"kind=command name=/mentoring team=T0TEST user={alice}" in line for line in lines)
    assert any(
        f"kind=event name=app_home_opened team=T0TEST user={alice}" in line for line in lines
    )
    assert any("event skipped, seen before" in line for line in lines)
    assert any("refused:" in line and "user=" in line for line in lines)
    assert not [line for line in lines if ALICE in line]


def test_the_process_logs_no_secrets_in_a_full_run(tmp_path: Path, fake_slack: FakeSlack) -> None:
    port = free_port()
    env = base_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.base_url,
        PROGRAMME_OWNERS=OWNER,
        PORT=str(port),
        TICK_SECONDS="10",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        full_run(
            SlackDriver(bot_url=url, signing_secret=SIGNING_SECRET, fake=fake_slack), fake_slack
        )
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
        fake_slack.reset()
    lines = check_lines(stderr)
    assert any("listening on port" in line for line in lines)
    assert any(" request: kind=command" in line for line in lines)


def test_secrets_that_reach_a_message_are_redacted() -> None:
    buffer = io.StringIO()
    handler = logs.configure(secrets=["s3cret-signing"], stream=buffer)
    log = logging.getLogger("bot.test")
    try:
        log.warning("oops %s %s", "s3cret-signing", "xoxb-123-456-abc")
        try:
            raise ValueError(json.dumps({"token": "xapp-1-A0-zzz"}))
        except ValueError:
            log.exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    text = buffer.getvalue()
    assert "s3cret" not in text and "xoxb-123" not in text and "xapp-1" not in text
    assert text.count("\n") == 2  # the traceback is folded onto its line
    assert "traceback=ValueError@test_logs.py:" in text  # where, but not the error's text


def test_slack_libraries_cannot_log_bodies_at_the_default_level() -> None:
    handler = logs.configure(stream=io.StringIO())
    try:
        # Bolt and the SDK log request bodies and API arguments at DEBUG.
        for name in ("slack_bolt", "slack_sdk", "slack_sdk.web.base_client", "bot.bolt"):
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger("bot.slack").isEnabledFor(logging.INFO)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
