"""The anonymity rules for stats, in one place: what may be shown and what must be withheld.

Every figure an owner sees goes through these functions. The rules:

- a group of people or answers smaller than the minimum group size (never below 5) is withheld;
  an empty group (0) is shown, since it describes nobody;
- when a group of a breakdown is withheld, other groups are withheld with it until the withheld
  ones add up to at least the minimum, so a total minus the shown groups reveals nothing small;
- a rate is a group's share of a breakdown, shown only when that group and the total are, so it
  tells nothing the breakdown does not; an average needs at least the minimum number of answers;
- free-text answers are shown only when at least 10 were given, shuffled and without dates.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any, Generic, TypeVar

from bot.domain.programme import MIN_GROUP_FLOOR

FREE_TEXT_MINIMUM = 10

K = TypeVar("K")
L = TypeVar("L")


def minimum_group(configured: int) -> int:
    """The programme's minimum group size, never below the floor of 5."""
    return max(MIN_GROUP_FLOOR, configured)


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
