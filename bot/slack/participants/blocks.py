"""Pure builders for the participant journey: welcome, status, pause, leave."""

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.pause import long_date
from bot.domain.text import inert, shorten
from bot.flows.participants import Status
from bot.slack.core.ids import Action
from bot.slack.home import status_lines
from bot.slack.ui import SECTION_TEXT, Message, fit_to, text_message
from bot.store.models import Programme


def objective_blocks(programme: Programme) -> list[Block]:
    """What the programme is for, in its owners' words (inert), when they gave it."""
    if not programme.objective:
        return []
    text = f"*What this programme is for:* {inert(programme.objective)}"
    return [SectionBlock(text=MarkdownTextObject(text=fit_to(text, SECTION_TEXT)))]


def welcome_message(programme: Programme) -> Message:
    """The DM after a first sign-up: what happens next and how to change things."""
    name = PlainTextObject(text=f"You're in: {shorten(programme.name, 120)}", emoji=False)
    return Message(
        text="Welcome to mentoring! You're signed up.",
        blocks=[
            HeaderBlock(text=name),
            *objective_blocks(programme),
            SectionBlock(
                text=MarkdownTextObject(
                    text="Thank you for signing up. *What happens next:* when the programme "
                    "owners run a matching round, I'll suggest a partner and tell you why. "
                    "Nothing happens until you both accept, privately."
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text="`/mentoring profile` changes your answers, `/mentoring pause` takes a "
                    "break, `/mentoring status` shows where you stand, and `/mentoring leave` "
                    "deletes your data."
                )
            ),
        ],
    )


def status_message(where: Status) -> Message:
    """The answer to /mentoring status."""
    text = "\n".join(status_lines(where))
    if where.participant is None:
        text += "\nType `/mentoring join` to sign up."
    return Message(
        text="Your mentoring status", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]
    )


def leave_confirmation() -> Message:
    """Asks before deleting anything."""
    return Message(
        text="Leave mentoring and delete your data?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text="*Leave mentoring?* Your profile, answers and goals will be deleted, and "
                    "a current partner will be told kindly that the pairing has ended, without "
                    "reasons. Anonymous check-in answers you already gave stay in the totals: "
                    "they cannot be traced back to you."
                )
            ),
            ActionsBlock(
                block_id="leave",
                elements=[
                    ButtonElement(
                        text="Leave and delete my data",
                        action_id=Action.LEAVE_CONFIRM,
                        value="leave",
                        style="danger",
                    ),
                    ButtonElement(text="Stay", action_id=Action.LEAVE_CANCEL, value="stay"),
                ],
            ),
        ],
    )


NOTHING_TO_DELETE = (
    "You're not in a mentoring programme, so there is nothing of yours to delete. "
    "If you left before, your data is already gone."
)
LEFT = (
    "Done: you've left mentoring and your personal data is deleted. "
    "Thank you for taking part. You're welcome back any time with `/mentoring join`."
)
STAYING = "Good: you're staying. Nothing was changed."


def paused_message(*, paused: bool, changed: bool, until: date | None = None) -> Message:
    """The answer to /mentoring pause or resume."""
    if paused and until is not None:
        text = (
            f"Paused until {long_date(until)} — I'll resume you that morning. "
            "`/mentoring resume` any time sooner."
            if changed
            else f"You're already paused until {long_date(until)}. "
            "`/mentoring resume` brings you back sooner."
        )
    elif paused:
        text = (
            "Paused. You won't be matched, prompted or nudged until you `/mentoring resume`."
            if changed
            else "You're already paused. `/mentoring resume` brings you back."
        )
    else:
        text = (
            "Welcome back: you're active again and can be matched, prompted and nudged."
            if changed
            else "You're already active; there was nothing to resume."
        )
    return text_message(text)


def resumed_message() -> Message:
    """The DM when a dated pause ends by itself."""
    return text_message(
        "Welcome back — you're un-paused, as you asked: you can be matched, prompted and "
        "nudged again. `/mentoring pause` takes another break."
    )


def programme_archived(programme: Programme) -> Message:
    """To someone whose programme was archived: kind, and what it means for them."""
    name = shorten(programme.name, 120)
    return Message(
        text="Your mentoring programme has closed",
        blocks=[
            SectionBlock(
                text=PlainTextObject(text=f"The programme “{name}” has now closed.", emoji=False)
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text="Its owners have wrapped it up, so your proposed match or pairing in it "
                    "ends here; it says nothing about you or your partner. Thank you for taking "
                    "part. You're welcome to keep in touch with your partner, and to join the "
                    "next programme when it opens."
                )
            ),
        ],
    )
