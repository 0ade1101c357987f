"""The SCIM endpoint at /scim/v2/: scim2-server's protocol over Upward's database.

Requests carry `Authorization: Bearer <SCIM_TOKEN>` (compared in constant time); each is one
transaction, committed only when it succeeded. Who a written user is in Slack is asked after
the answer (bot.scim.lookups). Logs name no one: a failed request is logged by its status and
error type only.
"""

import hmac
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scim2_models import Resource, ResponseParameters, SCIMException, UnauthorizedException
from scim2_server.applications.base import BaseApplication
from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.service import ScimService
from slack_sdk.errors import SlackClientError

from bot.runtime import Runtime
from bot.scim.lookups import find_departed, look_up_one
from bot.scim.provider import MAX_BODY_BYTES, provider
from bot.scim.storage import DirectoryStorage
from bot.slack.outbox.courier import send_now

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

PREFIX = "/scim"


class Unavailable(SCIMException):
    """The workspace the directory provisions could not be learned from Slack (yet)."""

    status = 503
    _default_detail = "Upward cannot reach Slack right now; try again shortly"


class _Service(ScimService):
    def max_body_size(self, request: ScimRequest) -> int | None:  # noqa: ARG002
        return MAX_BODY_BYTES

    def patch_response(
        self,
        base_url: str,
        resource: Resource[Any],
        response_parameters: ResponseParameters[Any],
    ) -> ScimResponse:
        """200 with the user, as a replacement answers: Okta expects it (RFC 7644 allows 204)."""
        return self.replacement_response(base_url, resource, response_parameters)


class ScimApp(WSGIApplication):
    """One workspace's directory, served to the client that holds the token."""

    def __init__(self, runtime: Runtime) -> None:
        # WSGIApplication builds one handler over one storage; here each request has its own.
        scim_provider = provider()
        BaseApplication.__init__(self, scim_provider, _Service(scim_provider))
        self.log = log
        self.runtime = runtime
        token = runtime.settings.scim_token
        assert token is not None
        self.expected = f"Bearer {token.get_secret_value()}".encode()
        self._team_id = runtime.settings.scim_team_id
        self._team_lock = threading.Lock()

    def needs_auth(self, request: ScimRequest) -> bool:  # noqa: ARG002
        """Every endpoint, the service provider configuration too: the token is the only key."""
        return True

    def check_auth(self, request: ScimRequest) -> None:
        given = request.header("Authorization") or ""
        if not hmac.compare_digest(given.encode(), self.expected):
            raise UnauthorizedException(detail="a valid bearer token is required")

    def team_id(self) -> str:
        """SCIM_TEAM_ID, or the bot token's workspace (asked once)."""
        with self._team_lock:
            if self._team_id is None:
                client = self.runtime.clients.for_team("")
                try:
                    answer = client.auth_test() if client is not None else None
                except (SlackClientError, OSError):
                    answer = None
                team = answer.get("team_id") if answer is not None else None
                if not isinstance(team, str):
                    raise Unavailable()
                self._team_id = team
            return self._team_id

    def dispatch_request(self, request: ScimRequest) -> ScimResponse:
        """Authenticate, then serve the request in one transaction; look up who was written."""
        self.check_auth(request)
        team_id = self.team_id()
        runtime = self.runtime
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            storage = DirectoryStorage(
                session=session,
                team_id=team_id,
                now=now,
                notifier=runtime.notifier,
                writing=request.method.upper() != "GET",
            )
            response = ScimHandler(self.service, storage).handle(request)
        for scim_id in storage.written:
            runtime.work.submit(look_up_one, runtime, team_id, scim_id)
        for email in storage.departed_unfound:
            runtime.work.submit(find_departed, runtime, team_id, email)
        if request.method.upper() != "GET":
            # A departure tells a partner kindly: sent now, as a click's own messages are.
            send_now(runtime, now=now)
        return response

    def handle_exception(self, request: ScimRequest, exception: Exception) -> ScimResponse:  # noqa: ARG002
        """An error response; its log line holds no value the client sent (they are personal)."""
        if isinstance(exception, SCIMException):
            log.info(
                "scim request refused: status=%s error=%s",
                exception.status,
                type(exception).__name__,
            )
        else:
            log.error("scim request failed: %s", type(exception).__name__)
        return self.service.error_response(exception)


def serve_under_prefix(
    app: ScimApp, environ: "WSGIEnvironment", start_response: "StartResponse"
) -> Iterable[bytes]:
    """Serve a request to /scim/…: the SCIM app's own paths start at /v2."""
    environ["SCRIPT_NAME"] = str(environ.get("SCRIPT_NAME", "")) + PREFIX
    environ["PATH_INFO"] = str(environ.get("PATH_INFO", "")).removeprefix(PREFIX)
    return app(environ, start_response)
