"""How a figure reads: counts, bands, "fewer than N", "withheld"; a pilot beside its successor."""

from dataclasses import dataclass
from typing import Any

from bot.domain.anonymity import Breakdown, Rate
from bot.domain.stats import Figures


@dataclass(frozen=True)
class Comparison:
    """A pilot next to a later programme, figure by figure (None: withheld)."""

    pilot: str
    later: str
    rows: tuple[tuple[str, str, str], ...]  # (figure, pilot's, later's), already formatted


WITHHELD = "withheld"  # a figure that rests on too few people, or is not released yet


def withheld(minimum: int) -> str:
    """How a withheld small group reads."""
    return f"fewer than {minimum}"


def count_text(value: int | None, minimum: int) -> str:
    """A count of people, or "fewer than N"."""
    return withheld(minimum) if value is None else f"{value:,}"


def percent(value: Rate | None) -> str:
    """A share as a whole percentage or a band ("80–100%"), or "withheld"."""
    if value is None:
        return WITHHELD
    if value.exact:
        return f"{value.low:.0%}"
    return f"{value.low * 100:.0f}–{value.high:.0%}"


def mean(value: tuple[float, float] | None) -> str:
    """A mean to one decimal or a band ("between 4 and 5"), or "withheld"."""
    if value is None:
        return WITHHELD
    low, high = value
    return f"{low:.1f}" if low == high else f"between {low:.0f} and {high:.0f}"


def group_text(parts: Breakdown[Any], key: Any, value: int | None, minimum: int) -> str:
    """One group of a breakdown: its count, "fewer than N", or "withheld" when it covers one."""
    if value is None and key in parts.covering:
        return WITHHELD
    return count_text(value, minimum)


def headline(figures: Figures) -> tuple[tuple[str, str], ...]:
    """The figures worth comparing between programmes, formatted."""
    return (
        ("Sign-ups", count_text(figures.sides.total, figures.minimum)),
        ("Consent rate", percent(figures.consent_rate)),
        ("Active pairs", count_text(figures.active_pairs, figures.minimum)),
        ("Pairs that have met", percent(figures.met_rate)),
        ("Check-in response rate", percent(figures.response_rate)),
        ("Average usefulness (1–5)", mean(figures.average_usefulness)),
        ("Chose to continue", percent(figures.continue_rate)),
    )


def compare(pilot: Figures, later: Figures) -> Comparison:
    """The pilot's headline figures next to the later programme's."""
    rows = tuple(
        (label, mine, theirs)
        for (label, mine), (_, theirs) in zip(headline(pilot), headline(later), strict=True)
    )
    return Comparison(pilot=pilot.name, later=later.name, rows=rows)
