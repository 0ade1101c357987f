"""The anonymity rules for stats, in one place: what may be stored, released and shown.

How an answer travels, and why each step is there (k = the programme's minimum group, never
below 5):

1. **Asked.** A check-in or closing survey is a `checkin_requests` row: who was asked, for
   which pair. It is the only place that knows a person answered: its "already answered" mark
   (`answered`, and `answered_in`, the programme period of the answer) stops a second answer,
   and lets the bot count *people* per period without ever linking a person to an answer.
2. **Ballot.** The answer itself goes into `ballots`: a random id, the programme, the kind,
   the programme period it was given in (calendar blocks of the cadence, `period_start`), the
   side, and the answer. No request, person, pair, timestamp or sequence. An answer given for a
   period that has already closed counts in the period that is open when it is given, so a
   closed period never changes.
3. **Release.** When a period closes (the `close_periods` job), the closed periods not yet
   released form one block. If fewer than k distinct people answered in it (counted from the
   request side), nothing moves: the block waits and merges with the next period. Otherwise
   its ballots move to `checkin_answers` / `closing_answers` in random order, in one
   transaction, with new random ids, dated only by the block's first day, with the side kept
   only when each side has k people (else "any"); the block is recorded in `answer_releases`
   (people, the most answers one person gave, requests left unanswered). Row order (SQLite's
   rowid, PostgreSQL's ctid) then follows the shuffle, not the order people answered.
4. **Figures.** Stats read only released blocks. Within each block every cell of a
   distribution must rest on at least k people: a cell of c answers rests on at least
   ceil(c / most-per-person) people; smaller cells merge into "other" (`coarsen`), and
   "other" itself takes the next smallest cells until it too is big enough. The figures an
   owner sees are sums of coarsened blocks, and a block never changes once released, so the
   difference between any two stats requests is a sum of whole blocks: each of its cells is
   0 or rests on at least k people. Rates and averages are shown once their denominator has
   k people, as a band where the exact value would single out a small group (`rate`).
5. **People figures** (sign-ups by side, stage, pauses, pairs, consent, leavers) describe the
   present, so they are frozen as snapshots at each period close, and a new snapshot is shown
   only if it has the same cells as *every* earlier shown snapshot and each differs from them
   by 0 or at least k (`may_release`). Otherwise the owner keeps seeing the last one, dated.
   Sign-ups, sides, stages and pauses are one snapshot, so their totals never disagree.
6. **Free text** is shown only when at least 10 people wrote comments in released blocks,
   shuffled and undated (`free_texts`).

The older helpers below (`breakdown`, `share`, `average`) apply the same small-group rule to
one set of counts, for figures that are not answers.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any, Generic, TypeVar

from bot.domain.programme import MIN_GROUP_FLOOR

FREE_TEXT_MINIMUM = 10
OTHER = "other"  # where cells too small to show on their own are counted together

K = TypeVar("K")
L = TypeVar("L")


def minimum_group(configured: int) -> int:
    """The programme's minimum group size, never below the floor of 5."""
    return max(MIN_GROUP_FLOOR, configured)


