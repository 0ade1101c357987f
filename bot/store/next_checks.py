"""When the scheduler next decides for each active pair (`bot.domain.next_check`): the pairs
whose check has come, the next checks a tick keeps, and the facts that ask for one at once."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.states import PairStatus
from bot.store.models import Pair

PairIds = Select[int]


def due(now: datetime) -> Any:
    """The condition on `Pair` for an active pair whose next check has come (or was never set)."""
    return (Pair.status == PairStatus.ACTIVE) & or_(
        Pair.next_check_at.is_(None), Pair.next_check_at <= now
    )


def to_check(now: datetime) -> PairIds:
    """The active pairs whose next check has come (or was never set)."""
    return select(Pair.id).where(due(now))


def active_ids() -> PairIds:
    """Every active pair."""
    return select(Pair.id).where(Pair.status == PairStatus.ACTIVE)


def store(*, session: Session, checks: Iterable[tuple[int, datetime | None, datetime]]) -> None:
    """Keep each (pair, next check as read, next check) unless the pair's next check changed
    since it was read: a fact stored meanwhile asked for a check, and that one stands."""
    rows = [{"pair": p, "seen": seen, "next": next_at} for p, seen, next_at in checks]
    if not rows:
        return
    when = Pair.next_check_at.type
    pairs = Pair.metadata.tables[Pair.__tablename__]  # the table: an executemany, not the ORM's
    statement = (
        update(pairs)
        .where(
            pairs.c.id == bindparam("pair"),
            pairs.c.next_check_at.is_not_distinct_from(bindparam("seen", type_=when)),
        )
        .values(next_check_at=bindparam("next", type_=when))
    )
    session.connection().execute(statement, rows)


def check_now(*, session: Session, now: datetime, where: Any) -> None:
    """A fact that can bring a message sooner was stored: the next tick decides again for the
    active pairs matching `where` (a condition on `Pair`)."""
    session.execute(
        update(Pair)
        .where(Pair.status == PairStatus.ACTIVE, where)
        .values(next_check_at=now)
        .execution_options(synchronize_session=False)
    )


def check_person_now(*, session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """`check_now` for the pairs of one person (resumed, or in a new time zone)."""
    check_now(
        session=session,
        now=now,
        where=(Pair.team_id == team_id) & or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id),
    )
