"""Alembic environment: the URL comes from the config (set by the bot) or DATABASE_URL."""

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

import bot.store.installations  # noqa: F401 - slack_sdk's tables, in the same metadata
from bot.store.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The URL set by the caller, else DATABASE_URL, else the embedded default."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from bot.config import Settings

    default = Settings.model_fields["database_url"].get_default(call_default_factory=True)
    raw = os.environ.get("DATABASE_URL", default)
    return Settings._database_url(raw)  # same normalisation as the bot


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
