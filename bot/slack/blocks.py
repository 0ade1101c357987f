"""Pure builders of Slack messages and views, typed with slack_sdk.models."""

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.text import shorten


@dataclass(frozen=True)
class Message:
    """A message: fallback text (for notifications) and its blocks."""

    text: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class CommandHelp:
    """One line of help: usage and what it does."""

    usage: str
    summary: str


def help_message(
    commands: Sequence[CommandHelp], *, owner_commands: Sequence[CommandHelp]
) -> Message:
    """The list of /mentoring commands; owners also see theirs."""
    lines = [f"`/mentoring {c.usage}` — {c.summary}" for c in commands]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="*Upward* pairs people for reverse mentoring: juniors share what they know "
                "with senior colleagues, and both learn. Here is what you can do:"
            )
        ),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    if owner_commands:
        owner_lines = [f"`/mentoring {c.usage}` — {c.summary}" for c in owner_commands]
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text="*For programme owners*\n" + "\n".join(owner_lines))
            )
        )
    return Message(text="Upward: the /mentoring commands", blocks=blocks)


def unknown_command(word: str, help_: Message) -> Message:
    """A friendly reply to a subcommand we don't know, echoing it as plain text, then help."""
    echoed = PlainTextObject(text=f"I don't know “{shorten(word, 40)}”.", emoji=False)
    return Message(
        text="I don't know that command. Here is what I can do.",
        blocks=[SectionBlock(text=echoed), DividerBlock(), *help_.blocks],
    )


def too_long(limit: int) -> Message:
    """A reply to an oversized command text."""
    text = f"That is longer than any /mentoring command ({limit} characters at most)."
    return Message(text=text, blocks=[SectionBlock(text=PlainTextObject(text=text))])


def something_went_wrong() -> Message:
    """What a person sees when an unexpected error stops their request."""
    text = (
        "Sorry, something went wrong on our side and nothing was changed. "
        "Please try again in a minute."
    )
    return Message(text=text, blocks=[SectionBlock(text=PlainTextObject(text=text))])


def home_view() -> View:
    """The App Home tab."""
    return View(
        type="home",
        blocks=[
            HeaderBlock(text=PlainTextObject(text="Upward: reverse mentoring")),
            SectionBlock(
                text=MarkdownTextObject(
                    text="Upward pairs a junior colleague, who mentors, with a senior one, who "
                    "learns: digital skills, how younger staff see work, what they value. "
                    "Pairs meet regularly; what they say stays between them."
                )
            ),
            ContextBlock(
                elements=[MarkdownTextObject(text="Type `/mentoring help` to see the commands.")]
            ),
        ],
    )
