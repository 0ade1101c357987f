"""The one place errors are handled: refusals answered kindly, the unexpected logged with ids."""

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Args, BoltResponse
from slack_bolt.context.respond import Respond

from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack import blocks

log = logging.getLogger(__name__)


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or ("command" if "command" in body else "unknown"))


def _answer(error: Exception, body: dict[str, Any]) -> str:
    """Log the error with the request's Slack ids (never its text); the reply for the person."""
    kind = _kind(body)
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if isinstance(error, Refusal):
        log.info("refused: kind=%s team=%s user=%s", kind, team, user)
        return str(error)
    log.error(
        "listener failed: kind=%s team=%s user=%s error=%s",
        kind,
        team,
        user,
        type(error).__name__,
        exc_info=error,
    )
    return blocks.something_went_wrong().text


def guarded(listener: Callable[..., None]) -> Callable[[Args], None]:
    """Answer an error raised after the listener acknowledged, inside the listener's own thread.

    Bolt's threaded runner clears the acknowledgement when a listener raises after `ack()`; if
    that happens before the request thread has seen it, Slack gets a 404 three seconds later
    and shows the person an error. Errors before the ack still go to `on_error`, which puts the
    reply in the acknowledgement.
    """
    names = inspect.getfullargspec(listener).args

    def run(args: Args) -> None:
        try:
            listener(**{name: getattr(args, name) for name in names})
        except Exception as error:
            if args.ack.response is None:
                raise
            message = _answer(error, args.body)
            if args.respond is not None:
                args.respond(text=message, response_type="ephemeral", replace_original=False)

    run.__name__ = run.__qualname__ = listener.__name__
    return run


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature for every module
    """Attach the global error handler."""

    @app.error
    def on_error(
        error: Exception,
        body: dict[str, Any],
        response: BoltResponse | None,
        respond: Respond | None,
    ) -> BoltResponse | None:
        message = _answer(error, body)
        if response is not None:  # not acknowledged yet: the answer goes in the acknowledgement
            if _kind(body) == "view_submission":
                view = blocks.notice_modal(message).to_dict()
                return BoltResponse(status=200, body={"response_action": "update", "view": view})
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        if respond is not None:
            respond(text=message, response_type="ephemeral", replace_original=False)
        return None
