"""The intake survey modal: built from the answers so far, and read back from Slack's state."""

import json
from collections.abc import Sequence
from typing import Any, cast

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import profile
from bot.domain.profile import Answers
from bot.domain.prompts import Topic
from bot.domain.states import Meeting, Side, Style
from bot.domain.text import whole_number, with_article
from bot.slack.core.ids import Callback
from bot.slack.core.view_state import ViewState
from bot.slack.participants.hours_inputs import hours_inputs, read_hours
from bot.slack.ui import OPTION_TEXT, fit_to
from bot.store.models import Participant, Programme

CALLBACK = Callback.SURVEY
AGREE = "agree"


def _option(value: str, label: str) -> Option:
    return Option(value=value, label=fit_to(label, OPTION_TEXT))


def _options(choices: dict[Any, str]) -> list[Option]:
    return [_option(str(value), label) for value, label in choices.items()]


def _initial(options: list[Option], value: object) -> Option | None:
    return next((o for o in options if o.value == str(value)), None)


SHOWN_TO_PARTNER = "Shown to your partner in your pair's introduction."


def _input(
    block_id: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=element,
        optional=optional,
        hint=PlainTextObject(text=hint) if hint else None,
    )


def side_words(programme: Programme) -> dict[str, str]:
    """The three sides, in the programme's words for its roles."""
    return {
        Side.SHARE: f"Share what I know (be {with_article(programme.share_word)})",
        Side.LEARN: f"Learn from a colleague (be {with_article(programme.learn_word)})",
        Side.EITHER: "Either: I'm happy to share or to learn",
    }


def survey_view(
    *, programmes: Sequence[Programme], current: Participant | None, topics: Sequence[Topic]
) -> View:
    """The intake survey, prefilled with `current` when editing."""
    chosen = next(
        (p for p in programmes if current and p.id == current.programme_id), programmes[0]
    )
    blocks: list[Block] = []
    if len(programmes) > 1:
        options = [_option(str(p.id), p.name) for p in programmes]
        blocks.append(
            _input(
                "programme",
                "Which programme?",
                StaticSelectElement(
                    action_id="programme",
                    options=options,
                    initial_option=_initial(options, chosen.id),
                ),
            )
        )
    sides = _options(side_words(chosen))
    stages = _options(profile.STAGES)
    styles = _options(profile.STYLES)
    meetings = _options(profile.MEETINGS)
    frequencies = _options(profile.FREQUENCIES)
    topic_options = [_option(t.id, t.label) for t in topics]
    agree = [_option(AGREE, "I agree to the ground rules")]
    blocks += [
        _input(
            "side",
            "Which side do you want to be on?",
            RadioButtonsElement(
                action_id="side",
                options=sides,
                initial_option=_initial(sides, current and current.side),
            ),
        ),
        _input(
            "stage",
            "Your career stage (years of work)",
            StaticSelectElement(
                action_id="stage",
                options=stages,
                initial_option=_initial(stages, current and current.stage),
            ),
        ),
        _input(
            "department",
            "Your department",
            PlainTextInputElement(
                action_id="department",
                max_length=profile.MAX_DEPARTMENT,
                initial_value=current.department if current else None,
            ),
        ),
        _input(
            "manager",
            "Your line manager",
            UserSelectElement(
                action_id="manager", initial_user=current.manager_id if current else None
            ),
            optional=True,
            hint="Used only to make sure you are never paired with someone in your reporting line.",
        ),
        _input(
            "shares",
            "Topics you can share",
            StaticMultiSelectElement(
                action_id="shares",
                options=topic_options,
                initial_options=[o for o in topic_options if current and o.value in current.shares]
                or None,
            ),
            optional=True,
        ),
        _input(
            "share_other",
            "Anything else you can share?",
            PlainTextInputElement(
                action_id="share_other",
                max_length=profile.MAX_OTHER_TOPICS,
                initial_value=(current.share_other or None) if current else None,
            ),
            optional=True,
            hint=SHOWN_TO_PARTNER,
        ),
        _input(
            "learns",
            "Topics you want to learn",
            StaticMultiSelectElement(
                action_id="learns",
                options=topic_options,
                initial_options=[o for o in topic_options if current and o.value in current.learns]
                or None,
            ),
            optional=True,
        ),
        _input(
            "learn_other",
            "Anything else you want to learn?",
            PlainTextInputElement(
                action_id="learn_other",
                max_length=profile.MAX_OTHER_TOPICS,
                initial_value=(current.learn_other or None) if current else None,
            ),
            optional=True,
            hint=SHOWN_TO_PARTNER,
        ),
        _input(
            "style",
            "Your working style",
            RadioButtonsElement(
                action_id="style",
                options=styles,
                initial_option=_initial(styles, current and current.style),
            ),
        ),
        _input(
            "meeting",
            "Your meeting preference",
            RadioButtonsElement(
                action_id="meeting",
                options=meetings,
                initial_option=_initial(meetings, current and current.meeting),
            ),
        ),
        _input(
            "frequency",
            "How often can you meet?",
            StaticSelectElement(
                action_id="frequency",
                options=frequencies,
                initial_option=_initial(frequencies, current and current.meetings_per_month),
            ),
        ),
        *hours_inputs(current),
        _input(
            "goal",
            "Your goal for the programme",
            PlainTextInputElement(
                action_id="goal",
                multiline=True,
                max_length=profile.MAX_GOAL,
                initial_value=(current.goal or None) if current else None,
            ),
            optional=True,
        ),
        SectionBlock(
            block_id="ground_rules_text",
            text=MarkdownTextObject(text="*The ground rules*\n" + profile.GROUND_RULES),
        ),
        _input(
            "ground_rules",
            "Ground rules",
            CheckboxesElement(
                action_id="ground_rules",
                options=agree,
                initial_options=agree if current else None,
            ),
            # Required: Slack would label an optional one "(optional)", which it is not. The
            # submission is still checked, as Slack's client is not the only sender.
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Your time zone comes from your Slack profile: your working hours "
                    "are in it. You can change any of this later with `/mentoring profile`."
                )
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=CALLBACK,
        title="Join mentoring" if current is None else "Your profile",
        submit="Save" if current else "Join",
        close="Cancel",
        private_metadata=json.dumps({"programme": chosen.id}),
        blocks=blocks,
    )


def _number(text: str) -> int:
    """A whole number in an option's value; -1 (reported as invalid) for anything else."""
    number = whole_number(text, max_digits=5)
    return -1 if number is None else number


def read_answers(view: dict[str, Any]) -> Answers:
    """The answers in a submitted survey; odd or missing values become invalid ones, not errors."""
    state = ViewState.of(view)
    programme = _number(state.selected("programme")) if state.has("programme") else -1
    if programme == -1:
        programme = _number(str(state.metadata_field("programme") or ""))

    def text(block_id: str) -> str:
        return profile.clean_text(state.text(block_id))

    return Answers(
        programme_id=programme,
        side=cast(Side, state.selected("side")),
        stage=_number(state.selected("stage")),
        department=text("department"),
        manager_id=state.user("manager"),
        shares=state.selected_many("shares"),
        share_other=text("share_other"),
        learns=state.selected_many("learns"),
        learn_other=text("learn_other"),
        style=cast(Style, state.selected("style")),
        meeting=cast(Meeting, state.selected("meeting")),
        meetings_per_month=_number(state.selected("frequency")),
        goal=text("goal"),
        agreed=AGREE in state.selected_many("ground_rules"),
        **read_hours(state),
    )
