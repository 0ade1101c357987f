"""The outbox: every key is sent once, through rate limits, outages and concurrent senders."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.store import outbox
from bot.store.models import OutboxMessage
from tests.conftest import TEAM_ID
from tests.fakeslack import FakeSlack

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def enqueue(runtime: Runtime, key: str, *, text: str = "hello", **extra: object) -> bool:
    with runtime.sessions.begin() as session:
        return outbox.enqueue(
            session=session,
            team_id=TEAM_ID,
            key=key,
            method="chat.postMessage",
            payload={"channel": "D0ALICE", "text": text},
            now=NOW,
            user_id="U0ALICE",
            **extra,  # type: ignore[arg-type]
        )


def status_of(runtime: Runtime, key: str) -> OutboxMessage:
    with runtime.sessions() as session:
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        assert message is not None
        return message


def test_a_key_is_stored_and_sent_once(runtime: Runtime, fake_slack: FakeSlack) -> None:
    assert enqueue(runtime, "welcome:U0ALICE")
    assert not enqueue(runtime, "welcome:U0ALICE", text="again")
    assert deliver_due(runtime.sessions, runtime.client, now=NOW).sent == 1
    assert deliver_due(runtime.sessions, runtime.client, now=NOW).sent == 0
    posts = fake_slack.calls_to("chat.postMessage")
    assert [p.args["text"] for p in posts] == ["hello"]
    assert status_of(runtime, "welcome:U0ALICE").status == outbox.SENT


def test_rate_limit_waits_for_retry_after(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "k1")
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    report = deliver_due(runtime.sessions, runtime.client, now=NOW)
    assert (report.sent, report.retrying) == (0, 1)
    assert status_of(runtime, "k1").not_before == NOW + timedelta(seconds=7)
    assert deliver_due(runtime.sessions, runtime.client, now=NOW + timedelta(seconds=6)).sent == 0
    assert deliver_due(runtime.sessions, runtime.client, now=NOW + timedelta(seconds=7)).sent == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_server_errors_back_off_then_succeed(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "k1")
    fake_slack.fail_next("chat.postMessage", status=503, times=2)
    assert deliver_due(runtime.sessions, runtime.client, now=NOW).retrying == 1
    assert status_of(runtime, "k1").not_before == NOW + timedelta(seconds=30)
    later = NOW + timedelta(seconds=30)
    assert deliver_due(runtime.sessions, runtime.client, now=later).retrying == 1
    assert status_of(runtime, "k1").not_before == later + timedelta(seconds=60)
    assert deliver_due(runtime.sessions, runtime.client, now=later + timedelta(minutes=1)).sent == 1
    assert status_of(runtime, "k1").attempts == 3


def test_a_refused_call_fails_for_good(runtime: Runtime, fake_slack: FakeSlack) -> None:
    with runtime.sessions.begin() as session:
        outbox.enqueue(
            session=session,
            team_id=TEAM_ID,
            key="bad",
            method="chat.postMessage",
            payload={"channel": "D0ALICE"},  # neither text nor blocks: Slack says no_text
            now=NOW,
        )
    assert deliver_due(runtime.sessions, runtime.client, now=NOW).failed == 1
    assert status_of(runtime, "bad").status == outbox.FAILED
    assert status_of(runtime, "bad").error == "no_text"
    assert deliver_due(runtime.sessions, runtime.client, now=NOW + timedelta(days=1)).failed == 0
    assert fake_slack.calls_to("chat.postMessage") == []


def test_expired_messages_are_dropped(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "late", expires_at=NOW + timedelta(hours=1))
    report = deliver_due(runtime.sessions, runtime.client, now=NOW + timedelta(hours=2))
    assert report.expired == 1
    assert fake_slack.calls_to("chat.postMessage") == []


def test_concurrent_senders_send_each_key_once(runtime: Runtime, fake_slack: FakeSlack) -> None:
    for n in range(30):
        enqueue(runtime, f"k{n}", text=f"m{n}")
    threads = [
        threading.Thread(
            target=deliver_due, args=(runtime.sessions, runtime.client), kwargs={"now": NOW}
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = sorted(p.args["text"] for p in fake_slack.calls_to("chat.postMessage"))
    assert texts == sorted(f"m{n}" for n in range(30))
