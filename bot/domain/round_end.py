"""The end of a round: when it comes, what each person may choose, and what the pair does next.

A pair that carries on keeps its row (its group DM, goals and prompt history stay); its rounds
follow one another, so round `n` (0 = the first) ends `n + 1` round lengths after the start.
"""

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Literal

from bot.domain.states import ClosingChoice

CHOICES: tuple[ClosingChoice, ...] = tuple(ClosingChoice)

Outcome = Literal["continue", "end", "wait"]


def round_ends_at(started_at: datetime, *, round_weeks: int, round_index: int) -> datetime:
    """When round `round_index` (0 = the first) of a pair started at `started_at` ends."""
    return started_at + timedelta(weeks=round_weeks) * (round_index + 1)


def survey_closes_at(asked_at: datetime, *, cadence_weeks: int) -> datetime:
    """Until when a closing survey can be answered: one meeting cadence after it was sent."""
    return asked_at + timedelta(weeks=cadence_weeks)


def outcome(choices: Collection[ClosingChoice | None]) -> Outcome:
    """What the pair does, from both people's choices (None: not answered yet)."""
    if any(c in (ClosingChoice.NEW_PARTNER, ClosingChoice.STOP) for c in choices):
        return "end"
    if len(choices) == 2 and all(c == ClosingChoice.CONTINUE for c in choices):
        return "continue"
    return "wait"