def period_start(anchor: date, cadence_weeks: int, day: date) -> date:
    """The first day of the programme period `day` falls in: calendar blocks of the cadence,
    counted from the Monday of the week the programme was created (`anchor`)."""
    monday = anchor - timedelta(days=anchor.weekday())
    length = 7 * max(1, cadence_weeks)
    return monday + timedelta(days=((day - monday).days // length) * length)


def people_at_least(answers: int, most_per_person: int) -> int:
    """The fewest distinct people who can have given `answers` answers, at most
    `most_per_person` each."""
    return math.ceil(answers / max(1, most_per_person))


def block_ready(people: int, *, minimum: int) -> bool:
    """Whether a block of closed periods may be released: at least k people answered in it."""
    return people >= minimum


def coarsen(cells: Mapping[K, int], *, most_per_person: int, minimum: int) -> dict[K | str, int]:
    """One released block's distribution with every shown cell resting on at least k people.

    A cell too small to show merges into "other"; if "other" is itself too small it takes the
    next smallest cells with it (smallest first, so as little as possible is merged). When
    everything is merged, "other" is the whole block, which rests on k people by `block_ready`.
    Empty cells stay: they describe nobody.
    """

    def big(value: int) -> bool:
        return people_at_least(value, most_per_person) >= minimum

    present = [key for key, value in cells.items() if value > 0]
    merged = {key for key in present if not big(cells[key])}
    order = {key: index for index, key in enumerate(cells)}
    while merged and len(merged) < len(present) and not big(sum(cells[k] for k in merged)):
        rest = [key for key in present if key not in merged]
        merged.add(min(rest, key=lambda k: (cells[k], order[k])))
    shown: dict[K | str, int] = {key: v for key, v in cells.items() if key not in merged}
    if merged:
        shown[OTHER] = sum(cells[key] for key in merged)
    return shown


def combine(parts: Iterable[Mapping[K, int]]) -> dict[K, int]:
    """Released blocks added up, cell by cell (each block already coarsened)."""
    total: dict[K, int] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


@dataclass(frozen=True)
class Rate:
    """A share shown exactly, or as a band [low, high] where the exact value would single out
    a small group (say 2 of 12 people who did not answer)."""

    low: float
    high: float

    @property
    def exact(self) -> bool:
        """Whether the band is a single value."""
        return self.low == self.high


BAND = 0.2  # bands of 20 points: 0-20%, ..., 80-100%


def rate(part: int, whole: int, *, minimum: int, most_per_person: int = 1) -> Rate | None:
    """`part` of `whole`, or None when `whole` rests on fewer than k people.

    Exact when both the part and the rest are empty or rest on k people; otherwise the band of
    20 points it falls in.
    """
    if whole <= 0 or people_at_least(whole, most_per_person) < minimum:
        return None
    value = part / whole
    rest = whole - part

    def safe(n: int) -> bool:
        return n == 0 or people_at_least(n, most_per_person) >= minimum

    if safe(part) and safe(rest):
        return Rate(value, value)
    low = min(math.floor(value / BAND) * BAND, 1 - BAND)
    return Rate(round(low, 2), round(low + BAND, 2))


def average_band(total: float, answers: int, *, exact: bool) -> tuple[float, float]:
    """A mean, or the whole-point band it falls in when the exact mean beside a coarsened
    distribution could let someone solve for a merged cell."""
    value = total / answers
    if exact:
        return value, value
    low = min(math.floor(value), 4)
    return float(low), float(low + 1)


Snapshot = Mapping[str, int | None]  # a frozen people figure: cell name -> value or withheld


def may_release(candidate: Snapshot, earlier: Sequence[Snapshot], *, minimum: int) -> bool:
    """Whether a new snapshot may be shown beside every earlier shown one.

    Every cell shown in both must differ by 0 or by at least k, and the cells must be the same:
    a group that moved into "other" (or out of it) would say that it became small (or stopped
    being small), e.g. that someone paused, so such a snapshot waits until that is true of k.
    """
    for before in earlier:
        if set(candidate) != set(before):
            return False
        for key in candidate:
            now, then = candidate[key], before[key]
            if now is None or then is None:
                continue
            if 0 < abs(now - then) < minimum:
                return False
    return True


def people_cells(
    name: str, counts: Mapping[str, int], *, minimum: int, per_unit: int = 1
) -> dict[str, int | None]:
    """A people figure as snapshot cells (`name/total`, `name/<group>`): small groups merged into
    "other", or everything withheld when the whole rests on fewer than k people.

    `per_unit` is how many people one counted thing stands for (2 for a pair).
    """
    people = {key: value * per_unit for key, value in counts.items()}
    total = sum(people.values())
    if 0 < total < minimum:
        return {f"{name}/total": None}
    shown = coarsen(people, most_per_person=1, minimum=minimum)
    cells: dict[str, int | None] = {f"{name}/total": total // per_unit}
    cells |= {f"{name}/{key}": value // per_unit for key, value in shown.items()}
    return cells


def is_safe(count: int, *, minimum: int) -> bool:
    """Whether a group of this size may be shown: empty, or at least the minimum."""
    return count == 0 or count >= minimum


def count(value: int, *, minimum: int) -> int | None:
    """A count of people or answers, or None when it is a small group."""
    return value if is_safe(value, minimum=minimum) else None


@dataclass(frozen=True)
class Breakdown(Generic[K]):
    """A total split into groups; None stands for a withheld figure."""

    total: int | None
    groups: tuple[tuple[K, int | None], ...]
    # Withheld although not small themselves: they hide a small group from subtraction.
    covering: frozenset[K] = frozenset()

    def shown(self) -> dict[K, int]:
        """The groups that are shown."""
        return {key: value for key, value in self.groups if value is not None}

    def relabel(self, label: Callable[[K], L]) -> "Breakdown[L]":
        """The same breakdown with its groups renamed (for display)."""
        return Breakdown(
            total=self.total,
            groups=tuple((label(key), value) for key, value in self.groups),
            covering=frozenset(label(key) for key in self.covering),
        )


def breakdown(counts: Mapping[K, int], *, minimum: int) -> Breakdown[K]:
    """Split a total into groups, withholding small groups and enough others to cover them.

    Groups keep the order of `counts`. Complementary groups are chosen smallest first, so as
    little as possible is hidden.
    """
    total = sum(counts.values())
    if not is_safe(total, minimum=minimum):
        # Even an empty group would tell something about so few people.
        return Breakdown(total=None, groups=tuple((key, None) for key in counts))
    small = {key for key, value in counts.items() if not is_safe(value, minimum=minimum)}
    covering: set[K] = set()
    order = {key: index for index, key in enumerate(counts)}
    while small and sum(counts[key] for key in small | covering) < minimum:
        # Terminates: all non-empty groups together make the total, which is at least minimum.
        candidates = [k for k, v in counts.items() if k not in small | covering and v > 0]
        covering.add(min(candidates, key=lambda k: (counts[k], order[k])))
    withheld = small | covering
    groups = tuple((key, None if key in withheld else value) for key, value in counts.items())
    return Breakdown(total=total, groups=groups, covering=frozenset(covering))


def share(parts: Breakdown[K], key: K) -> float | None:
    """A group's share of its breakdown's total, only when both are shown (so nothing new leaks)."""
    value = parts.shown().get(key)
    if value is None or not parts.total:
        return None
    return value / parts.total


def average(
    total: float, answers: int, *, minimum: int, beside: Breakdown[Any] | None = None
) -> float | None:
    """The mean of `answers` values summing to `total`, or None when too few answered.

    Also None when it is shown `beside` a breakdown of the same answers with withheld groups:
    the mean, the count and the shown groups would let someone solve for the withheld ones.
    """
    if answers < minimum or (beside is not None and len(beside.shown()) < len(beside.groups)):
        return None
    return total / answers


def free_texts(texts: Sequence[str], *, given: int, rng: Random) -> tuple[str, ...]:
    """Free-text answers to show: none unless at least 10 were given; shuffled, no dates.

    `given` is how many non-empty answers exist; `texts` may be a sample of them.
    """
    if given < FREE_TEXT_MINIMUM:
        return ()
    shown = [text for text in texts if text]
    rng.shuffle(shown)
    return tuple(shown)


def release_block(
    figures: Mapping[str, Mapping[Any, int]], *, people: int, most_per_person: int, minimum: int
) -> dict[str, dict[Any, int]] | None:
    """What one block of closed periods releases, each distribution coarsened; None while fewer
    than k people answered in it (it then waits and merges with the next period)."""
    if not block_ready(people, minimum=minimum):
        return None
    return {
        name: coarsen(cells, most_per_person=most_per_person, minimum=minimum)
        for name, cells in figures.items()
    }
