"""Opening a modal after the acknowledgement, or saying kindly why it could not be opened."""

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.flows.errors import Refusal
from bot.slack.ui import notice_modal

SLACK_BUSY = (
    "Slack is busy just now, so the form couldn't open and nothing was changed. "
    "Please try again in a moment."
)


def open_view(client: WebClient, trigger_id: str, view: View) -> None:
    """Open a modal; a trigger that ran out or a rate limit is a kind refusal, not a crash."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        if exc.response.status_code == 429 or exc.response.get("error") in (
            "expired_trigger_id",
            "exchanged_trigger_id",
        ):
            raise Refusal(SLACK_BUSY) from exc
        raise


def build_or_explain(build: Callable[[], View]) -> View:
    """The modal `build` makes, or a notice saying kindly why not.

    A modal is the one answer that reaches the person from a message, a command and the App
    Home alike (the App Home has no place for an ephemeral reply).
    """
    try:
        return build()
    except Refusal as refusal:
        return notice_modal(str(refusal))
