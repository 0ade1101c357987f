"""The programme modal's fields for what owners say about a programme: objective, champions."""

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, UserMultiSelectElement

from bot.domain import programme as rules
from bot.slack.core.view_state import ViewState


def objective_input(objective: str) -> InputBlock:
    """What the programme is for, in one or two sentences."""
    return InputBlock(
        block_id="objective",
        label="Objective",
        optional=True,
        hint="What the programme is for, in one or two sentences: shown in the "
        "announcement, the welcome and the kick-off.",
        element=PlainTextInputElement(
            action_id="objective",
            multiline=True,
            max_length=rules.MAX_OBJECTIVE,
            initial_value=objective or None,
        ),
    )


def champions_input(champions: Sequence[str]) -> InputBlock:
    """The senior champions an announcement names."""
    return InputBlock(
        block_id="champions",
        label="Senior champions",
        optional=True,
        hint="Senior colleagues who back the programme: the announcement names them.",
        element=UserMultiSelectElement(
            action_id="champions",
            max_selected_items=rules.MAX_CHAMPIONS,
            initial_users=list(champions) or None,
        ),
    )


def read_champions(view: dict[str, Any]) -> list[str] | None:
    """The senior champions chosen (None from a modal without the field: left as they are)."""
    state = ViewState.of(view)
    return state.users("champions") if state.has("champions") else None
