"""The one "are you still in?" DM to someone quiet, and what it says once settled (pure)."""

from datetime import date, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    DatePickerElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.cadence import local
from bot.domain.pause import long_date
from bot.domain.states import StillIn
from bot.slack.core.ids import Action
from bot.slack.ui import Message, text_message

QUESTION = "Are you still in? A quick word about mentoring"
BLOCK = "still_in:"
LEFT = (
    "Done: you've left mentoring and your personal data is deleted. "
    "Thank you for taking part. You're welcome back any time with `/mentoring join`."
)
NOT_JOINED = "You're not in a mentoring programme any more, so nothing was changed."


def question(*, pair_id: int, answer_by: datetime, offset_minutes: int) -> Message:
    """Kind, private, no blame: three ways forward, and what happens if there is no answer."""
    by = local(answer_by, offset_minutes)
    body = (
        "Hi! I haven't seen a check-in answer or a meeting from you and your partner for a "
        "couple of periods. That's fine: work gets busy, and plans change. What would suit "
        "you best?\n\n"
        "• *Still in*: carry on as you are.\n"
        "• *Pause until…*: pick the day you'll be back; your pair rests until then.\n"
        "• *Leave the programme*: your data is deleted, and your partner is told kindly, "
        "without reasons.\n\n"
        f"If I don't hear from you by {long_date(by.date())} (your time), I'll pause you and "
        "let your partner know the pairing has ended, so they can meet someone new. Only you "
        "see this message."
    )
    value = str(pair_id)
    return Message(
        text=QUESTION,
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=body)),
            ActionsBlock(
                block_id=f"{BLOCK}{pair_id}",  # the date picker has no value of its own
                elements=[
                    ButtonElement(
                        text="Still in", action_id=Action.STILL_IN, value=value, style="primary"
                    ),
                    DatePickerElement(action_id=Action.STILL_IN_PAUSE, placeholder="Pause until…"),
                    ButtonElement(
                        text="Leave the programme",
                        action_id=Action.STILL_IN_LEAVE,
                        value=value,
                        style="danger",
                        confirm=ConfirmObject(
                            title="Leave mentoring?",
                            text="Your profile, answers and goals will be deleted. Your partner "
                            "is told kindly that the pairing has ended, without reasons.",
                            confirm="Leave and delete",
                            deny="Stay",
                        ),
                    ),
                ],
            ),
        ],
    )


def settled(outcome: StillIn, *, until: date | None) -> Message:
    """The question once answered or overtaken: its buttons gone."""
    if outcome == StillIn.STILL_IN:
        return text_message("*Still in*: great, thank you! Carry on as you were.")
    if outcome == StillIn.PAUSED and until is not None:
        return text_message(
            f"Paused until {long_date(until)}: I'll resume you that morning. "
            "`/mentoring resume` any time sooner."
        )
    if outcome == StillIn.ACTIVE:
        return text_message("Thanks, I've heard from you since, so there's nothing to answer here.")
    if outcome == StillIn.SILENT:
        return text_message("I didn't hear back, so I've paused you. No problem at all.")
    return text_message("Your pairing has ended, so this question has closed.")


def paused_for_silence() -> Message:
    """The DM after an unanswered question: no blame, the way back."""
    return text_message(
        "I haven't heard from you, so I've paused you in mentoring and your current pairing "
        "has ended; your partner was told kindly, without reasons. No problem at all. Whenever "
        "you'd like to be matched again, `/mentoring resume` (or *Resume* on my App Home)."
    )
