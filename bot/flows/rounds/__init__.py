"""Matching rounds: preview and confirm, two-sided consent, kick-off and goals, expiry."""

from bot.flows.rounds.consent import STALE, answer, expire_due, remind_due
from bot.flows.rounds.controls import Steered, steer
from bot.flows.rounds.drafts import Preview
from bot.flows.rounds.kickoff import (
    MAX_GOAL_LENGTH,
    MAX_GOALS,
    kick_off,
    pair_for_member,
    set_goals,
    start_pairs,
)
from bot.flows.rounds.matching import REASON_IN_CSV, cancel, confirm, page, preview

__all__ = [
    "MAX_GOALS",
    "MAX_GOAL_LENGTH",
    "REASON_IN_CSV",
    "STALE",
    "Preview",
    "Steered",
    "answer",
    "cancel",
    "confirm",
    "expire_due",
    "kick_off",
    "page",
    "pair_for_member",
    "preview",
    "remind_due",
    "set_goals",
    "start_pairs",
    "steer",
]
