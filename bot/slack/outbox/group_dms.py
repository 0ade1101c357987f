"""Opening a pair's group DM: the one Slack call the scheduler needs an answer from."""

import logging
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class SlackGroupDMs:
    """Opens a pair's group DM with conversations.open, with its workspace's token."""

    def __init__(self, client_for: Callable[[str], WebClient | None]) -> None:
        self._client_for = client_for

    def open_group(self, *, team_id: str, users: Sequence[str]) -> str | None:
        """The group DM's channel id, or None (logged) when Slack refuses or is not installed."""
        client = self._client_for(team_id)
        if client is None:
            log.info("conversations.open skipped: the workspace is not installed")
            return None
        try:
            return str(client.conversations_open(users=list(users))["channel"]["id"])
        except SlackApiError as exc:
            log.warning("conversations.open failed: error=%s", exc.response.get("error"))
            return None
