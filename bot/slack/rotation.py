"""Rotating bot tokens (Slack's token rotation): refreshed before expiry, once across processes.

Every reader of an installation (Bolt's authorize in the web processes, the outbox and the
scheduler) finds the bot through this store. A token within `ROTATE_MINUTES` of its expiry is
refreshed inside a transaction that holds a lock for its workspace (PostgreSQL: an advisory
lock; SQLite: the database's one write lock, taken at BEGIN IMMEDIATE), and re-read once the
lock is held, so a second process finds the token already refreshed instead of refreshing again
(Slack's refresh token is spent by the first refresh). Bolt's own rotator then never has to act.

Bolt finds the bot before every listener, so a found bot is kept in the process for
`FOUND_SECONDS`, unless its token is near enough to expiry to be refreshed within that time.
Saving or deleting an installation forgets what was kept; another process's uninstall reaches
this one within `FOUND_SECONDS` (Slack refuses a revoked token meanwhile), and another process's
refresh leaves the kept token valid (it is refreshed hours before it expires).
"""

import hashlib
import logging
import threading
import time
from typing import Any

from cachetools import TTLCache
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Connection, Engine, and_, desc, text

log = logging.getLogger(__name__)

# Bolt's default: a token is refreshed when it has less than two hours left.
ROTATE_MINUTES = 120
FOUND_SECONDS = 10  # how long a found bot is kept in the process


def _expiring(bot: Bot, within: float = 0) -> bool:
    """Whether the token is due for a refresh (or will be, `within` seconds from now)."""
    expires_at = bot.bot_token_expires_at
    return (
        bot.bot_refresh_token is not None
        and expires_at is not None
        and expires_at <= time.time() + ROTATE_MINUTES * 60 + within
    )


def _lock_key(client_id: str, enterprise_id: str | None, team_id: str | None) -> int:
    digest = hashlib.sha256(f"{client_id}:{enterprise_id}:{team_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class RotatingInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store whose `find_bot` refreshes an expiring token first."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        engine: Engine,
        reader: Engine | None = None,
        rotator_client: WebClient,
        **tables: Any,
    ) -> None:
        super().__init__(client_id=client_id, engine=engine, **tables)
        # Bolt finds the bot before every listener: one autocommit statement (db.make_reader),
        # not a ping, a BEGIN and a ROLLBACK around it. Refreshes take `engine`'s transactions.
        self.reader = reader or engine
        self._found: TTLCache[tuple[str | None, str | None], Bot | None] = TTLCache(
            maxsize=10_000, ttl=FOUND_SECONDS
        )
        self._found_lock = threading.Lock()
        self._rotator = TokenRotator(
            client_id=client_id, client_secret=client_secret, client=rotator_client
        )

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The workspace's bot, its token refreshed first when it is about to expire."""
        if is_enterprise_install:
            team_id = None  # an org-wide install is filed under its organisation (as slack_sdk)
        key = (enterprise_id, team_id)
        with self._found_lock:
            kept = self._found.get(key)
        if kept is not None:
            return kept
        with self.reader.connect() as connection:
            row = self._latest(connection, enterprise_id, team_id)
        bot = None if row is None else self.build_bot_entity(row)
        if bot is None:
            return None
        if _expiring(bot):
            return self._rotate(enterprise_id=bot.enterprise_id, team_id=bot.team_id) or bot
        if not _expiring(bot, within=FOUND_SECONDS):
            with self._found_lock:
                self._found[key] = bot
        return bot

    def save(self, installation: Installation) -> None:
        """Store an installation (slack_sdk's), forgetting the bots this process kept."""
        self._forget()
        super().save(installation)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete a workspace's bot (slack_sdk's), forgetting the bots this process kept."""
        self._forget()
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Delete an installation (slack_sdk's), forgetting the bots this process kept."""
        self._forget()
        super().delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def _forget(self) -> None:
        with self._found_lock:
            self._found.clear()

    def find_workspace_bot(self, team_id: str) -> Bot | None:
        """A workspace's own bot, whichever organisation it is filed under: a workspace of an
        Enterprise Grid organisation installed on its own has the organisation's id too, which
        the outbox and the scheduler do not know."""
        with self.reader.connect() as connection:
            row = self._latest(connection, None, team_id, any_enterprise=True)
        bot = None if row is None else self.build_bot_entity(row)
        if bot is None or not _expiring(bot):
            return bot
        return self._rotate(enterprise_id=bot.enterprise_id, team_id=team_id) or bot

    def _latest(
        self,
        connection: Connection,
        enterprise_id: str | None,
        team_id: str | None,
        *,
        any_enterprise: bool = False,
    ) -> Any:
        c = self.bots.c
        where = [c.client_id == self.client_id, c.team_id == team_id, c.bot_token.is_not(None)]
        if not any_enterprise:
            where.append(c.enterprise_id == enterprise_id)
        query = self.bots.select().where(and_(*where)).order_by(desc(c.installed_at)).limit(1)
        return connection.execute(query).mappings().first()

    def _rotate(self, *, enterprise_id: str | None, team_id: str | None) -> Bot | None:
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"),
                    {"key": _lock_key(self.client_id, enterprise_id, team_id)},
                )
            row = self._latest(connection, enterprise_id, team_id)
            if row is None:
                return None
            bot = self.build_bot_entity(row)
            if not _expiring(bot):
                return bot  # another process refreshed it while we waited for the lock
            refreshed = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES
            )
            if refreshed is None:
                return bot
            values = {
                "bot_token": refreshed.bot_token,
                "bot_refresh_token": refreshed.bot_refresh_token,
                "bot_token_expires_at": normalize_datetime_for_db(
                    refreshed.to_dict().get("bot_token_expires_at")
                ),
            }
            connection.execute(self.bots.update().where(self.bots.c.id == row["id"]).values(values))
            i = self.installations.c
            connection.execute(
                self.installations.update()
                .where(and_(i.client_id == self.client_id, i.bot_token == bot.bot_token))
                .values(values)
            )
        self._forget()
        log.info("bot token rotated: team=%s", team_id or enterprise_id)
        return refreshed
