"""Owners' and people's words shown back to them cannot ping, link, format or name a channel."""

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, OWNER
from tests.support.participants import join, new_programme
from tests.support.stats import seed

HOSTILE = "<!channel> *bold* _it_ `code` ~s~ https://x.example #general"
POWERS = ("<!", "<@U0", "<http", "*bold*", "_it_", "`code`", "~s~", "https://", "#general")


def assert_inert(shown: str, *, allowed_mentions: tuple[str, ...] = ()) -> None:
    for mention in allowed_mentions:
        shown = shown.replace(mention, "")
    for power in POWERS:
        assert power not in shown, (power, shown)


def texts(value: Any) -> str:
    """A message's top-level text and every mrkdwn text in it (plain_text is inert already)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(value)
    top = value.get("text") if isinstance(value, dict) else None
    return "\n".join(([top] if isinstance(top, str) else []) + found)


def test_a_hostile_programme_name_is_inert_everywhere(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    fake_slack.add_user("U0BOSS", real_name="The Boss")
    fake_slack.add_user(OWNER, real_name="Owner")
    new_programme(slack, HOSTILE)
    with runtime.sessions.begin() as session:
        programme = session.scalar(select(Programme))
        assert programme is not None and programme.name == HOSTILE
    assert (join(slack, fake_slack).status, 200)[1] == 200
    bot.settle()
    welcome = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == ALICE)
    assert_inert(texts(welcome[-1].args))
    assert HOSTILE in str(welcome[-1].args["blocks"])  # as the header's plain text

    status = slack.command(ALICE, "status").json()
    assert "x.example" in texts(status)
    assert_inert(texts(status))

    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    home = fake_slack.wait_for("views.publish")[-1].args["view"]
    assert "x.example" in texts(home)
    assert_inert(texts(home))

    with runtime.sessions.begin() as session:
        programme = session.scalar(select(Programme))
        assert programme is not None
        seed(session, programme)
    stats = slack.command(OWNER, "stats").json()
    assert stats["text"].startswith("Stats for ")
    assert_inert(stats["text"])
    assert_inert(texts(stats))
    bot.settle()
    uploads = [c for c in fake_slack.calls if "upload" in c.method or "completeUpload" in c.method]
    for call in uploads:
        comment = call.args.get("initial_comment")
        if comment:
            assert_inert(comment)
