"""Replacing a post by its outbox key: sent or not, in flight or refused, it is never lost."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.slack.outbox.delivery import DeliveryReport, deliver_due
from bot.store import outbox
from bot.store.models import OutboxMessage
from tests.fakeslack import FakeSlack
from tests.support.constants import TEAM_ID
from tests.support.fakeclock import FakeClock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BUTTONS = [
    {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
        ],
    }
]
SPENT = {
    "text": "Done",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Done"}}],
}


@pytest.fixture(autouse=True)
def alice(fake_slack: FakeSlack) -> None:
    """A person, so a post to her user id lands in the bot's DM with her."""
    fake_slack.add_user("U0ALICE", real_name="Alice")


def post(runtime: Runtime, key: str = "consent:1:U0ALICE") -> None:
    with runtime.sessions.begin() as session:
        outbox.enqueue(
            session=session, team_id=TEAM_ID, key=key, method="chat.postMessage",
            payload={"channel": "U0ALICE", "text": "Pick", "blocks": BUTTONS}, now=NOW,
            user_id="U0ALICE",
        )  # fmt: skip


def replace(runtime: Runtime, key: str = "consent:1:U0ALICE", at: datetime = NOW) -> None:
    with runtime.sessions.begin() as session:
        outbox.replace(session=session, team_id=TEAM_ID, key=key, content=SPENT, now=at)


def deliver(runtime: Runtime, now: datetime = NOW) -> DeliveryReport:
    return deliver_due(runtime.sessions, runtime.clients, now=now, clock=FakeClock())


def row(runtime: Runtime, key: str) -> OutboxMessage:
    with runtime.sessions() as session:
        found = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        assert found is not None
        return found


def rows(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def the_message(fake_slack: FakeSlack) -> dict[str, object]:
    (message,) = fake_slack.messages.values()
    return message


def test_a_sent_post_is_updated_where_it_landed(runtime: Runtime, fake_slack: FakeSlack) -> None:
    post(runtime)
    deliver(runtime)
    sent = row(runtime, "consent:1:U0ALICE")
    (posted,) = fake_slack.calls_to("chat.postMessage")
    assert (sent.sent_channel, sent.sent_ts) == (posted.response["channel"], posted.response["ts"])
    replace(runtime)
    replace(runtime)  # the same replacement twice is stored once
    assert deliver(runtime).sent == 1
    (update,) = fake_slack.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (sent.sent_channel, sent.sent_ts)
    message = the_message(fake_slack)
    assert message["text"] == "Done" and "actions" not in str(message["blocks"])


def test_an_unsent_post_goes_out_replaced(runtime: Runtime, fake_slack: FakeSlack) -> None:
    post(runtime)
    replace(runtime)
    assert rows(runtime) == 1  # nothing to update: the post itself changed
    deliver(runtime)
    (posted,) = fake_slack.calls_to("chat.postMessage")
    assert posted.args["channel"] == "U0ALICE" and posted.args["text"] == "Done"
    assert fake_slack.calls_to("chat.update") == []


def test_a_post_in_flight_is_updated_once_it_is_sent(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    post(runtime)
    with runtime.sessions.begin() as session:  # a sender took it and has not answered yet
        assert outbox.claim(
            session=session, message_id=row(runtime, "consent:1:U0ALICE").id, now=NOW
        )
    replace(runtime)
    report = deliver(runtime)
    assert (report.sent, report.retrying) == (0, 1)  # the update waits for its post
    at = NOW
    for _ in range(6):  # the stuck claim is taken back, the post sent, then the update
        at += outbox.LEASE
        deliver(runtime, at)
    assert [c.method for c in fake_slack.calls if c.method.startswith("chat.")] == [
        "chat.postMessage",
        "chat.update",
    ]
    assert the_message(fake_slack)["text"] == "Done"


def test_a_post_that_was_never_delivered_is_not_updated(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    with runtime.sessions.begin() as session:
        outbox.enqueue(
            session=session, team_id=TEAM_ID, key="bad", method="chat.postMessage",
            payload={"channel": "U0NOBODY", "text": "x"}, now=NOW,
        )  # fmt: skip
    assert deliver(runtime).failed == 1
    replace(runtime, "bad")
    replace(runtime, "never-stored")
    assert rows(runtime) == 1
    assert deliver(runtime, NOW + timedelta(hours=1)).sent == 0
    assert fake_slack.calls_to("chat.update") == []
