"""Request signatures already accepted: a request replayed byte for byte is seen twice."""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Engine, bindparam, delete, exists, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.callers import FACTS, Caller
from bot.store.models import SeenSignature


class Admission(NamedTuple):
    """Whether a request's signature is new, and who sent it."""

    first: bool
    caller: Caller


# Atomic: two processes given the same replay at once cannot both see it as new.
_RECORD = {
    name: insert(SeenSignature)
    .values(signature=bindparam("signature"), seen_at=bindparam("seen_at"))
    .on_conflict_do_nothing()
    .returning(literal(1))
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
# PostgreSQL records the signature and finds who sent it in one statement, in autocommit: this
# runs before every acknowledgement, and it is one round trip where it was five.
_seen = _RECORD["postgresql"].cte("seen")
_ADMIT_POSTGRESQL = select(exists(select(_seen.c[0])), *FACTS)


def admit(
    *, engine: Engine, signature: str, now: datetime, team: str | None, user: str | None
) -> Admission:
    """Record the signature, unless it was recorded before, and look up who sent it (callers).

    `engine` is the reader (db.make_reader): on PostgreSQL the one statement commits by itself.
    """
    values = {"signature": signature, "seen_at": now, "team": team, "user": user}
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            first, log_id, owns = connection.execute(_ADMIT_POSTGRESQL, values).one()
        return Admission(bool(first), Caller(log_id, bool(owns)))
    # SQLite's transactions are begun IMMEDIATE (see db.make_engine), so this one commits.
    with engine.begin() as connection:
        first = connection.execute(_RECORD["sqlite"], values).first() is not None
        log_id, owns = connection.execute(select(*FACTS), values).one()
    return Admission(first, Caller(log_id, bool(owns)))


def forget_before(*, session: Session, before: datetime) -> int:
    """Drop signatures accepted before `before`; how many went."""
    result = session.execute(delete(SeenSignature).where(SeenSignature.seen_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
