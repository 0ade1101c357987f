"""Global middleware: refuse bodies Slack never sends, log each request's ids, skip seen events.

They subclass Bolt's `Middleware` rather than use `@app.middleware`: Bolt builds a decorated
middleware's arguments from the body, which itself fails on the bodies refused here.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.runtime import Runtime
from bot.slack.core import callers, envelope, log_names
from bot.store import callers as store_callers
from bot.store import events

log = logging.getLogger(__name__)

MALFORMED = "Sorry, I couldn't read that request, so nothing was changed. Please try again."


class CheckEnvelope(Middleware):
    """Refuse a body without the ids and shape Slack always sends; log the ids of the rest."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,  # noqa: ARG002 - Bolt passes it by name
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        """Answer a malformed request here, or pass the request on."""
        who = envelope.who(req.body)
        problem = envelope.problem(req.body)
        # The HTTP front found the caller with the signature; Socket Mode has no such front.
        caller = req.context.pop(callers.KEY, None)
        if log_names.anonymous(who, req.body):
            # Nothing that could tie an anonymous answer to a person: kind and name only.
            req.context[log_names.HIDDEN] = True
            ids = f"kind={who.kind} name={who.name}"
        else:
            if caller is None:
                caller = store_callers.look_up(
                    engine=self.runtime.reader, team=who.team, user=who.user
                )
            req.context[callers.KEY] = caller
            user = caller.log_id or log_names.NOBODY
            req.context[log_names.USER] = user
            ids = f"kind={who.kind} name={who.name} team={who.team} user={user}"
        if problem is None:
            envelope.tidy_view_state(req.body)
            log.info("request: %s", ids)
            return next()
        log.warning("request refused: %s reason=%r", ids, problem)
        if who.kind == "command":
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": MALFORMED})
        return BoltResponse(status=400, body="malformed request")


class SkipSeenEvents(Middleware):
    """Acknowledge a retried or duplicated Events API delivery without handling it again."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,  # noqa: ARG002 - Bolt passes it by name
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        """Record the event id in its own transaction; a second sighting stops here."""
        body = req.body
        if body.get("type") != "event_callback":
            return next()
        # Committed before the listener runs, so a retry arriving while the first delivery is
        # still being handled, in this process or another, is already a duplicate.
        with self.runtime.sessions.begin() as session:
            first = events.first_sighting(
                session=session,
                team_id=body["team_id"],
                event_id=body["event_id"],
                now=datetime.now(UTC),
            )
        if first:
            return next()
        log.info("event skipped, seen before: team=%s", body["team_id"])
        return BoltResponse(status=200, body="")


def register(app: App, runtime: Runtime) -> None:
    """Attach the middleware; Bolt runs it after verifying the signature, before any listener."""
    app.use(CheckEnvelope(runtime))
    app.use(SkipSeenEvents(runtime))
