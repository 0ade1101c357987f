"""The HTTP front: health, signatures, and /mentoring help answered in the acknowledgement."""

import hashlib
import hmac
import json
import time
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import event, text

from bot.app import build_bolt_app
from bot.runtime import Runtime
from bot.store.models import Owner
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import SIGNING_SECRET


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def command_body(text: str = "help", user_id: str = "U0ALICE") -> bytes:
    return urlencode(
        {"command": "/mentoring", "text": text, "user_id": user_id, "team_id": "T0TEST"}
    ).encode()


def signature(body: bytes, timestamp: int) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()


def test_healthz_is_ok_when_the_database_answers(bot: BotServer) -> None:
    assert get(f"{bot.url}/healthz") == (200, "ok")


def test_unknown_paths_and_methods(bot: BotServer) -> None:
    assert get(f"{bot.url}/nope")[0] == 404
    assert get(f"{bot.url}/slack/events")[0] == 405


def test_help_is_answered_ephemerally_in_the_ack(slack: SlackDriver) -> None:
    started = time.monotonic()
    response = slack.command("U0ALICE", "help")
    elapsed = time.monotonic() - started
    assert response.status == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    rendered = json.dumps(body["blocks"])
    assert "/mentoring help" in rendered
    assert "For programme owners" not in rendered
    assert elapsed < 1.0  # far inside Slack's 3 seconds


def test_empty_command_shows_help(slack: SlackDriver) -> None:
    assert "/mentoring help" in json.dumps(slack.command("U0ALICE", "   ").json()["blocks"])


def test_unknown_subcommand_is_echoed_safely(slack: SlackDriver) -> None:
    body = slack.command("U0ALICE", "<!channel> *hi* <@U0BOB>").json()
    first = body["blocks"][0]["text"]
    assert first["type"] == "plain_text"  # shown literally: cannot ping or format
    assert "<!channel>" in first["text"]
    assert "/mentoring help" in json.dumps(body["blocks"])


def test_oversized_text_gets_a_friendly_reply(slack: SlackDriver) -> None:
    body = slack.command("U0ALICE", "join " + "x" * 5000).json()
    assert "longer than any /mentoring command" in body["text"]


def test_unsigned_tampered_and_stale_requests_are_refused(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    body = command_body()
    now = int(time.time())
    form = "application/x-www-form-urlencoded"
    assert slack.post_raw(body, content_type=form, sign=False).status == 401
    tampered = command_body(text="leave")
    assert (
        slack.post_raw(tampered, content_type=form, timestamp=now, signature=signature(body, now))
    ).status == 401
    stale = now - 6 * 60
    assert (
        slack.post_raw(body, content_type=form, timestamp=stale, signature=signature(body, stale))
    ).status == 401
    assert slack.post_raw(body, content_type=form, timestamp=now, signature="v0=00").status == 401
    # A correctly signed request goes through, so the refusals above were about the signature.
    assert (
        slack.post_raw(body, content_type=form, timestamp=now, signature=signature(body, now))
    ).status == 200
    assert fake_slack.calls_to("chat.postMessage") == []


def test_oversized_bodies_are_refused_before_slack_code_runs(slack: SlackDriver) -> None:
    body = b"x" * (2 * 1024 * 1024)
    now = int(time.time())
    response = slack.post_raw(
        body, content_type="text/plain", timestamp=now, signature=signature(body, now)
    )
    assert response.status == 413


def test_app_home_is_published(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    assert slack.event({"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}).status == 200
    published = fake_slack.wait_for("views.publish")[0]
    assert published.args["user_id"] == "U0ALICE"
    assert published.args["view"]["type"] == "home"


def test_help_costs_one_statement_before_its_answer(slack: SlackDriver, runtime: Runtime) -> None:
    """The signature's record and the caller's facts (log pseudonym, ownership) in one statement.

    This is what keeps the acknowledgement near bare Bolt's (benchmarks/RESULTS.md, Load): it
    was ten round trips per command, with a ping, BEGIN and ROLLBACK around every read.
    """
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]).split(None, 1)[0].upper())

    engines = {runtime.engine, runtime.reader}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        assert slack.command("U0ALICE", "help").status == 200
        assert slack.command("U0ALICE", "status").status == 200
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    if runtime.engine.dialect.name == "postgresql":
        assert statements == ["WITH", "WITH"]
    else:  # SQLite: BEGIN IMMEDIATE, then the INSERT and the SELECT of admit
        assert statements == ["BEGIN", "INSERT", "SELECT"] * 2


def test_after_the_database_drops_its_connections_one_request_fails_calmly(
    slack: SlackDriver, runtime: Runtime
) -> None:
    """The reader pool has no ping before each checkout: a dropped connection costs one 503."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL drops connections; SQLite has none to drop")
    # Connections opened under an earlier test's frozen clock could date from its future, where
    # the pool's "older than the failure" cannot see them: start from connections opened now.
    runtime.reader.dispose()
    assert slack.command("U0ALICE", "help").status == 200
    with runtime.engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    statuses = [slack.command("U0ALICE", "help").status for _ in range(3)]
    assert statuses in ([503, 200, 200], [200, 200, 200])


def test_without_the_http_front_the_middleware_finds_the_caller(
    slack: SlackDriver, runtime: Runtime
) -> None:
    """Socket Mode has no HTTP front to read the caller with the signature: the envelope's
    middleware looks them up, so help still lists the commands of an owner added in Slack."""
    with runtime.sessions.begin() as session:
        session.add(
            Owner(
                team_id=slack.team_id,
                user_id="U0CAROL",
                added_by="U0OWNER",
                created_at=datetime.now(UTC),
            )
        )
    body = {
        "team_id": slack.team_id,
        "user_id": "U0CAROL",
        "command": "/mentoring",
        "text": "help",
        "trigger_id": "1.2.3",
        "response_url": "https://hooks.slack.com/commands/T/1/x",
    }
    response = build_bolt_app(runtime).dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    assert "For programme owners" in response.body
