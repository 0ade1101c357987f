"""Two people proposed or paired: who is in it, who the other one is, and which side each is on."""

from typing import Protocol

from bot.domain.states import Side


class TwoPeople(Protocol):
    """A proposal or a pair: the person who shares (mentor) and the one who learns (mentee)."""

    @property
    def mentor_id(self) -> str: ...

    @property
    def mentee_id(self) -> str: ...


def members(two: TwoPeople) -> tuple[str, str]:
    """Both people, the mentor first."""
    return two.mentor_id, two.mentee_id


def partner_of(two: TwoPeople, user_id: str) -> str:
    """The other person."""
    return two.mentee_id if user_id == two.mentor_id else two.mentor_id


def side_of(two: TwoPeople, user_id: str) -> Side:
    """The side this person is on: the mentor shares, the mentee learns."""
    return Side.SHARE if user_id == two.mentor_id else Side.LEARN
