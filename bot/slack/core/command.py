"""What a /mentoring subcommand handler gets, and how it answers within Slack's 3 seconds."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.ui import Message
from bot.store.callers import Caller


@dataclass(frozen=True)
class CommandRequest:
    """One /mentoring call, as the subcommand handlers see it."""

    runtime: Runtime
    ack: Ack
    client: WebClient
    # The installation the data is kept under (envelope.home); the workspace typed in.
    team_id: str
    workspace_id: str
    user_id: str
    args: list[str]
    trigger_id: str
    body: dict[str, Any]
    respond: Respond
    caller: Caller

    def later(self, work: Callable[[], None]) -> None:
        """Run `work` after the acknowledgement (see bot.slack.core.after_ack)."""
        after_ack(self.runtime, self.body, self.respond, work)


Handler = Callable[[CommandRequest], None]


def reply(ack: Ack, message: Message) -> None:
    """Acknowledge with an ephemeral answer, so the reply arrives within Slack's 3 seconds."""
    ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
