"""Settings for tests, and where the repository is."""

from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.support.constants import OWNER, SIGNING_SECRET, TOKEN


def make_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    """Settings for tests, independent of the environment and any .env file."""
    values: dict[str, Any] = {
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": api_url,
        "database_url": database_url,
        "programme_owners": OWNER,
        "port": 3000,
    }
    return Settings(_env_file=None, **(values | overrides))


def repo_root() -> Path:
    """The repository's top folder."""
    return Path(__file__).resolve().parents[2]
