"""The one place errors are handled: refusals answered kindly, the unexpected logged with ids."""

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Args, BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from sqlalchemy.exc import IntegrityError

from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack import ui
from bot.slack.core import envelope, log_names
from bot.slack.core.view_state import ViewState

log = logging.getLogger(__name__)

# A request that arrived twice at once (a double click or submit): the database's unique
# constraints let one copy through, and rolled this one back.
ALREADY_DONE = "That was already done (your request arrived twice), so nothing more was changed."


def _kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or ("command" if "command" in body else "unknown"))


def answer(error: Exception, body: dict[str, Any], context: dict[str, Any] | None = None) -> str:
    """Log the error with the request's ids (never its text); the reply for the person.

    The person is named by their log pseudonym; an anonymous submission by nothing at all.
    """
    kind = _kind(body)
    if context is None:
        context = log_names.context_for(None, body)
    if log_names.hidden(context):
        ids = ""
    else:
        team = envelope.home(body)  # as the request's own log line names it
        ids = f" team={team} user={log_names.of(context)}"
    if isinstance(error, Refusal | IntegrityError):
        # Never the error's text: a database's detail quotes the values people typed.
        log.info("refused: kind=%s%s why=%s", kind, ids, type(error).__name__)
        return str(error) if isinstance(error, Refusal) else ALREADY_DONE
    log.error(
        "listener failed: kind=%s%s error=%s", kind, ids, type(error).__name__, exc_info=error
    )
    return ui.something_went_wrong().text


def answer_in_place(respond: Respond | None, body: dict[str, Any], message: str) -> None:
    """Reply where a click was made; a click from a view (the App Home) has nowhere to reply."""
    if respond is not None and body.get("response_url"):
        respond(text=message, response_type="ephemeral", replace_original=False)


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
            answer_in_place(args.respond, args.body, answer(error, args.body, args.context))

    run.__name__ = run.__qualname__ = listener.__name__
    return run


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature for every module
    """Attach the global error handler."""

    @app.error
    def on_error(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        response: BoltResponse | None,
        respond: Respond | None,
    ) -> BoltResponse | None:
        message = answer(error, body, context)
        if response is not None:  # not acknowledged yet
            kind = _kind(body)
            if kind == "view_submission":
                field = error.field if isinstance(error, Refusal) else None
                submitted = body.get("view")
                state = ViewState.of(submitted if isinstance(submitted, dict) else {})
                if field is not None and state.has(field):
                    # Under the field, with everything typed kept: never a dead end.
                    errors = {field: message}
                    return BoltResponse(
                        status=200, body={"response_action": "errors", "errors": errors}
                    )
                view = ui.notice_modal(message).to_dict()
                return BoltResponse(status=200, body={"response_action": "update", "view": view})
            if kind != "block_actions":  # Slack shows a command's acknowledgement
                return BoltResponse(
                    status=200, body={"response_type": "ephemeral", "text": message}
                )
            # Slack shows nothing of a click's acknowledgement: answer where it was made.
            answer_in_place(respond, body, message)
            return BoltResponse(status=200, body="")
        answer_in_place(respond, body, message)
        return None
