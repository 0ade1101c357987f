"""Pure builders for setting up a programme: the settings modal and its confirmations."""

import json
from collections.abc import Collection, Sequence
from typing import Any, cast

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import programme as rules
from bot.domain.matching.model import Fit
from bot.domain.states import CrossDepartment, FirstMover, Kind
from bot.domain.text import clean, inert, shorten, whole_number
from bot.domain.working_hours import DEFAULT_MIN_OVERLAP_MINUTES
from bot.slack.core.envelope import MAX_ROW_ID
from bot.slack.core.ids import Action, Callback
from bot.slack.core.view_state import ViewState
from bot.slack.programmes.fields import champions_input, follows_input, objective_input
from bot.slack.programmes.meeting_inputs import meeting_inputs
from bot.slack.programmes.reach import reach, reach_input
from bot.slack.ui import Message
from bot.store.models import Programme

FLAGS = {"signup_open": "Open for sign-up", "pilot": "This is a pilot"}


def _options(choices: dict[Any, str]) -> list[Option]:
    return [Option(value=str(k), label=v) for k, v in choices.items()]


def _number_input(block_id: str, label: str, value: int, allowed: range) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=NumberInputElement(
            action_id=block_id,
            is_decimal_allowed=False,
            initial_value=str(value),
            min_value=str(allowed.start),
            max_value=str(allowed.stop - 1),
        ),
    )


def programme_modal(
    programme: Programme | None,
    *,
    owners: Collection[str],
    configured: Collection[str],
    pilots: Sequence[Programme] = (),
    org_wide: bool = False,
) -> View:
    """Create (programme None) or edit a programme, and manage its owners; creating on an
    org-wide Grid install, also choose who can join."""
    current: Programme | rules.ProgrammeSettings = programme or rules.defaults("")
    kinds, cross = _options(rules.KINDS), _options(rules.CROSS_DEPARTMENT)
    floors = _options(rules.QUALITY_FLOORS)
    floor = current.quality_floor or rules.NO_FLOOR
    flags = _options(FLAGS)
    on = [f for f in flags if getattr(current, str(f.value))]
    blocks: list[Block] = [
        InputBlock(
            block_id="name",
            label="Programme name",
            element=PlainTextInputElement(
                action_id="name",
                max_length=rules.MAX_NAME,
                initial_value=programme.name if programme else None,
            ),
        ),
        *([reach_input()] if org_wide and programme is None else []),
        objective_input(current.objective),
        InputBlock(
            block_id="kind",
            label="Kind of programme",
            element=RadioButtonsElement(
                action_id="kind",
                options=kinds,
                initial_option=next(o for o in kinds if o.value == current.kind),
            ),
        ),
        InputBlock(
            block_id="share_word",
            label="Word for the sharing role",
            hint="e.g. mentor, guide, partner",
            element=PlainTextInputElement(
                action_id="share_word",
                max_length=rules.MAX_ROLE_WORD,
                initial_value=current.share_word,
            ),
        ),
        InputBlock(
            block_id="learn_word",
            label="Word for the learning role",
            hint="e.g. mentee, learner, partner",
            element=PlainTextInputElement(
                action_id="learn_word",
                max_length=rules.MAX_ROLE_WORD,
                initial_value=current.learn_word,
            ),
        ),
        _number_input(
            "cadence_weeks", "Pairs meet every … weeks", current.cadence_weeks, rules.CADENCE_WEEKS
        ),
        _number_input(
            "round_weeks", "A round lasts … weeks", current.round_weeks, rules.ROUND_WEEKS
        ),
        InputBlock(
            block_id="signup_deadline",
            label="Sign-up deadline",
            optional=True,
            element=DatePickerElement(
                action_id="signup_deadline",
                initial_date=current.signup_deadline.isoformat()
                if current.signup_deadline
                else None,
            ),
        ),
        InputBlock(
            block_id="cross_department",
            label="Cross-department pairs",
            element=RadioButtonsElement(
                action_id="cross_department",
                options=cross,
                initial_option=next(o for o in cross if o.value == current.cross_department),
            ),
        ),
        _number_input(
            "min_group_size",
            "Smallest group shown in stats",
            current.min_group_size,
            rules.MIN_GROUP_SIZES,
        ),
        _number_input(
            "consent_expiry_days",
            "Days to answer a proposal",
            current.consent_expiry_days,
            rules.CONSENT_EXPIRY_DAYS,
        ),
        InputBlock(
            block_id="quality_floor",
            label="Weakest fit to propose",
            hint="Fit is strong, good or weak against this programme's spread of possible pairs.",
            element=RadioButtonsElement(
                action_id="quality_floor",
                options=floors,
                initial_option=next(o for o in floors if o.value == floor),
            ),
        ),
        _number_input(
            "partners_per_person",
            "Partners a learner may have",
            current.partners_per_person,
            rules.PARTNERS_PER_PERSON,
        ),
        *meeting_inputs(current),
        _number_input(
            "min_overlap_minutes",
            "Shared working hours a pair needs (minutes a week; 0: no minimum)",
            current.min_overlap_minutes,
            rules.MIN_OVERLAP_MINUTES,
        ),
        InputBlock(
            block_id="flags",
            label="Status",
            optional=True,
            element=CheckboxesElement(action_id="flags", options=flags, initial_options=on or None),
        ),
        *follows_input(pilots, current.follows_id),
        InputBlock(
            block_id="owners",
            label="Programme owners",
            optional=True,
            hint="Owners added here run this programme only: matching rounds, stats, settings. "
            "Owners named at install own every programme.",
            element=UserMultiSelectElement(
                action_id="owners", initial_users=sorted(owners) or None
            ),
        ),
        champions_input(programme.champions if programme else []),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Named at install: "
                    + (", ".join(f"<@{u}>" for u in sorted(configured)) or "nobody")
                )
            ]
        ),
        # The company's reporting lines, for every programme (owners of every programme).
        ActionsBlock(
            block_id="org_chart",
            elements=[ButtonElement(text="Load the org chart (CSV)…", action_id=Action.ORG_CHART)],
        ),
    ]
    return View(
        type="modal",
        callback_id=Callback.ADMIN,
        private_metadata=json.dumps({"programme": programme.id if programme else None}),
        title="Programme settings" if programme else "New programme",
        submit="Save",
        close="Cancel",
        blocks=blocks,
    )


