"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.db import make_engine
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
    tables = [t for t in inspector.get_table_names() if t != "alembic_version"]
    missing = [t for t in tables if "team_id" not in {c["name"] for c in inspector.get_columns(t)}]
    engine.dispose()
    assert tables
    assert missing == []
