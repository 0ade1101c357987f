"""Block Kit for keeping pairs going: prompts, nudges, meetings and the private check-in."""

from collections.abc import Sequence
from datetime import date, datetime

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
from bot.domain.find_time import Place, PlaceKind
from bot.domain.prompt_files import default_library
from bot.domain.prompts import Prompt, Stage
from bot.domain.slots import MONTH_NAMES
from bot.domain.states import MetAnswer
from bot.domain.working_hours import DAY_NAMES
from bot.flows.checkins import MET_ANSWERS
from bot.slack.core.ids import Action, Callback
from bot.slack.core.view_state import ViewState
from bot.slack.ui import (
    Message,
    comment_input,
    read_feedback,
    time_choices,
    usefulness_input,
)
from bot.store.models import CheckinRequest, Pair

STAGE_TITLES: dict[Stage, str] = {
    "first": "Getting started",
    "middle": "Conversation prompt",
    "closing": "Wrapping up",
}
MET_LABELS = {
    MetAnswer.YES: "Yes, we met",
    MetAnswer.NO: "No, not this time",
    MetAnswer.RESCHEDULED: "We rescheduled",
}
MET_HINT = (
    "Not anonymous: a yes is noted on your pair's record of meetings, so I don't nudge you. "
    "The questions below stay anonymous."
)
PRIVACY_NOTE = (
    "Whether you met is noted on your pair's record (not anonymous). How useful it was and "
    "any comment are stored without your name or your pair's: only programme-wide totals are "
    "ever shown, and small groups never."
)
RECORD_HINT = "Met up? Tap *We met* (or type `/mentoring met`) so I know how you're doing."


def _we_met(pair: Pair, block_id: str) -> ActionsBlock:
    return ActionsBlock(
        block_id=block_id,
        elements=[
            ButtonElement(
                text="We met", action_id=Action.WE_MET, value=str(pair.id), style="primary"
            )
        ],
    )


def prompt_message(
    pair: Pair,
    prompt: Prompt,
    *,
    stage: Stage,
    period: int = 0,
    times: Sequence[datetime] = (),
    skip: int = 0,
    length_minutes: int = 30,
) -> Message:
    """The period's conversation prompt in the pair's group DM (library text, no user text),
    with suggested times for the period."""
    topic = default_library().topic(prompt.topic).label
    body = f"*{STAGE_TITLES[stage]}: {topic}*\n{prompt.text}"
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=body))]
    if prompt.follow_ups:
        follow_ups = "\n".join(f"• {question}" for question in prompt.follow_ups)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"_To go further_\n{follow_ups}")))
    blocks += [
        *time_choices(
            pair_id=pair.id, place=Place(PlaceKind.PROMPT, period), times=times, skip=skip,
            length_minutes=length_minutes,
        ),
        ContextBlock(elements=[MarkdownTextObject(text=RECORD_HINT)]),
        _we_met(pair, "prompt"),
    ]  # fmt: skip
    return Message(text=f"Something to talk about next time: {topic}", blocks=blocks)


def day_label(day: date) -> str:
    """A day as people say it: "Mon 25 Jan"."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def nudge_message(pair: Pair, *, since: date) -> Message:
    """One friendly reminder for a pair with no meeting recorded since `since` (the last
    meeting on record, or the day they were paired)."""
    if since > pair.started_at.date():
        gap = f"The last time you told me you had met was {day_label(since)}."
    else:
        gap = f"I haven't heard about a meeting since you were paired on {day_label(since)}."
    text = (
        f"{gap} Life gets busy: could one of you suggest a time for a short catch-up? "
        "If you have met since, tap *We met* and I'll keep quiet."
    )
    return Message(
        text="A friendly nudge: time for a catch-up?",
        blocks=[SectionBlock(text=MarkdownTextObject(text=text)), _we_met(pair, "nudge")],
    )


def meeting_recorded(*, new: bool) -> str:
    """The private answer to *We met* or `/mentoring met`."""
    if new:
        return "Noted: you met today. Thanks for keeping it going!"
    return "Already noted for today: nothing more to do."


def checkin_message(request: CheckinRequest, *, cadence_weeks: int) -> Message:
    """The private check-in DM, with a button that opens the short form."""
    weeks = "week" if cadence_weeks == 1 else f"{cadence_weeks} weeks"
    return Message(
        text=f"A quick check-in: how did the last {weeks} of mentoring go?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"A quick check-in about the last {weeks} of mentoring: did you meet, "
                    "and was it useful? It takes under a minute."
                )
            ),
            ContextBlock(elements=[MarkdownTextObject(text=PRIVACY_NOTE)]),
            ActionsBlock(
                block_id="checkin",
                elements=[
                    ButtonElement(
                        text="Answer",
                        action_id=Action.CHECKIN_OPEN,
                        value=str(request.id),
                        style="primary",
                    )
                ],
            ),
        ],
    )


def checkin_modal(request: CheckinRequest) -> View:
    """Did you meet (yes / no / rescheduled), how useful (1–5), anything to add."""
    return View(
        type="modal",
        callback_id=Callback.CHECKIN,
        private_metadata=str(request.id),
        title="Check-in",
        submit="Send",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="met",
                label="Did you two meet this period?",
                hint=MET_HINT,
                element=RadioButtonsElement(
                    action_id="met",
                    options=[Option(value=v, label=MET_LABELS[v]) for v in MET_ANSWERS],
                ),
            ),
            usefulness_input("How useful was it?"),
            comment_input("Anything to add?"),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="How useful it was and your comment are stored anonymously: "
                        "programme, your side and the period only. Please leave names out "
                        "of the comment."
                    )
                ]
            ),
        ],
    )


def checkin_answers(state: ViewState) -> tuple[str, Feedback]:
    """The check-in form's answers: whether they met, and the anonymous feedback."""
    return state.selected("met"), read_feedback(state)


def checkin_thanks(met: str) -> str:
    """The form's closing words: what was noted on the pair, and what was kept anonymous."""
    if met == MetAnswer.YES:
        return (
            "Thank you! I've noted on your pair's record that you met, and saved the rest "
            "of your answer anonymously."
        )
    return "Thank you! Your answer is saved, anonymously."
