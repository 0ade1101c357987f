"""Looking at the whole database: rows that mention something, snapshots, emptying it."""

import json
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime
from bot.store import installations  # noqa: F401 - its tables are emptied too
from bot.store.db import make_engine
from bot.store.models import AuditEntry, Base, SeenEvent, SeenSignature

# Tables whose rows a request may add without changing anything a person would notice.
# Seen event ids and request signatures, and the audit trail that records refused owner
# commands on purpose.
BOOKKEEPING = {SeenEvent.__tablename__, SeenSignature.__tablename__, AuditEntry.__tablename__}


def rows_mentioning(runtime: Runtime, needle: str) -> list[str]:
    """Every table and row that contains `needle` anywhere."""
    with runtime.sessions() as session:
        return rows_mentioning_in(session, needle)


def rows_mentioning_in(session: Session, needle: str) -> list[str]:
    """Every table and row, as this session sees them, that contains `needle` anywhere."""
    found = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            if needle in json.dumps([str(v) for v in row]):
                found.append(f"{table.name}: {row}")
    version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version  # the scan saw a real, migrated database
    return found


def snapshot(runtime: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (bookkeeping aside), to compare before and after a request."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name not in BOOKKEEPING:
                found = session.execute(select(table)).all()
                rows[table.name] = sorted((tuple(r) for r in found), key=repr)
    return rows


def empty_database(sessions: sessionmaker[Session]) -> None:
    """Delete every row, children first."""
    with sessions.begin() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


def reset_postgres(url: str) -> None:
    """Drop everything in the test database so migrations start from nothing."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
