"""The one place unexpected errors are handled: logged with ids, answered kindly."""

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.response import BoltResponse as Response

from bot.runtime import Runtime
from bot.slack import blocks

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature for every module
    """Attach the global error handler."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.error(
            "listener failed: type=%s team=%s user=%s error=%s",
            body.get("type") or ("command" if "command" in body else "unknown"),
            body.get("team_id") or (body.get("team") or {}).get("id"),
            body.get("user_id") or (body.get("user") or {}).get("id"),
            type(error).__name__,
            exc_info=error,
        )
        message = blocks.something_went_wrong()
        return Response(status=200, body={"response_type": "ephemeral", "text": message.text})
