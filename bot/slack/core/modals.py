"""Opening a modal from any surface, or a notice that says kindly why it can't be opened."""

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.flows.errors import Refusal
from bot.slack.ui import notice_modal


def open_or_explain(client: WebClient, trigger_id: str, build: Callable[[], View]) -> None:
    """Open the modal `build` makes, or a notice saying kindly why not.

    A modal is the one answer that reaches the person from a message, a command and the App
    Home alike (the App Home has no place for an ephemeral reply).
    """
    try:
        view = build()
    except Refusal as refusal:
        view = notice_modal(str(refusal))
    client.views_open(trigger_id=trigger_id, view=view)
