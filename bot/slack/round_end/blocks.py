"""Block Kit for the end of a round: the closing survey, its answer, and what happens next."""

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.feedback import Feedback
from bot.domain.states import ClosingChoice
from bot.flows.round_end import Answered, OpenSurvey
from bot.slack.core.ids import Action, Callback
from bot.slack.core.view_state import ViewState
from bot.slack.ui import (
    Message,
    comment_input,
    exit_buttons,
    mention,
    notice_modal,
    read_feedback,
    text_message,
    usefulness_input,
)
from bot.store.models import Pair

CHOICE_LABELS = {
    ClosingChoice.CONTINUE: "Carry on together for another round",
    ClosingChoice.NEW_PARTNER: "A new partner next round",
    ClosingChoice.STOP: "Stop for now (I'll be paused)",
}


def closing_survey(*, partner: str, pair_id: int, closes_at: datetime) -> Message:
    """The private DM at the end of a round, with the button that opens the survey."""
    return Message(
        text="Your mentoring round has ended: what would you like next?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"Your mentoring round with {mention(partner)} has come to an end: "
                    "thank you for the time you both gave it. *What would you like next?* "
                    "Carry on together, a new partner, or stop for now; and how useful was it?"
                )
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"Private: {mention(partner)} never sees your answer, only what "
                        "happens next. Answers are stored anonymously. Open until "
                        f"{closes_at:%d %B %Y}; after that, you'll both be back in the pool."
                    )
                ]
            ),
            ActionsBlock(
                block_id="closing",
                elements=[
                    ButtonElement(
                        text="Answer the survey",
                        action_id=Action.CLOSING_SURVEY,
                        value=str(pair_id),
                        style="primary",
                    )
                ],
            ),
        ],
    )


def closing_modal(survey: OpenSurvey) -> View:
    """Three questions: what next, how useful (1–5), anything else (optional)."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=f"Your round with {mention(survey.partner)} has ended.")
        ),
        InputBlock(
            block_id="choice",
            label="What would you like next?",
            element=RadioButtonsElement(
                action_id="choice",
                options=[Option(value=v, label=label) for v, label in CHOICE_LABELS.items()],
            ),
        ),
        usefulness_input("How useful was this round for you?"),
        comment_input("Anything you'd like the programme owners to know?"),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Stored anonymously: without your name, your partner or the date "
                    "(only the week). Don't write names if you'd rather not be recognised."
                )
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=Callback.CLOSING,
        private_metadata=str(survey.pair.id),
        title="End of round",
        submit="Send",
        close="Cancel",
        blocks=blocks,
    )


def read_closing(state: ViewState) -> tuple[str, Feedback]:
    """The choice made in the closing survey, and the anonymous feedback."""
    return state.selected("choice"), read_feedback(state)


PAUSED = (
    "You're paused now: you won't be matched, prompted or nudged. `/mentoring resume` brings you "
    "back whenever you like, and `/mentoring leave` leaves and deletes your data."
)
BACK_IN_POOL = (
    "This pair won't carry on into a new round, so you're back in the pool: the next matching "
    "round will suggest someone new."
)


def closing_notice(answered: Answered) -> View:
    """The private confirmation of a closing answer: what happens now."""
    partner = mention(answered.partner)
    if answered.choice == ClosingChoice.STOP:
        text = f"Thank you. {PAUSED}"
    elif answered.result == "continue":
        text = (
            f"Thank you, and good news: {partner} would like to carry on too, so your next round "
            "starts now. Same conversation, same goals."
        )
    elif answered.result == "wait":
        text = (
            f"Thank you. If {partner} would like to carry on too, your next round starts straight "
            "away; I'll let you know either way."
        )
    else:
        text = f"Thank you. {BACK_IN_POOL}"
    return notice_modal(text)


def round_over() -> Message:
    """To the partner (or both, when the survey closed): kind, and never whose choice it was."""
    return text_message(
        "Your mentoring round has ended, and this pair won't carry on into a new one. That's "
        "common and says nothing about you. You're back in the pool: the next matching round "
        "will suggest someone new. Thank you for taking part."
    )


def round_continues(pair: Pair, *, round_index: int) -> Message:
    """In the pair's group DM: both chose to carry on."""
    text = (
        f"{mention(pair.mentor_id)} and {mention(pair.mentee_id)}, you both chose to carry on: "
        f"round {round_index + 1} starts now. Same conversation, same goals, and conversation "
        "prompts continue."
    )
    return Message(
        text="You both chose to carry on: a new round starts",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=text)),
            ActionsBlock(block_id="pair_exit", elements=exit_buttons(str(pair.id))),
        ],
    )
