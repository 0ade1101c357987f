"""Shared Block Kit pieces every journey's builders use: messages, notices, buttons, mentions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.feedback import MAX_COMMENT, USEFULNESS, Feedback, feedback
from bot.domain.find_time import BATCH, Place
from bot.domain.slots import local_label
from bot.domain.text import shorten, whole_number
from bot.slack.core.ids import Action
from bot.slack.core.view_state import ViewState

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


USEFULNESS_LABELS = {1: "1 · not useful", 3: "3 · somewhat", 5: "5 · very useful"}


def usefulness_input(label: str) -> InputBlock:
    """How useful, 1 to 5 (optional): the same question in check-ins and closing surveys."""
    return InputBlock(
        block_id="usefulness",
        label=label,
        optional=True,
        element=RadioButtonsElement(
            action_id="usefulness",
            options=[
                Option(value=str(n), label=USEFULNESS_LABELS.get(n, str(n))) for n in USEFULNESS
            ],
        ),
    )


def comment_input(label: str) -> InputBlock:
    """The optional free-text comment of check-ins and closing surveys."""
    return InputBlock(
        block_id="comment",
        label=label,
        optional=True,
        element=PlainTextInputElement(action_id="comment", multiline=True, max_length=MAX_COMMENT),
    )


def read_feedback(state: ViewState) -> Feedback:
    """What was given in `usefulness_input` and `comment_input`."""
    return feedback(whole_number(state.selected("usefulness"), max_digits=1), state.text("comment"))


# Slack's Block Kit limits, in one place: every text that can grow is cut here.
SECTION_TEXT = 3000
CONTEXT_TEXT = 3000
INPUT_LABEL = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
OPTION_TEXT = 75
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
MESSAGE_BLOCKS = 50


def fit_to(text: str, limit: int) -> str:
    """`text` cut to one of Slack's limits above, the cut marked with an ellipsis."""
    return shorten(text, limit)


def slack_time(moment: datetime) -> str:
    """A moment each viewer reads in their own time zone (Slack's date formatting), with the
    time in UTC for clients that cannot format it."""
    fallback = f"{local_label(moment, 'UTC')} UTC"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}}, {{time}}|{fallback}>"


NO_TIMES = (
    "I couldn't find {more}times inside both your working hours in this period. "
    "You can always agree one between you."
)


def time_choices(
    *, pair_id: int, place: Place, times: Sequence[datetime], skip: int, length_minutes: int
) -> list[Block]:
    """Suggested meeting times, each with *Pick this time*, then *Other times* (the next
    batch) while there are more. Each viewer sees the times in their zone."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*Find a time* ({length_minutes} minutes, inside both your working hours, "
                "shown in your own time). Pick one and I'll post a calendar invite here."
            )
        )
    ]
    for n, moment in enumerate(times):
        blocks.append(
            SectionBlock(
                block_id=f"time:{place.code}:{n}",
                text=MarkdownTextObject(text=slack_time(moment)),
                accessory=ButtonElement(
                    text="Pick this time",
                    action_id=Action.PICK_TIME,
                    value=f"{pair_id}:{place.code}:{int(moment.timestamp())}",
                ),
            )
        )
    if not times:
        text = NO_TIMES.format(more="more " if skip else "")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    if len(times) < BATCH:
        # The last batch: no *Other times*. Batches only move forward, so each change of the
        # message is new content (an update the outbox sends, never one it already stored).
        return blocks
    blocks.append(
        ActionsBlock(
            block_id=f"times:{place.code}",
            elements=[
                ButtonElement(
                    text="Other times",
                    action_id=Action.OTHER_TIMES,
                    value=f"{pair_id}:{place.code}:{skip + BATCH}",
                )
            ],
        )
    )
    return blocks
