"""Upward removed from a workspace: `app_uninstalled`, or its bot token revoked."""

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App

from bot.flows import workspaces
from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.errors import guarded

log = logging.getLogger(__name__)


def erase_workspace(runtime: Runtime, *, team_id: str, reason: str) -> None:
    """Forget the installation, then erase what Upward holds about the workspace's people."""
    runtime.clients.forget(team_id)
    with runtime.sessions.begin() as session:
        erased = workspaces.erase(session=session, team_id=team_id, now=datetime.now(UTC))
    # For the operator: which workspace and why, never who.
    log.warning("workspace erased: team=%s reason=%s people=%d", team_id, reason, erased)


def register(app: App, runtime: Runtime) -> None:
    """Attach the uninstall and revocation listeners."""

    @app.event("app_uninstalled")
    @guarded
    def app_uninstalled(body: dict[str, Any]) -> None:
        erase_workspace(runtime, team_id=str(envelope.home(body)), reason="app_uninstalled")

    @app.event("tokens_revoked")
    @guarded
    def tokens_revoked(event: dict[str, Any], body: dict[str, Any]) -> None:
        # Only the bot token matters: Upward asks for no user tokens.
        if event.get("tokens", {}).get("bot"):
            erase_workspace(runtime, team_id=str(envelope.home(body)), reason="tokens_revoked")
