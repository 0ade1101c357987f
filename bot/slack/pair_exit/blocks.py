"""Block Kit for *This isn't working* and *Raise a concern* (pure builders)."""

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.flows.pair_exit import MAX_CONCERN
from bot.slack.core.ids import Callback
from bot.slack.core.view_state import ViewState
from bot.slack.ui import Message, mention, notice_modal


def end_pair_modal(*, pair_id: int, partner: str) -> View:
    """Asks before ending a pair, and says what will happen."""
    text = (
        f"*End your mentoring pairing with {mention(partner)}?*\n"
        "That's okay: not every pair clicks, and it's nobody's fault. If you go ahead:\n"
        f"• {mention(partner)} is told kindly that the pairing has ended, without reasons.\n"
        "• You're both back in the pool for the next matching round, and won't be paired "
        "with each other again.\n"
        "• Your profile stays as it is."
    )
    return View(
        type="modal",
        callback_id=Callback.PAIR_EXIT,
        private_metadata=str(pair_id),
        title="This isn't working",
        submit="End our pairing",
        close="Keep going",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=text)),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Something more serious? *Raise a concern* reaches a programme "
                        "owner privately."
                    )
                ]
            ),
        ],
    )


PAIR_ENDED = (
    "Done: your pairing has ended, and your partner has been told kindly, without reasons. "
    "Thank you for giving it a go. You're back in the pool, and the next matching round will "
    "suggest someone new."
)


def pair_ended_notice() -> View:
    """The private confirmation after ending a pair."""
    return notice_modal(PAIR_ENDED)


INCLUDE_NAME = "include_name"


def concern_modal() -> View:
    """A short, private note to the programme owners; anonymous unless the box is ticked."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="This goes privately to the programme owners (HR or L&D). Your name is "
                "left out unless you tick the box, and nothing else about you or your pair "
                "is sent."
            )
        ),
        InputBlock(
            block_id="concern",
            label="What's the concern?",
            element=PlainTextInputElement(
                action_id="concern", multiline=True, max_length=MAX_CONCERN
            ),
        ),
        InputBlock(
            block_id=INCLUDE_NAME,
            label="Your name",
            optional=True,
            element=CheckboxesElement(
                action_id=INCLUDE_NAME,
                options=[Option(value="yes", label="Include my name, so an owner can reply to me")],
            ),
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Upward doesn't keep the text once it is delivered. If someone is in "
                    "danger, contact HR or your emergency services directly."
                )
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=Callback.CONCERN,
        title="Raise a concern",
        submit="Send",
        close="Cancel",
        blocks=blocks,
    )


def read_concern(state: ViewState) -> tuple[str, bool]:
    """The concern text and whether the person ticked *include my name*."""
    return state.text("concern"), "yes" in state.selected_many(INCLUDE_NAME)


def concern_sent_notice(*, include_name: bool) -> View:
    """The private confirmation after sending a concern."""
    who = "with your name" if include_name else "without your name"
    return notice_modal(
        f"Thank you: your concern went privately to the programme owners, {who}. "
        "Nothing about it is kept in Upward once it is delivered."
    )


def concern_message(text: str, *, raised_by: str | None) -> Message:
    """The DM to an owner: the concern as plain text, so it cannot ping, link or format."""
    who = (
        f"{mention(raised_by)} raised a concern and chose to include their name."
        if raised_by is not None
        else "A participant raised a concern and chose not to include their name, "
        "so I can't say who sent it."
    )
    return Message(
        # The notification text is ours alone: Slack parses it, so the concern stays out.
        text="A mentoring concern was raised",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"*Mentoring concern*\n{who}")),
            SectionBlock(text=PlainTextObject(text=text, emoji=False)),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Upward keeps no copy of this message once it is delivered."
                    )
                ]
            ),
        ],
    )
