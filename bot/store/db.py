"""Engine, sessions and migrations."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]


def make_engine(url: str) -> Engine:
    """An engine tuned for the backend: SQLite waits for locks and enforces foreign keys.

    Parameters are hidden from database errors: they hold what people typed, and errors are logged.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web threads read while the scheduler writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL skips the fsync per commit but a commit still survives the process being
    # killed; only an OS crash or power cut can lose the last few (never corrupt the file). The
    # outbox commits twice per message, and the fsyncs were most of its time per message.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # Transactions are begun by _sqlite_begin_immediate, not by the driver.
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Connection) -> None:
    # The driver begins a transaction only at the first write, so two requests could both read
    # "not answered yet" and both answer (a double click). Taking the write lock at the start
    # makes every read-check-write whole; SQLite allows one writer at a time anyway.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_reader(engine: Engine) -> Engine:
    """An engine for reads, and for single statements that need no transaction around them.

    On PostgreSQL it is a second, smaller pool whose connections stay in autocommit: that saves
    a read's BEGIN and ROLLBACK round trips (two of its three), and switching a connection of
    the main pool in and out of autocommit costs as much again. SQLite's transactions are local
    and cheap, and begun IMMEDIATE (see above), so there it is the engine itself.
    """
    if engine.dialect.name != "postgresql":
        return engine
    # No ping before each checkout, unlike the main pool (pool_pre_ping): that was a round trip
    # per read. A connection the server dropped fails one request (503: Slack shows an error,
    # and retries an event), and SQLAlchemy then discards every connection of the pool older
    # than the failure; connections are renewed every half hour, before proxies' idle timeouts.
    return create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_recycle=30 * 60,
        pool_size=10,  # as many as the web threads, or connections are opened for each request
        max_overflow=10,
        hide_parameters=True,
    )


def insert_for(session: Session) -> Any:
    """The backend's own `insert`: it can skip a conflict atomically (`on_conflict_do_nothing`)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def one_snapshot(session: Session) -> None:
    """Let every read of the session's next transaction see the same snapshot: PostgreSQL's
    REPEATABLE READ (its default READ COMMITTED gives each statement its own); SQLite's
    transactions already do. Call before the transaction's first statement."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (handlers render them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """The project's Alembic configuration, pointed at `url`."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False  # the bot has configured logging already
    return config


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; `str(error)` says which and why, in one line."""


class MigrationFailed(Exception):
    """A migration could not be applied; `str(error)` says why, `hint` how to fix it."""

    def __init__(self, why: str, *, hint: str) -> None:
        super().__init__(why)
        self.hint = hint


def _why(error: BaseException) -> str:
    """The first line of what the driver (or Alembic) said, without SQLAlchemy's decoration."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def where(url: str) -> str:
    """The database's URL as it may be shown: without its password."""
    return make_url(url).render_as_string(hide_password=True)


def check(engine: Engine) -> None:
    """Connect once, raising DatabaseUnavailable if that fails."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(_why(exc)) from exc


def migrate(url: str) -> None:
    """Apply every pending migration; DatabaseUnavailable or MigrationFailed if it cannot."""
    engine = make_engine(url)
    try:
        check(engine)
    finally:
        engine.dispose()
    try:
        command.upgrade(alembic_config(url), "head")
    except (CommandError, SQLAlchemyError) as exc:
        newer = isinstance(exc, CommandError) and "Can't locate revision" in str(exc)
        hint = (
            "it was migrated by a newer release of Upward: run that release, or restore a backup"
            if newer
            else "fix the database or restore a backup, then run `python -m bot migrate` again"
        )
        raise MigrationFailed(_why(exc), hint=hint) from exc


def is_healthy(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy; /healthz reports it
        return False
    return True
