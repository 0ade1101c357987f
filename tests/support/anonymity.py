"""What someone could work out from a breakdown's shown figures."""

from itertools import combinations

from bot.domain.anonymity import Breakdown


def revealed_groups(parts: Breakdown[str], counts: dict[str, int]) -> list[int]:
    """Every group size someone could work out from the shown figures, by adding or subtracting.

    The shown cells, the total, and the total minus any set of shown cells (which is what is
    left for the other cells, shown or withheld, together).
    """
    shown = parts.shown()
    sizes = list(shown.values())
    if parts.total is not None:
        sizes.append(parts.total)
        for n in range(1, len(shown) + 1):
            for subset in combinations(shown.values(), n):
                sizes.append(parts.total - sum(subset))
    # What is shown must be true.
    assert all(counts[key] == value for key, value in shown.items())
    assert parts.total in (None, sum(counts.values()))
    return sizes
