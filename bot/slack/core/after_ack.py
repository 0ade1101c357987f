"""Work after the acknowledgement, on a bounded pool of its own.

The threads that answer Slack do database work only, so an answer never waits for a Slack call,
a rate-limit pause or another request's work. Whatever needs Slack afterwards (opening a modal,
replying in place, sending the messages a request stored) is handed to `runtime.work` here.

Bolt's lazy listeners start from a copy of the request taken before the listener runs, so they
cannot use what it decided (the text of a reply, the rows it stored): a closure can.
"""

from collections.abc import Callable
from typing import Any

from slack_bolt import Respond

from bot.runtime import Runtime
from bot.slack.core import log_names
from bot.slack.core.errors import answer, answer_in_place


def after_ack(
    runtime: Runtime, body: dict[str, Any], respond: Respond | None, work: Callable[[], object]
) -> None:
    """Run `work` once the listener has answered; a failure is logged and explained in place."""

    def run() -> None:
        try:
            work()
        except Exception as error:
            context = log_names.context_for(runtime, body)  # looked up only on failure
            answer_in_place(respond, body, answer(error, body, context))

    runtime.work.submit(run)


def replace_message(runtime: Runtime, body: dict[str, Any], respond: Respond, text: str) -> None:
    """Replace the message whose button was clicked with `text`, after the acknowledgement."""
    after_ack(runtime, body, respond, lambda: respond(replace_original=True, text=text))
