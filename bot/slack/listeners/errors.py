"""The one place errors are handled: refusals answered kindly, the unexpected logged with ids."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import IntegrityError

from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack import blocks

log = logging.getLogger(__name__)


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or ("command" if "command" in body else "unknown"))


# A request that arrived twice at once (a double click or submit): the database's unique
# constraints let one copy through, and rolled this one back.
ALREADY_DONE = "That was already done (your request arrived twice), so nothing more was changed."


def _friendly(error: Exception) -> str | None:
    """What to tell the person when the error is theirs to hear about; None for a fault."""
    if isinstance(error, Refusal):
        return str(error)
    if isinstance(error, IntegrityError):
        return ALREADY_DONE
    return None


def answers_refusals(listener: Callable[..., None]) -> Callable[..., None]:
    """For a listener that acknowledges first: answer its refusal here instead of raising it.

    Bolt loses the acknowledgement of a listener that raises within ~10 ms of calling ack()
    (it resets the response after the error handler runs), so Slack would see a 404 after 3 s.
    """

    @functools.wraps(listener)
    def answering(**kwargs: Any) -> None:
        try:
            listener(**kwargs)
        except (Refusal, IntegrityError) as error:
            body = kwargs["body"]
            log.info(
                "refused: kind=%s team=%s user=%s why=%s",
                _kind(body),
                *_ids(body),
                type(error).__name__,
            )
            if body.get("response_url"):
                WebhookClient(body["response_url"]).send(
                    text=_friendly(error), response_type="ephemeral", replace_original=False
                )

    return answering


def _ids(body: dict[str, Any]) -> tuple[object, object]:
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return team, user


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
        team, user = _ids(body)
        friendly = _friendly(error)
        if friendly is not None:
            # Never the error's text: a database's detail quotes the values people typed.
            message = friendly
            log.info(
                "refused: kind=%s team=%s user=%s why=%s", kind, team, user, type(error).__name__
            )
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
        acknowledged = response is None
        if not acknowledged and kind == "view_submission":
            view = blocks.notice_modal(message).to_dict()
            return BoltResponse(status=200, body={"response_action": "update", "view": view})
        if not acknowledged and kind != "block_actions":  # Slack shows a command's ack body
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
        if respond is not None and body.get("response_url"):  # a click is answered in place
            respond(text=message, response_type="ephemeral", replace_original=False)
        return None if acknowledged else BoltResponse(status=200, body="")
