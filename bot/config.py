"""Settings: typed, read once from the environment (or a .env file), failing fast and clearly."""

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
# What an OAuth install asks for: the manifest's bot scopes (tests/test_manifest.py pins them).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "users:read",
    "users:read.email",
    "files:write",
    "files:read",
)

# What to tell someone whose variable is missing or malformed: one line, no traceback.
HINTS = {
    "SLACK_BOT_TOKEN": "set it to the app's Bot User OAuth Token (xoxb-…, OAuth & Permissions), "
    "or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install through OAuth",
    "SLACK_CLIENT_ID": "set it with SLACK_CLIENT_SECRET (Basic Information → App Credentials)",
    "SLACK_OAUTH_AUTHORIZE_URL": "set it to Slack's authorize page, "
    "e.g. https://slack.com/oauth/v2/authorize",
    "RETENTION_MONTHS": "set it to how many months personal data is kept (1 to 120)",
    "AUDIT_RETENTION_MONTHS": "set it to how many months audit entries are kept (1 to 120)",
    "SLACK_SIGNING_SECRET": "set it to the app's Signing Secret "
    "(Basic Information → App Credentials)",
    "SLACK_APP_TOKEN": "leave it unset for HTTP mode, or set an app-level token (xapp-…) "
    "with connections:write for Socket Mode",
    "SLACK_API_URL": "set it to the Web API base URL, e.g. https://slack.com/api/",
    "DATABASE_URL": "set it to a SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db "
    "or sqlite:///upward.db",
    "PORT": "set it to a TCP port number between 1 and 65535",
    "PROGRAMME_OWNERS": "set it to comma-separated Slack user ids, e.g. U012ABC,U034DEF",
    "TICK_SECONDS": "set it to how often the scheduler runs, in seconds (10 to 3600)",
    "PROMPT_HOUR": "set it to the local hour prompts and check-ins go out (8 to 17)",
    "ACK_THREADS": "set it to how many requests may be answered at once (4 to 256)",
    "WORK_THREADS": "set it to how many threads do the work after an answer (1 to 128)",
    "SCIM_TOKEN": "leave it unset to turn SCIM off, or set a long random secret (32 characters "
    "or more) for the directory to send as its bearer token",
    "SCIM_TEAM_ID": "set it to the workspace id (T…) the directory provisions; with OAuth "
    "installs it is required when SCIM_TOKEN is set",
}


class Settings(BaseSettings):
    """Everything Upward reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # One workspace with one bot token (the default), or many installed through OAuth.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_oauth_authorize_url: str | None = None
    database_url: str = Field(default_factory=lambda: f"sqlite:///{Path.cwd() / 'upward.db'}")
    port: int = Field(default=3000, ge=1, le=65535)
    programme_owners: Annotated[frozenset[str], NoDecode] = frozenset()
    tick_seconds: int = Field(default=60, ge=10, le=3600)
    prompt_hour: int = Field(default=10, ge=8, le=17)
    # Requests are answered on one pool (database work only, so Slack's 3 seconds always hold);
    # what needs Slack afterwards (modals, replies, messages) runs on a bounded pool of its own.
    ack_threads: int = Field(default=8, ge=4, le=256)
    work_threads: int = Field(default=8, ge=1, le=128)
    retention_months: int = Field(default=12, ge=1, le=120)
    audit_retention_months: int = Field(default=24, ge=1, le=120)
    # SCIM provisioning at /scim/v2/: off unless a token is set. Its workspace: SCIM_TEAM_ID, or
    # with one bot token the token's own workspace (auth.test).
    scim_token: SecretStr | None = None
    scim_team_id: str | None = None

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return value

    @field_validator("slack_client_id", "slack_oauth_authorize_url")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("slack_client_secret")
    @classmethod
    def _client_secret(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value().strip() else None

    @field_validator("slack_oauth_authorize_url")
    @classmethod
    def _authorize_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _one_install_mode(self) -> "Settings":
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together")
        if self.slack_bot_token is None and not self.oauth:
            raise ValueError("SLACK_BOT_TOKEN is missing")
        return self

    @field_validator("scim_token")
    @classmethod
    def _scim_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    @field_validator("scim_team_id")
    @classmethod
    def _scim_team_id(cls, value: str | None) -> str | None:
        value = value.strip() if value is not None else None
        if value and not re.match(r"^T[A-Z0-9]{2,20}$", value):
            raise ValueError("must be a Slack workspace id (T…)")
        return value or None

    @model_validator(mode="after")
    def _scim_workspace(self) -> "Settings":
        if self.scim_token is not None and self.oauth and self.scim_team_id is None:
            raise ValueError("SCIM_TEAM_ID is missing")
        return self

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", value):
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        # Hosting platforms hand out postgres:// URLs; the driver we ship is psycopg 3.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", value)

    @field_validator("programme_owners", mode="before")
    @classmethod
    def _owners(cls, value: object) -> frozenset[str]:
        if isinstance(value, frozenset | set | list | tuple):
            ids = [str(v).strip() for v in value]
        else:
            ids = [part.strip() for part in str(value).split(",")]
        ids = [i for i in ids if i]
        bad = [i for i in ids if not _USER_ID.match(i)]
        if bad:
            raise ValueError(f"not Slack user ids: {', '.join(bad)}")
        return frozenset(ids)

    def secrets(self) -> list[str]:
        """The values that must never appear in a log."""
        tokens = [
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_client_secret,
            self.scim_token,
        ]
        return [t.get_secret_value() for t in tokens if t is not None]

    @property
    def oauth(self) -> bool:
        """Installed through OAuth (many workspaces) when the app's client id and secret are set."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def authorize_url(self) -> str:
        """Slack's authorize page: the configured one, or the Web API's host (GovSlack too)."""
        if self.slack_oauth_authorize_url is not None:
            return self.slack_oauth_authorize_url
        host = re.match(r"^https?://[^/]+", self.slack_api_url)
        assert host is not None  # checked by _api_url
        return f"{host.group(0)}/oauth/v2/authorize"

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is configured, HTTP otherwise."""
        return self.slack_app_token is not None


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for a human."""


def load_settings() -> Settings:
    """Read the settings, turning pydantic's report into one line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        if not error["loc"]:  # a rule across variables names its own
            message = _reason(error["msg"])
            name = message.split()[0]
            if "missing" in message:
                raise ConfigError(f"{name} is missing: {HINTS[name]}.") from None
            raise ConfigError(f"{message}: {HINTS.get(name, 'check their values')}.") from None
        problem = (
            "is missing" if error["type"] == "missing" else f"is invalid ({_reason(error['msg'])})"
        )
        hint = HINTS.get(name, "check its value")
        raise ConfigError(f"{name} {problem}: {hint}.") from None


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")
