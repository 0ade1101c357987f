"""What a re-run changed: two MatchResults compared, as data, and that data in words.

Changes are told from the sharing side (each mentor has one partner, a learner may have
several): a mentor whose partner differs *moved* (from one partner to another), was *paired*
(had none before) or was *split* (has none now). Mentors of newly kept pairs are told as the
kept pairs themselves: "keeping A with B moved C from D to E; total fit −2%".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.matching.model import MatchResult

MINUS = "\N{MINUS SIGN}"


@dataclass(frozen=True, order=True)
class Move:
    """A mentor whose partner changed: ``before`` and ``after`` (None: no partner)."""

    user_id: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Changes:
    """How ``after`` differs from ``before``."""

    kept: tuple[tuple[str, str], ...]  # pairs (mentor, mentee) kept in after, not in before
    moves: tuple[Move, ...]  # every other mentor whose partner changed, by user id
    total_before: float
    total_after: float
    pairs_before: int
    pairs_after: int

    @property
    def total_change(self) -> float | None:
        """The relative change of the total fit (-0.02 is 2% less); None from a total of 0."""
        if self.total_before <= 0:
            return None
        return self.total_after / self.total_before - 1.0


def compare(before: MatchResult, after: MatchResult) -> Changes:
    """What changed from ``before`` to ``after`` (for example before and after pins)."""
    old = {p.mentor: p.mentee for p in before.pairs}
    new = {p.mentor: p.mentee for p in after.pairs}
    was_kept = {(p.mentor, p.mentee) for p in before.pairs if p.kept}
    kept = sorted(
        (p.mentor, p.mentee) for p in after.pairs if p.kept and (p.mentor, p.mentee) not in was_kept
    )
    explained = {mentor for mentor, _ in kept}
    moves = sorted(
        Move(mentor, old.get(mentor), new.get(mentor))
        for mentor in old.keys() | new.keys()
        if old.get(mentor) != new.get(mentor) and mentor not in explained
    )
    return Changes(
        kept=tuple(kept),
        moves=tuple(moves),
        total_before=before.total_score,
        total_after=after.total_score,
        pairs_before=len(before.pairs),
        pairs_after=len(after.pairs),
    )


def describe_changes(changes: Changes, *, names: Mapping[str, str], limit: int = 5) -> str:
    """The changes in one line for the owner, naming at most ``limit`` kept pairs and moves
    (the rest counted), and the total fit's change in percent."""

    def name(user: str) -> str:
        return names.get(user, user)

    def move_words(move: Move) -> str:
        if move.before is None:
            return f"paired {name(move.user_id)} with {name(move.after or '')}"
        if move.after is None:
            return f"split {name(move.user_id)} from {name(move.before)}"
        return f"moved {name(move.user_id)} from {name(move.before)} to {name(move.after)}"

    kept = _some(
        [f"{name(mentor)} with {name(mentee)}" for mentor, mentee in changes.kept],
        limit,
        "kept pair",
    )
    moves = _some([move_words(m) for m in changes.moves], limit, "change")
    if kept:
        what = f"keeping {_and(kept)} " + (_and(moves) if moves else "changed no other pair")
    else:
        what = _and(moves) if moves else "no pair changed"
    return f"{what}; total fit {_percent(changes)}"


def _some(items: list[str], limit: int, noun: str) -> list[str]:
    """The first ``limit`` items, and how many more there are."""
    if len(items) <= limit:
        return items
    more = len(items) - limit
    return [*items[:limit], f"{more} more {noun}" + ("" if more == 1 else "s")]


def _and(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _percent(changes: Changes) -> str:
    change = changes.total_change
    if change is None:
        return "unchanged" if changes.total_after <= 0 else f"{changes.total_after:.1f} from 0"
    percent = 100 * change
    if abs(percent) < 0.005:
        return "unchanged"
    digits = 0 if abs(percent) >= 1 else 1 if abs(percent) >= 0.1 else 2
    shown = f"{abs(percent):.{digits}f}"
    return ("+" if percent > 0 else MINUS) + shown + "%"
