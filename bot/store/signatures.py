"""Request signatures already accepted: a request replayed byte for byte is seen twice."""

from datetime import datetime

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import SeenSignature


def first_sighting(*, engine: Engine, signature: str, now: datetime) -> bool:
    """Record the signature in a transaction of its own; False when it was recorded before.

    It runs before every acknowledgement, so it takes an engine rather than a session: on
    PostgreSQL the one statement commits by itself, without BEGIN and COMMIT round trips.
    """
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    # Atomic: two processes given the same replay at once cannot both see it as new.
    statement = (
        insert(SeenSignature)
        .values(signature=signature, seen_at=now)
        .on_conflict_do_nothing()
        .returning(SeenSignature.id)
    )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return connection.execute(statement).scalar_one_or_none() is not None
    # SQLite's transactions begin IMMEDIATE (see db.make_engine), so this one must commit.
    with engine.begin() as connection:
        return connection.execute(statement).scalar_one_or_none() is not None


def forget_before(*, session: Session, before: datetime) -> int:
    """Drop signatures accepted before `before`; how many went."""
    result = session.execute(delete(SeenSignature).where(SeenSignature.seen_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
