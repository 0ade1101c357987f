"""People figures frozen at each period close: cells to compare between releases (pure).

A snapshot is shown only when every cell moved by 0 or by enough people (`change_needed`) since
the last one shown, so comparing two stats requests never isolates fewer than k people.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.domain import anonymity
from bot.domain.anonymity import Rate
from bot.domain.profile import SIDES, STAGES
from bot.domain.states import ProposalStatus, TallyKind

OUTCOMES = (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
RATE = "~"  # marks a snapshot cell that is a rate band (kept beside the cells, not compared)

# The people figures frozen at each period close, released each on its own.
PEOPLE, PAIRS, CONSENT, EVENTS = "people", "pairs", "consent", "events"
# Pairs where someone has gone quiet and was asked whether they are still in (bot.domain.ghosts):
# its own figure, so adding it left the cells of the others as they were.
AT_RISK = "at_risk"


@dataclass(frozen=True)
class PeopleNow:
    """The present, counted at a period close: who is in, pairs, consent, leavers."""

    sides: Mapping[str, int] = field(default_factory=dict)
    stages: Mapping[int, int] = field(default_factory=dict)
    paused_now: int = 0
    proposals: Mapping[str, int] = field(default_factory=dict)  # by status
    active_pairs: int = 0
    pairs_met: int = 0  # active pairs that have logged at least one meeting
    events: Mapping[str, int] = field(default_factory=dict)  # left, paused (ever)
    pairs_at_risk: int = 0  # active pairs with an open "still in?" question


def _rate_cells(name: str, found: Rate | None) -> dict[str, int | None]:
    if found is None:
        return {}
    return {
        f"{name}/{RATE}low": round(found.low * 100),
        f"{name}/{RATE}high": round(found.high * 100),
    }


def snapshot(now: PeopleNow, *, minimum: int) -> dict[str, dict[str, int | None]]:
    """Each people figure as cells to freeze: small groups merged, rates as bands."""
    cells = anonymity.people_cells
    signed_up = sum(now.sides.values())
    decided: dict[str, int] = {s: now.proposals.get(s, 0) for s in OUTCOMES}
    accepted, all_decided = decided[ProposalStatus.ACCEPTED], sum(decided.values())
    return {
        PEOPLE: cells("sides", {s: now.sides.get(s, 0) for s in SIDES}, minimum=minimum)
        | cells(
            "stages",
            {STAGES[s]: now.stages.get(s, 0) for s in STAGES},
            minimum=minimum,
        )
        | cells(
            "paused",
            {"active": signed_up - now.paused_now, "paused": now.paused_now},
            minimum=minimum,
        ),
        PAIRS: cells("active_pairs", {"active": now.active_pairs}, minimum=minimum, per_unit=2)
        | _rate_cells(
            "met",
            anonymity.rate(2 * now.pairs_met, 2 * now.active_pairs, minimum=minimum),
        ),
        CONSENT: cells("consent", decided, minimum=minimum, per_unit=2)
        | _rate_cells("consent", anonymity.rate(2 * accepted, 2 * all_decided, minimum=minimum)),
        EVENTS: cells("left", {"left": now.events.get(TallyKind.LEFT, 0)}, minimum=minimum)
        | cells("pauses", {"paused": now.events.get(TallyKind.PAUSED, 0)}, minimum=minimum),
        AT_RISK: cells("at_risk", {"at_risk": now.pairs_at_risk}, minimum=minimum, per_unit=2),
    }


PEOPLE_PER_UNIT = {
    PAIRS: 2,
    CONSENT: 2,
    AT_RISK: 2,
}  # these figures count pairs (proposals): 2 people each


def change_needed(figure: str, minimum: int) -> int:
    """The smallest change of one of a figure's cells that moves at least k people."""
    return math.ceil(minimum / PEOPLE_PER_UNIT.get(figure, 1))


def compared(cells: Mapping[str, int | None]) -> dict[str, int | None]:
    """The cells a new snapshot is checked on (rate bands are derived, not compared)."""
    return {key: value for key, value in cells.items() if RATE not in key}
