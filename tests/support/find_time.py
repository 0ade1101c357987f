"""Finding a time through the fake Slack: the messages that offer times, their buttons, clicks."""

from datetime import UTC, datetime
from typing import Any

from tests.fakeslack import FakeSlack, SlackDriver
from tests.fakeslack.driver import iter_elements


def posted(fake: FakeSlack, channel: str, text: str) -> tuple[str, dict[str, Any]]:
    """The ts and content of the one message in `channel` whose fallback text has `text`."""
    (found,) = [
        (ts, message)
        for (where, ts), message in fake.messages.items()
        if where == channel and text in str(message.get("text"))
    ]
    return found


def buttons(message: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    """A message's buttons with this action id, in order."""
    return [e for _, e in iter_elements(message.get("blocks", [])) if e["action_id"] == action_id]


def offered(message: dict[str, Any]) -> list[datetime]:
    """The suggested times a message offers (from its *Pick this time* buttons)."""
    return [
        datetime.fromtimestamp(int(b["value"].rsplit(":", 1)[1]), UTC)
        for b in buttons(message, "pick_time")
    ]


def click(slack: SlackDriver, user: str, channel: str, ts: str, action_id: str, value: str) -> None:
    """Click the button carrying `value` in a stored message."""
    slack.click(user, action_id=action_id, value=value, channel_id=channel, message_ts=ts)
