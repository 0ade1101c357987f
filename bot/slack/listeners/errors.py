"""The one place errors are handled: refusals answered kindly, the unexpected logged with ids."""

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context.respond import Respond

from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack import blocks

log = logging.getLogger(__name__)


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or ("command" if "command" in body else "unknown"))


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature for every module
    """Attach the global error handler."""

    @app.error
    def on_error(
        error: Exception,
        body: dict[str, Any],
        response: BoltResponse | None,
        respond: Respond | None,
    ) -> BoltResponse | None:
        kind = _kind(body)
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if isinstance(error, Refusal):
            message = str(error)
            log.info("refused: kind=%s team=%s user=%s", kind, team, user)
        else:
            message = blocks.something_went_wrong().text
            log.error(
                "listener failed: kind=%s team=%s user=%s error=%s",
                kind,
                team,
                user,
                type(error).__name__,
                exc_info=error,
            )
        if response is not None:  # not acknowledged yet: the answer goes in the acknowledgement
            if kind == "view_submission":
                view = blocks.notice_modal(message).to_dict()
                return BoltResponse(status=200, body={"response_action": "update", "view": view})
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        if respond is not None:
            respond(text=message, response_type="ephemeral", replace_original=False)
        return None
