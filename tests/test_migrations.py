"""The migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.store import installations
from bot.store.db import alembic_config, make_engine, migrate
from bot.store.models import Base


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_every_table_is_keyed_by_team(database_url: str) -> None:
    engine = make_engine(database_url)
    inspector = inspect(engine)
    # An OAuth state is issued before anyone knows the workspace, and lives ten minutes.
    unkeyed = {"alembic_version", installations.OAUTH_STATES}
    tables = [t for t in inspector.get_table_names() if t not in unkeyed]
    missing = [t for t in tables if "team_id" not in {c["name"] for c in inspector.get_columns(t)}]
    engine.dispose()
    assert tables
    assert missing == []


def test_a_database_with_people_in_it_upgrades_from_the_first_release(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO programmes VALUES (1, 'T1', 'Pilot', 'reverse', 'mentor', 'mentee',"
                " 1, 1, 2, 12, 'preferred', 5, 7, 'U1', '2026-11-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO participants VALUES (1, 'T1', 'U2', 1, 'share', 0, 'Sales', NULL,"
                " NULL, '[]', '', '[]', '', 'introvert', 'video', 2, '', 'UTC', 0, 0, 'v1',"
                " '2026-11-01 00:00:00', '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
            )
        )
    migrate(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT waited FROM participants")).scalar() == 0
    engine.dispose()
