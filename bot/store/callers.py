"""Who a request comes from, as the store knows them: read once per request, before its listener."""

from typing import NamedTuple

from sqlalchemy import Engine, select

from bot.store.participants import LOG_ID
from bot.store.programmes import OWNS_ANY

# By the bound parameters `team` and `user`; signatures.admit reads them with the signature.
FACTS = (LOG_ID, OWNS_ANY)


class Caller(NamedTuple):
    """The person behind a request."""

    log_id: str | None  # their log pseudonym; None when they have not joined
    owns: bool  # an owner added in Slack, of some programme (owners configured at install aside)

    @property
    def joined(self) -> bool:
        """Whether they take part in a programme."""
        return self.log_id is not None


NOBODY = Caller(log_id=None, owns=False)


def look_up(*, engine: Engine, team: str | None, user: str | None) -> Caller:
    """The caller's facts, in one statement on a bare connection (no transaction needed)."""
    if not team or not user:
        return NOBODY
    with engine.connect() as connection:
        log_id, owns = connection.execute(select(*FACTS), {"team": team, "user": user}).one()
    return Caller(log_id, bool(owns))
