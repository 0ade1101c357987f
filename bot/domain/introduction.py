"""What the kick-off's introduction says about the two people beyond their roles (pure).

Every survey answer is used: "How often can you meet" suggests how often the pair meets (the
less often of the two, so neither is over-committed; prompts still come on the programme's
cadence), and "Anything else you can share / want to learn" is shown to the partner.
"""

from dataclasses import dataclass

from bot.domain.profile import FREQUENCIES


@dataclass(frozen=True)
class About:
    """One person of a new pair, as the introduction shows them."""

    user_id: str
    share_other: str
    learn_other: str
    meetings_per_month: int


def suggested_per_month(mentor: About, mentee: About) -> int:
    """How often to suggest meeting: the less often of the two answers (known ones only)."""
    known = [a.meetings_per_month for a in (mentor, mentee) if a.meetings_per_month in FREQUENCIES]
    return min(known, default=2)


def how_often(per_month: int) -> str:
    """`once a month`, `twice a month`, `every week`."""
    return FREQUENCIES.get(per_month, FREQUENCIES[2]).lower()
