"""What listeners read from an interaction: who made it, and the row a button or modal names."""

from typing import Any

from bot.domain.text import whole_number
from bot.flows.errors import Refusal
from bot.slack.core.envelope import MAX_ROW_ID, home
from bot.slack.ui import STALE_BUTTON


def ids(body: dict[str, Any]) -> tuple[str, str]:
    """The installation (see envelope.home: an org-wide one's organisation, else the workspace)
    and the user of an interaction."""
    team = home(body)
    assert team is not None  # the envelope middleware refused a body without one
    return team, body["user"]["id"]


def row_id(value: object) -> int:
    """The id a button's value or a modal's metadata carries; anything else is stale or forged."""
    number = whole_number(str(value or ""), max_digits=10)
    if number is None or not 0 <= number <= MAX_ROW_ID:
        raise Refusal(STALE_BUTTON)
    return number
