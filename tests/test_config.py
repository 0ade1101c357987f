"""Settings: defaults, parsing, and one clear line for each bad value."""

import pytest

from bot.config import ConfigError, load_settings

REQUIRED = {"SLACK_BOT_TOKEN": "xoxb-1-2", "SLACK_SIGNING_SECRET": "secret"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "PORT",
        "PROGRAMME_OWNERS",
        "TICK_SECONDS",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_OAUTH_AUTHORIZE_URL",
        "RETENTION_MONTHS",
        "AUDIT_RETENTION_MONTHS",
        "SCIM_TOKEN",
        "SCIM_TEAM_ID",
    ]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # no stray .env file


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in (REQUIRED | values).items():
        monkeypatch.setenv(name, value)


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    set_env(monkeypatch)
    settings = load_settings()
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == f"sqlite:///{tmp_path}/upward.db"
    assert settings.programme_owners == frozenset()
    assert not settings.socket_mode


def test_values_are_parsed_and_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        PROGRAMME_OWNERS=" U012ABC, W034DEF ,",
        SLACK_API_URL="https://slack.example.gov/api",
        DATABASE_URL="postgres://u@db/upward",
        SLACK_APP_TOKEN="xapp-1",
        PORT="8080",
    )
    settings = load_settings()
    assert settings.programme_owners == {"U012ABC", "W034DEF"}
    assert settings.slack_api_url == "https://slack.example.gov/api/"
    assert settings.database_url == "postgresql+psycopg://u@db/upward"
    assert settings.socket_mode
    assert settings.port == 8080


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "nope"}, "SLACK_APP_TOKEN"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"PROGRAMME_OWNERS": "U012ABC,<!channel>"}, "PROGRAMME_OWNERS"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
    ],
)
def test_a_bad_value_is_named(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], named: str
) -> None:
    set_env(monkeypatch, **values)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"{named} ")
    assert "\n" not in message


def test_a_missing_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET is missing: .*Signing Secret"):
        load_settings()


def test_the_single_token_mode_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch)
    assert not load_settings().oauth


def test_oauth_needs_no_bot_token_and_follows_the_api_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    monkeypatch.setenv("SLACK_API_URL", "https://slack-gov.com/api/")
    settings = load_settings()
    assert settings.oauth and settings.slack_bot_token is None
    assert settings.authorize_url == "https://slack-gov.com/oauth/v2/authorize"
    assert "shh" in settings.secrets()
    monkeypatch.setenv("SLACK_OAUTH_AUTHORIZE_URL", "https://example.com/oauth/v2/authorize")
    assert load_settings().authorize_url == "https://example.com/oauth/v2/authorize"


def test_neither_a_bot_token_nor_oauth_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN is missing: .*SLACK_CLIENT_ID"):
        load_settings()


def test_a_client_id_without_its_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, SLACK_CLIENT_ID="1.2")
    with pytest.raises(ConfigError, match=r"^SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together"):
        load_settings()


def test_scim_is_off_unless_a_long_token_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, SCIM_TOKEN="")
    assert load_settings().scim_token is None
    set_env(monkeypatch, SCIM_TOKEN="short")
    with pytest.raises(ConfigError, match=r"^SCIM_TOKEN is invalid .*32 characters"):
        load_settings()
    token = "t" * 40
    set_env(monkeypatch, SCIM_TOKEN=token)
    assert token in load_settings().secrets()  # never logged


def test_scim_with_oauth_installs_names_its_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    monkeypatch.setenv("SCIM_TOKEN", "t" * 40)
    with pytest.raises(ConfigError, match=r"^SCIM_TEAM_ID is missing: .*workspace id"):
        load_settings()
    monkeypatch.setenv("SCIM_TEAM_ID", "not a team")
    with pytest.raises(ConfigError, match=r"^SCIM_TEAM_ID is invalid"):
        load_settings()
    monkeypatch.setenv("SCIM_TEAM_ID", "T0TEAM1")
    assert load_settings().scim_team_id == "T0TEAM1"