def _count(state: ViewState, block_id: str) -> int:
    """A number input's whole number; -1 (reported as out of range) for anything else."""
    number = whole_number(state.text(block_id), max_digits=6)
    return -1 if number is None else number


def _floor(value: str | None) -> Fit | None:
    """The quality floor chosen; no floor for "none" (or anything unknown)."""
    return Fit(value) if value in {f.value for f in Fit} else None


def read_settings(view: dict[str, Any]) -> tuple[int | None, rules.ProgrammeSettings, list[str]]:
    """The programme id being edited (None for new), its settings, and the owners chosen."""
    state = ViewState.of(view)
    flags = state.selected_many("flags")
    settings = rules.ProgrammeSettings(
        name=clean(state.text("name")),
        kind=cast(Kind, state.selected("kind")),
        share_word=clean(state.text("share_word")),
        learn_word=clean(state.text("learn_word")),
        cadence_weeks=_count(state, "cadence_weeks"),
        round_weeks=_count(state, "round_weeks"),
        signup_open="signup_open" in flags,
        signup_deadline=state.day("signup_deadline"),
        cross_department=cast(CrossDepartment, state.selected("cross_department")),
        min_group_size=_count(state, "min_group_size"),
        consent_expiry_days=_count(state, "consent_expiry_days"),
        pilot="pilot" in flags,
        quality_floor=_floor(state.selected("quality_floor")),
        partners_per_person=_count(state, "partners_per_person"),
        min_overlap_minutes=_count(state, "min_overlap_minutes")
        if state.has("min_overlap_minutes")
        else DEFAULT_MIN_OVERLAP_MINUTES,
        follows_id=whole_number(state.selected("follows"), max_digits=10),
        session_minutes=whole_number(state.selected("session_minutes"), max_digits=3) or -1,
        first_mover=cast(FirstMover, state.selected("first_mover")),
        objective=clean(" ".join(state.text("objective").split())),  # one paragraph
    )
    programme_id = state.metadata_field("programme")
    if isinstance(programme_id, bool) or not isinstance(programme_id, int):
        programme_id = None
    elif not 0 < programme_id <= MAX_ROW_ID:
        programme_id = None
    return programme_id, settings, state.users("owners")


def programme_created(programme: Programme) -> Message:
    """Confirms a new programme to its owner (the name is shown as plain text)."""
    name = shorten(programme.name, 120)
    return Message(
        text="Programme created and open for sign-up.",
        blocks=[
            SectionBlock(
                text=PlainTextObject(text=f"Created “{name}”, open for sign-up.", emoji=False)
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"Reverse mentoring, roles called {programme.share_word} and "
                        f"{programme.learn_word}, meetings every {programme.cadence_weeks} weeks. "
                        f"{reach(programme)}People join with `/mentoring join`."
                    )
                ]
            ),
        ],
    )


def programme_saved(programme: Programme) -> str:
    """Confirms saved settings (mrkdwn; the name is escaped)."""
    state = "open for sign-up" if programme.signup_open else "closed for sign-up"
    pilot = ", a pilot" if programme.pilot else ""
    return (
        f"Saved *{inert(programme.name)}*{pilot}: {state}, meetings every "
        f"{programme.cadence_weeks} weeks, rounds of {programme.round_weeks} weeks."
    )
