"""Block Kit for match controls: the modal to keep or separate two people, what a re-run
changed, and reading both back."""

import json
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain import matching
from bot.domain.slack_ids import is_user_id
from bot.domain.states import ControlKind
from bot.domain.text import inert
from bot.flows.errors import Refusal
from bot.flows.rounds import Steered
from bot.slack.core.ids import Callback
from bot.slack.core.payload import row_id
from bot.slack.core.view_state import ViewState
from bot.slack.ui import CONTEXT_TEXT, INPUT_LABEL, STALE_BUTTON, fit_to, mention

REFUSED_SHOWN = 5  # pins the re-run could not keep, named one by one; the rest are counted
CHOOSE = "Choose someone."


def steer_modal(round_id: int, *, response_url: str, share_word: str, learn_word: str) -> View:
    """Keep two people as a pair, or never pair them; the preview is matched again."""
    note = (
        "*Keep*: they are proposed together if the programme's rules allow it (the preview "
        "says why not otherwise), and everyone else is matched around them. *Never*: they are "
        "not proposed to each other, this round or any later one once you confirm."
    )
    return View(
        type="modal",
        callback_id=Callback.ROUND_STEER,
        private_metadata=json.dumps({"round": round_id, "url": response_url}),
        title="Keep or separate",
        submit="Match again",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="what",
                label="What should the matching do?",
                element=RadioButtonsElement(
                    action_id="what",
                    initial_option=Option(value=ControlKind.KEEP, label="Keep them as a pair"),
                    options=[
                        Option(value=ControlKind.KEEP, label="Keep them as a pair"),
                        Option(value=ControlKind.NEVER, label="Never pair these two"),
                    ],
                ),
            ),
            InputBlock(
                block_id="first",
                label=fit_to(f"Who shares ({inert(share_word)})", INPUT_LABEL),
                element=UserSelectElement(action_id="first"),
            ),
            InputBlock(
                block_id="second",
                label=fit_to(f"Who learns ({inert(learn_word)})", INPUT_LABEL),
                element=UserSelectElement(action_id="second"),
            ),
            ContextBlock(elements=[MarkdownTextObject(text=fit_to(note, CONTEXT_TEXT))]),
        ],
    )


@dataclass(frozen=True)
class SteerForm:
    """What the owner asked in the modal, and where the preview they came from is."""

    round_id: int
    response_url: str
    kind: ControlKind
    first_id: str
    second_id: str


def read_steer(state: ViewState) -> SteerForm:
    """The modal's answers; a missing one is refused under its field."""
    round_id = row_id(state.metadata_field("round"))
    url = state.metadata_field("url")
    kind = state.selected("what")
    if kind not in tuple(ControlKind):
        raise Refusal("Choose keep or never.", field="what")
    first, second = state.user("first"), state.user("second")
    if first is None:
        raise Refusal(CHOOSE, field="first")
    if second is None:
        raise Refusal(CHOOSE, field="second")
    return SteerForm(round_id, str(url or ""), ControlKind(kind), first, second)


@dataclass(frozen=True)
class MenuChoice:
    """What a pair's menu asks: keep or never, in which round, for which two people."""

    kind: ControlKind
    round_id: int
    mentor_id: str
    mentee_id: str


def menu_choice(action: dict[str, object]) -> MenuChoice:
    """The option picked in a pair's menu (anything but our own shape is stale or forged)."""
    option = action.get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    parts = str(value or "").split(":")
    if (
        len(parts) != 4
        or parts[0] not in tuple(ControlKind)
        or not all(is_user_id(u) for u in parts[2:])
    ):
        raise Refusal(STALE_BUTTON)
    return MenuChoice(ControlKind(parts[0]), row_id(parts[1]), parts[2], parts[3])


def changed_lines(steered: Steered) -> list[str]:
    """What the re-run changed, in words, and each pin it could not keep, and why."""
    changes = steered.changes
    people = {u for pair in changes.kept for u in pair}
    people |= {u for m in changes.moves for u in (m.user_id, m.before, m.after) if u}
    words = matching.describe_changes(changes, names={u: mention(u) for u in people})
    lines = [words[:1].upper() + words[1:] + "."]
    refused = steered.refused
    for pin in refused[:REFUSED_SHOWN]:
        why = matching.describe_refused(pin)
        lines.append(f"Couldn't keep {mention(pin.mentor)} with {mention(pin.mentee)}: {why}.")
    more = len(refused) - REFUSED_SHOWN
    if more > 0:
        lines.append(f"…and {more} more pair{'s' if more > 1 else ''} that couldn't be kept.")
    return lines
