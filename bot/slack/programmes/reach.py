"""Who may join a programme on an org-wide Enterprise Grid install: every workspace of the
organisation, or only the one it was created in (chosen once, when it is created)."""

from typing import Any

from slack_sdk.models.blocks import InputBlock, Option, RadioButtonsElement

from bot.domain.slack_ids import is_enterprise_id
from bot.slack.core.view_state import ViewState
from bot.store.models import Programme

BLOCK = "reach"
ORGANISATION, WORKSPACE = "organisation", "workspace"
HERE_ONLY = "`/mentoring programme workspace <name>` creates one"


def reach_input() -> InputBlock:
    """The creation modal's choice; every workspace unless the owner picks this one."""
    options = [
        Option(value=ORGANISATION, label="Every workspace of the organisation"),
        Option(value=WORKSPACE, label="Only this workspace"),
    ]
    return InputBlock(
        block_id=BLOCK,
        label="Who can join",
        hint="People join from their own workspace; this cannot be changed later.",
        element=RadioButtonsElement(action_id=BLOCK, options=options, initial_option=options[0]),
    )


def only_here(view: dict[str, Any]) -> bool:
    """Whether the submitted creation modal chose this workspace only."""
    state = ViewState.of(view)
    return state.has(BLOCK) and state.selected(BLOCK) == WORKSPACE


def reach(programme: Programme) -> str:
    """Who may join, on an org-wide Grid install (elsewhere there is only one workspace)."""
    if not is_enterprise_id(programme.team_id):
        return ""
    if programme.workspace_id is not None:
        return "Open to this workspace only. "
    return f"Open to every workspace of the organisation ({HERE_ONLY} for this one only). "
