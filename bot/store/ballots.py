"""Ballots (answers waiting for their period to close), released blocks and frozen snapshots.

Nothing here links an answer to a request or a person; see `bot.domain.anonymity` for the flow.
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Date, String, cast, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from bot.domain.states import AnswerSide, RequestKind
from bot.store.models import (
    AnswerRelease,
    Ballot,
    CheckinAnswer,
    CheckinRequest,
    ClosingAnswer,
    Participant,
    Programme,
    StatSnapshot,
)

LEFT = "-"  # the start of the random stand-in for someone who left, on requests kept for counts
ANY_SIDE = AnswerSide.ANY  # an answer's side, dropped when a side had fewer than k people


def new_id() -> str:
    """A random primary key: no sequence, so ids say nothing about order."""
    return secrets.token_hex(16)


def add(*, session: Session, ballot: Ballot) -> None:
    """Store one answer until its period closes."""
    session.add(ballot)


def mix(*, session: Session) -> int:
    """Rewrite each block (programme, kind, period) that got a ballot since it was last mixed:
    every ballot of it deleted and stored again by this transaction, with a new random id, in
    the order of those ids; the number rewritten.

    Afterwards no ballot's id, place on disk (SQLite's rowid, PostgreSQL's ctid) or writing
    transaction (PostgreSQL's xmin) says when it was cast, so none lines up with the request
    marked answered in that transaction. A ballot cast meanwhile stays fresh for the next tick.
    """
    table = Ballot.metadata.tables[Ballot.__tablename__]
    blocks = session.execute(
        select(Ballot.programme_id, Ballot.kind, Ballot.period).where(Ballot.fresh).distinct()
    ).all()
    rewritten = 0
    for programme_id, kind, period in blocks:
        _lock(session, programme_id)
        taken = session.execute(
            delete(table)
            .where(
                table.c.programme_id == programme_id,
                table.c.kind == kind,
                table.c.period == period,
            )
            .returning(*table.c)
        ).all()
        again = sorted(({**row._mapping, "id": new_id(), "fresh": False} for row in taken), key=_id)
        session.execute(insert(table), again)
        rewritten += len(again)
    return rewritten


def _id(row: dict[str, Any]) -> str:
    return str(row["id"])


def _lock(session: Session, programme_id: int) -> None:
    """Mixing and releasing a programme's ballots take turns (two schedulers at once): a release
    moves what a mix stored, a mix finds nothing left of what a release moved."""
    session.execute(select(Programme.id).where(Programme.id == programme_id).with_for_update())


def release_end(*, session: Session, programme_id: int, kind: str) -> date | None:
    """The first day after the last released block of this kind (None: nothing released)."""
    query = select(func.max(AnswerRelease.ends_on)).where(
        AnswerRelease.programme_id == programme_id, AnswerRelease.kind == kind
    )
    return session.scalar(query)


def _answered_in(programme_id: int, kind: str, start: date, end: date) -> Any:
    return (
        CheckinRequest.programme_id == programme_id,
        CheckinRequest.kind == kind,
        CheckinRequest.answered_in >= start,
        CheckinRequest.answered_in < end,
    )


def people_answering(
    *, session: Session, programme_id: int, kind: str, start: date, end: date
) -> tuple[int, int, dict[str, int]]:
    """Distinct people who answered in [start, end), the most answers one of them gave, and
    people by side (those who left count in the total, not in a side)."""
    per_person = (
        select(CheckinRequest.user_id, func.count().label("n"))
        .where(*_answered_in(programme_id, kind, start, end))
        .group_by(CheckinRequest.user_id)
        .subquery()
    )
    people, most = session.execute(
        select(func.count(), func.coalesce(func.max(per_person.c.n), 0))
    ).one()
    sides = (
        select(Participant.side, func.count(func.distinct(CheckinRequest.user_id)))
        .join(
            Participant,
            (Participant.team_id == CheckinRequest.team_id)
            & (Participant.user_id == CheckinRequest.user_id),
        )
        .where(*_answered_in(programme_id, kind, start, end))
        .group_by(Participant.side)
    )
    return int(people), int(most), dict(session.execute(sides).all())


def unanswered(*, session: Session, programme_id: int, kind: str, start: date, end: date) -> int:
    """Requests asked in [start, end) that have not been answered."""
    query = select(func.count()).where(
        CheckinRequest.programme_id == programme_id,
        CheckinRequest.kind == kind,
        CheckinRequest.answered.is_(False),
        CheckinRequest.asked_at >= datetime.combine(start, time(), UTC),
        CheckinRequest.asked_at < datetime.combine(end, time(), UTC),
    )
    return session.scalar(query) or 0


def move(
    *,
    session: Session,
    team_id: str,
    programme_id: int,
    kind: str,
    end: date,
    starts_on: date,
    keep_side: bool,
) -> int:
    """Move every ballot given before `end` into the answers table, in random order, with new
    random ids, dated `starts_on`; the number moved."""
    _lock(session, programme_id)
    checkin = kind == RequestKind.CHECKIN
    model = CheckinAnswer if checkin else ClosingAnswer
    answer = Ballot.met if checkin else Ballot.choice
    shuffled = (
        select(
            _random_id(session).label("id"),
            literal(team_id).label("team_id"),
            Ballot.programme_id,
            (Ballot.side if keep_side else literal(ANY_SIDE)).label("side"),
            literal(starts_on, Date).label("week"),
            func.coalesce(answer, "no" if checkin else "new_partner").label("answer"),
            Ballot.usefulness,
            Ballot.comment,
        )
        .where(Ballot.programme_id == programme_id, Ballot.kind == kind, Ballot.period < end)
        .subquery()
    )
    # One INSERT ... SELECT in the order of the new random ids: the rows' physical order
    # (SQLite's rowid, PostgreSQL's ctid) then follows chance, not the order people answered.
    columns = ["id", "team_id", "programme_id", "side", "week", answer.key, "usefulness", "comment"]
    count = session.scalar(select(func.count()).select_from(shuffled)) or 0
    session.execute(insert(model).from_select(columns, select(shuffled).order_by(shuffled.c.id)))
    session.execute(
        delete(Ballot).where(
            Ballot.programme_id == programme_id, Ballot.kind == kind, Ballot.period < end
        )
    )
    # Stand-ins for people who left were kept only to count this block's people.
    session.execute(
        delete(CheckinRequest).where(
            *_answered_in(programme_id, kind, date.min, end),
            CheckinRequest.user_id.startswith(LEFT),
        )
    )
    return count


def _random_id(session: Session) -> Any:
    """32 random hex digits made by the database, from its strong random source."""
    if session.get_bind().dialect.name == "sqlite":
        return func.lower(func.hex(func.randomblob(16)))
    return func.replace(cast(func.gen_random_uuid(), String), "-", "")


def record_release(*, session: Session, release: AnswerRelease) -> None:
    """Record a released block (never changed afterwards)."""
    session.add(release)


def releases(*, session: Session, programme_id: int) -> Sequence[AnswerRelease]:
    """A programme's released blocks, oldest first."""
    query = (
        select(AnswerRelease)
        .where(AnswerRelease.programme_id == programme_id)
        .order_by(AnswerRelease.starts_on)
    )
    return session.scalars(query).all()


def snapshots(*, session: Session, programme_id: int) -> dict[str, list[StatSnapshot]]:
    """Every shown snapshot of each people figure, oldest first."""
    query = (
        select(StatSnapshot)
        .where(StatSnapshot.programme_id == programme_id)
        .order_by(StatSnapshot.taken_on)
    )
    found: dict[str, list[StatSnapshot]] = {}
    for snapshot in session.scalars(query):
        found.setdefault(snapshot.figure, []).append(snapshot)
    return found


def add_snapshot(
    *,
    session: Session,
    team_id: str,
    programme_id: int,
    figure: str,
    taken_on: date,
    cells: dict[str, int | None],
) -> None:
    """Freeze one people figure as shown from now on."""
    session.add(
        StatSnapshot(
            id=new_id(),
            team_id=team_id,
            programme_id=programme_id,
            figure=figure,
            taken_on=taken_on,
            cells=dict(cells),
        )
    )


def waiting(*, session: Session, programme_id: int) -> dict[str, int]:
    """How many ballots of each kind wait for their block to reach k people."""
    query = (
        select(Ballot.kind, func.count())
        .where(Ballot.programme_id == programme_id)
        .group_by(Ballot.kind)
    )
    return dict(session.execute(query).all())


def comments_waiting(*, session: Session, programme_id: int, kind: str, end: date) -> int:
    """How many ballots given before `end` carry a comment."""
    query = select(func.count()).where(
        Ballot.programme_id == programme_id,
        Ballot.kind == kind,
        Ballot.period < end,
        Ballot.comment.is_not(None),
    )
    return session.scalar(query) or 0
