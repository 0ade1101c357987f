"""Shared Block Kit pieces every journey's builders use: messages, notices, buttons, mentions."""

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack.core.ids import Action

STALE_BUTTON = "That button is out of date, so nothing was changed. Try the command again."


@dataclass(frozen=True)
class Message:
    """A message: fallback text (for notifications) and its blocks."""

    text: str
    blocks: Sequence[Block]


def something_went_wrong() -> Message:
    """What a person sees when an unexpected error stops their request."""
    text = (
        "Sorry, something went wrong on our side and nothing was changed. "
        "Please try again in a minute."
    )
    return Message(text=text, blocks=[SectionBlock(text=PlainTextObject(text=text))])


def mention(user_id: str) -> str:
    """A mention Slack renders as the person's name (ids come from Slack, never from text)."""
    return f"<@{user_id}>"


def text_message(text: str) -> Message:
    """A one-paragraph reply (our own words; never user text)."""
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


def notice_modal(text: str) -> View:
    """A modal that replaces a form when the request cannot be done (our words only)."""
    return View(
        type="modal",
        title="Mentoring",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )


CURRENT_PAIR = "current"  # the App Home's buttons: whichever pair the person is in now


def exit_buttons(value: str) -> list[ButtonElement]:
    """Both buttons; `value` is the pair's id, or CURRENT_PAIR."""
    return [
        ButtonElement(text="This isn't working", action_id=Action.PAIR_EXIT, value=value),
        ButtonElement(text="Raise a concern", action_id=Action.RAISE_CONCERN, value=value),
    ]
