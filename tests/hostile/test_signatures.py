"""Forged, tampered, stale and malformed requests: refused before anything changes."""

import json
import socket
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import pytest

from bot.web import MAX_BODY_BYTES
from tests.fakeslack import SlackDriver
from tests.fakeslack.driver import FORM, JSON, Response, sign
from tests.support.bot import Hostile
from tests.support.constants import OWNER, SIGNING_SECRET
from tests.support.database import snapshot
from tests.support.logs import error_trap
from tests.support.participants import new_programme

FIVE_MINUTES = 5 * 60


def owner_command(text: str) -> bytes:
    """What Slack posts for an owner's `/mentoring <text>`."""
    fields = {"command": "/mentoring", "text": text, "user_id": OWNER, "team_id": "T0TEST"}
    return urlencode(fields).encode()


FORGED = owner_command("programme new Forged")


def _tamper(body: bytes) -> bytes:
    return body.replace(b"Forged", b"Forgex")


# (what is wrong, how to send it): each gets 401 and changes nothing.
REFUSALS: dict[str, Callable[[SlackDriver, int], Response]] = {
    "unsigned": lambda s, _now: s.post_raw(FORGED, content_type=FORM, sign=False),
    "timestamp without signature": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, sign=False, headers={"X-Slack-Request-Timestamp": str(now)}
    ),
    "signed with another secret": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, timestamp=now, signature=sign("not-the-secret", FORGED, now)
    ),
    "body changed after signing": lambda s, now: s.post_raw(
        _tamper(FORGED), content_type=FORM, timestamp=now, signature=s.sign(FORGED, now)
    ),
    "timestamp changed after signing": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, timestamp=now + 1, signature=s.sign(FORGED, now)
    ),
    "replayed after five minutes": lambda s, now: s.post_raw(
        FORGED,
        content_type=FORM,
        timestamp=now - FIVE_MINUTES - 30,
        signature=s.sign(FORGED, now - FIVE_MINUTES - 30),
    ),
    "dated in the future": lambda s, now: s.post_raw(
        FORGED,
        content_type=FORM,
        timestamp=now + FIVE_MINUTES + 30,
        signature=s.sign(FORGED, now + FIVE_MINUTES + 30),
    ),
    "signature of another version": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, timestamp=now, signature=s.sign(FORGED, now).replace("v0", "v1")
    ),
    "signature not hex": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, timestamp=now, signature="v0=" + "z" * 64
    ),
    "empty signature": lambda s, now: s.post_raw(
        FORGED, content_type=FORM, timestamp=now, signature=""
    ),
    "timestamp not a number": lambda s, now: s.post_raw(
        FORGED,
        content_type=FORM,
        sign=False,
        headers={"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": s.sign(FORGED, now)},
    ),
}


@pytest.mark.parametrize("wrong", sorted(REFUSALS))
def test_forged_requests_are_refused_and_change_nothing(hostile: Hostile, wrong: str) -> None:
    new_programme(hostile.slack, "Spring pilot")
    hostile.settle()
    before, calls = snapshot(hostile.runtime), len(hostile.fake.calls)
    with error_trap() as trap:
        response = REFUSALS[wrong](hostile.slack, int(time.time()))
        hostile.settle()
    assert response.status == 401, response
    assert snapshot(hostile.runtime) == before
    assert len(hostile.fake.calls) == calls
    assert trap.records == []


def test_the_same_request_signed_properly_does_go_through(hostile: Hostile) -> None:
    """The refusals above are about the signature, not the request."""
    now = int(time.time())
    response = hostile.slack.post_raw(
        FORGED, content_type=FORM, timestamp=now, signature=hostile.slack.sign(FORGED, now)
    )
    assert "open for sign-up" in response.json()["text"]


MALFORMED = {
    "not UTF-8": (b"\xff\xfe\x00command", FORM),
    "JSON cut short": (b'{"type": "event_callback", "event": {', JSON),
    "JSON that is a list": (b"[1, 2, 3]", JSON),
    "payload that is not JSON": (b"payload=%7Bnot+json", FORM),
    "payload that is a list": (b"payload=%5B%5D", FORM),
    "block action without actions": (
        b"payload=" + json.dumps({"type": "block_actions", "user": {"id": "U1"}}).encode(),
        FORM,
    ),
    "view without a type": (
        b"payload="
        + json.dumps(
            {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "survey"}}
        ).encode(),
        FORM,
    ),
    "org-wide click without its organisation": (
        b"payload="
        + json.dumps(
            {
                "type": "block_actions",
                "user": {"id": "W0ANN", "team_id": "T0TEST"},
                "team": {"id": "T0TEST"},
                "enterprise": None,
                "is_enterprise_install": True,
                "trigger_id": "1.2.3",
                "actions": [{"action_id": "join"}],
            }
        ).encode(),
        FORM,
    ),
    "event without an event": (
        json.dumps({"type": "event_callback", "team_id": "T0TEST", "event_id": "Ev1"}).encode(),
        JSON,
    ),
}


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("what", sorted(MALFORMED))
def test_bodies_slack_never_sends_are_refused_without_a_crash(
    hostile: Hostile, what: str, signed: bool
) -> None:
    body, content_type = MALFORMED[what]
    before = snapshot(hostile.runtime)
    with error_trap() as trap:
        response = hostile.slack.post_raw(body, content_type=content_type, sign=signed)
        hostile.settle()
    # Nothing of an unsigned body is read: 401. Signed, it is unparseable or lacks the ids
    # every Slack request carries: 400.
    assert response.status == (400 if signed else 401), response
    assert snapshot(hostile.runtime) == before
    assert trap.summary() == []


def test_a_command_without_its_ids_gets_a_friendly_reply(hostile: Hostile) -> None:
    response = hostile.slack.post_raw(b"command=%2Fmentoring&text=leave", content_type=FORM)
    assert response.status == 200
    assert "nothing was changed" in response.json()["text"]


def test_a_body_over_the_limit_is_refused(hostile: Hostile) -> None:
    body = b"text=" + b"x" * MAX_BODY_BYTES
    response = hostile.slack.post_raw(body, content_type=FORM)
    assert response.status == 413


def chunked_post(slack: SlackDriver, body: bytes, *, chunk: int = 64 * 1024) -> tuple[int, bytes]:
    """POST `body` with Transfer-Encoding: chunked (no Content-Length); the status and body."""
    parts = urlsplit(slack.url)
    now = int(time.time())
    signature = sign(SIGNING_SECRET, body, now)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.hostname}\r\n"
        f"Content-Type: {FORM}\r\nTransfer-Encoding: chunked\r\n"
        f"X-Slack-Request-Timestamp: {now}\r\nX-Slack-Signature: {signature}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), 10) as sock:
        sock.sendall(head)
        try:
            for start in range(0, len(body), chunk):
                piece = body[start : start + chunk]
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused part-way and closed its side; its answer is waiting
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_a_chunked_body_over_the_limit_is_refused(hostile: Hostile) -> None:
    status, _ = chunked_post(hostile.slack, b"text=" + b"x" * (2 * MAX_BODY_BYTES))
    assert status == 413


def test_a_small_chunked_request_is_served(hostile: Hostile) -> None:
    body = urlencode(
        {"command": "/mentoring", "text": "help", "user_id": "U0ALICE", "team_id": "T0TEST"}
    ).encode()
    status, answer = chunked_post(hostile.slack, body, chunk=10)
    assert status == 200
    assert b"/mentoring help" in answer
