"""Which token a call is made with: the one bot token, or the installation of its workspace.

In the single-token mode (SLACK_BOT_TOKEN) every workspace id maps to the one client. With
SLACK_CLIENT_ID and SLACK_CLIENT_SECRET each workspace installs Upward through OAuth, its bot
token is kept by slack_sdk's installation store on Upward's own database, and the outbox and the
scheduler look a message's workspace up there; Bolt's authorize does the same for listeners.

On Enterprise Grid an org-wide install (`is_enterprise_install`) has an organisation and no
workspace: its data is kept under the organisation's `E…` id (see envelope.home), and that id
finds its one installation here, for every workspace of the organisation.
"""

import logging
import threading

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import BOT_SCOPES, Settings
from bot.domain.slack_ids import is_enterprise_id
from bot.slack.rotation import ROTATE_MINUTES, RotatingInstallationStore
from bot.store import installations

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# How long the state issued by /slack/install is good for: one person clicking through.
STATE_SECONDS = 600


class WorkspaceClients:
    """A Web API client per workspace, made once per token and kept while the token is."""

    def __init__(
        self, *, settings: Settings, engine: Engine, timeout: int, reader: Engine | None = None
    ) -> None:
        self._base_url = settings.slack_api_url
        self._timeout = timeout
        self._lock = threading.Lock()
        self._clients: dict[str, WebClient] = {}
        self.store: RotatingInstallationStore | None = None
        self._single: WebClient | None = None
        if settings.oauth:
            assert settings.slack_client_id is not None
            assert settings.slack_client_secret is not None
            self.store = RotatingInstallationStore(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                engine=engine,
                reader=reader,
                rotator_client=self._client(None),
                bots_table_name=installations.BOTS,
                installations_table_name=installations.INSTALLATIONS,
                logger=logging.getLogger("bot.installs"),
            )
        else:
            assert settings.slack_bot_token is not None
            self._single = self._client(settings.slack_bot_token.get_secret_value())

    def _client(self, token: str | None) -> WebClient:
        # The outbox reschedules rate-limited and failed calls itself, so its client never sleeps.
        return WebClient(token=token, base_url=self._base_url, timeout=self._timeout)

    def for_team(self, team_id: str) -> WebClient | None:
        """The client for a workspace, or None when Upward is not installed there (any more)."""
        if self._single is not None:
            return self._single
        assert self.store is not None
        bot = (
            self.store.find_bot(enterprise_id=team_id, team_id=None, is_enterprise_install=True)
            if is_enterprise_id(team_id)
            else self.store.find_workspace_bot(team_id)
        )
        if bot is None or not bot.bot_token:
            with self._lock:
                self._clients.pop(team_id, None)
            return None
        with self._lock:
            client = self._clients.get(team_id)
            if client is None or client.token != bot.bot_token:
                client = self._clients[team_id] = self._client(bot.bot_token)
            return client

    def forget(self, team_id: str) -> None:
        """Delete a workspace's installation: nothing more is sent there."""
        with self._lock:
            self._clients.pop(team_id, None)
        if self.store is None:
            return
        if is_enterprise_id(team_id):  # an org-wide install: an organisation, no workspace
            filed: set[tuple[str | None, str | None]] = {(team_id, None)}
        else:
            bot = self.store.find_workspace_bot(team_id)
            filed = {(None, team_id), (bot.enterprise_id if bot else None, team_id)}
        for enterprise_id, workspace_id in filed:
            self.store.delete_installation(enterprise_id=enterprise_id, team_id=workspace_id)
            self.store.delete_bot(enterprise_id=enterprise_id, team_id=workspace_id)


def oauth_settings(settings: Settings, clients: WorkspaceClients, engine: Engine) -> OAuthSettings:
    """Bolt's OAuth flow on Upward's database: /slack/install and /slack/oauth_redirect."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=settings.authorize_url,
        installation_store=clients.store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS,
            engine=engine,
            table_name=installations.OAUTH_STATES,
            logger=logging.getLogger("bot.installs"),
        ),
        state_expiration_seconds=STATE_SECONDS,
        logger=logging.getLogger("bot.installs"),
    )
    # Without the cache Bolt calls auth.test before every listener; a token found in the store
    # is still looked up on each request, so an uninstalled workspace is refused at once.
    oauth.authorize.cache_enabled = True  # type: ignore[attr-defined]
    return oauth
