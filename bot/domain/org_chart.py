"""The org chart as the authority on reporting lines: who is in whose chain of reports."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgEntry:
    """One person's line in the chart: their Slack id, and their manager's (None at the top)."""

    user_id: str
    manager_id: str | None = None
    email: str | None = None
    department: str | None = None


def chain_above(user_id: str, managers: Mapping[str, str]) -> list[str]:
    """Everyone above a person, nearest first; a cycle in the chart stops the walk."""
    above: list[str] = []
    seen = {user_id}
    current = managers.get(user_id)
    while current is not None and current not in seen:
        above.append(current)
        seen.add(current)
        current = managers.get(current)
    return above


def disagreements(
    answers: Mapping[str, str | None], chart: Mapping[str, str | None], charted: Collection[str]
) -> int:
    """How many people named a manager in the survey other than the one the chart gives them.

    `answers` and `chart` map a person to their manager; only people in `charted` (the chart
    knows them) count, and someone who named nobody does not disagree.
    """
    return sum(
        1
        for person, named in answers.items()
        if named is not None and person in charted and chart.get(person) != named
    )
