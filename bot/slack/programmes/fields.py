"""The programme modal's fields for what owners say about a programme: objective, champions,
the pilot it follows."""

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserMultiSelectElement,
)

from bot.domain import programme as rules
from bot.slack.core.view_state import ViewState
from bot.slack.ui import OPTION_TEXT, fit_to
from bot.store.models import Programme


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


def follows_input(pilots: Sequence[Programme], follows_id: int | None) -> list[Block]:
    """Which pilot this programme follows (stats compare the two); only when there is one."""
    if not pilots:
        return []
    options = [Option(value=str(p.id), label=fit_to(p.name, OPTION_TEXT)) for p in pilots[-100:]]
    chosen = next((o for o in options if o.value == str(follows_id)), None)
    return [
        InputBlock(
            block_id="follows",
            label="Follows the pilot",
            optional=True,
            hint="Stats show this programme next to the pilot it follows.",
            element=StaticSelectElement(
                action_id="follows", options=options, initial_option=chosen
            ),
        )
    ]
