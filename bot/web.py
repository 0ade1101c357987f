"""The HTTP front: Slack's requests at /slack/events, a health check at /healthz, and with
OAuth the install page at /slack/install and Slack's redirect back at /slack/oauth_redirect."""

import hashlib
import hmac
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import waitress
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.runtime import Runtime
from bot.scim.app import PREFIX as SCIM_PREFIX
from bot.scim.app import ScimApp, serve_under_prefix
from bot.slack.core import callers, envelope
from bot.store import signatures
from bot.store.db import is_healthy

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Slack refuses requests dated more than five minutes from now; so does Bolt.
SIGNATURE_WINDOW_SECONDS = 5 * 60
# Slack's largest payloads (a full modal's state) are well under this.
MAX_BODY_BYTES = 1024 * 1024


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler, reading nothing of a body before its signature is verified."""

    def __init__(self, app: App, *, signing_secret: str, engine: Engine) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.secret = signing_secret.encode()
        self.engine = engine

    def _signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature over the raw bytes, dated within five minutes of now.

        Nothing of the body is decoded, let alone parsed, before this holds. (slack_sdk's
        SignatureVerifier decodes the body as UTF-8 first, and fails on bytes that are not.)
        """
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return False
        if not signature.isascii():
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self.secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Verify the signature, parse the request, refuse a replay, then hand it to Bolt."""
        environ = request.environ
        body: bytes = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        if not self._signed(body, timestamp, signature):
            return BoltResponse(status=401, body="invalid request")
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"), query=request.query_string, headers=request.get_headers()
            )
        # Bolt's parsing fails on a body that is not UTF-8, not JSON, JSON that is not an object,
        # or JSON nested too deep for Python's parser: a 400, not a 500 with a traceback.
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
            return BoltResponse(status=400, body="malformed request")
        who = envelope.who(bolt_request.body)
        try:
            admission = signatures.admit(
                engine=self.engine,
                signature=signature,
                now=datetime.now(UTC),
                team=who.team,
                user=who.user,
            )
        except OperationalError as exc:
            log.error("request not served: the database is unavailable (%s)", type(exc).__name__)
            return BoltResponse(status=503, body="database unavailable")
        if not admission.first:
            # Slack's own retries are signed anew: the same signature twice is a replay.
            log.warning("request refused: a replay of a request already served")
            return BoltResponse(status=401, body="invalid request")
        # Found in the same round trip, for the listeners and the request's log lines.
        bolt_request.context[callers.KEY] = admission.caller
        return self.app.dispatch(bolt_request)


def make_wsgi_app(bolt: App, runtime: Runtime) -> "WSGIApplication":
    """Route Slack's requests to Bolt, SCIM's to the directory (when on), answer health checks."""
    engine = runtime.engine
    slack = _SlackHandler(
        bolt,
        signing_secret=runtime.settings.slack_signing_secret.get_secret_value(),
        engine=runtime.reader,
    )
    flow = bolt.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()
    scim = ScimApp(runtime) if runtime.settings.scim_token is not None else None

    def application(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy = is_healthy(engine)
            return _plain(
                start_response,
                "200 OK" if healthy else "503 Service Unavailable",
                "ok" if healthy else "database unavailable",
            )
        if path in oauth_paths:
            if method != "GET":
                return _plain(start_response, "405 Method Not Allowed", "use GET")
            # Bolt's own pages: the Add to Slack button, then the exchange of Slack's code.
            return slack(environ, start_response)
        if scim is not None and (path == SCIM_PREFIX or path.startswith(SCIM_PREFIX + "/")):
            if int(environ.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
                return _plain(start_response, "413 Content Too Large", "request too large")
            return serve_under_prefix(scim, environ, start_response)
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", "use POST")
        if int(environ.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            return _plain(start_response, "413 Content Too Large", "request too large")
        return slack(environ, start_response)

    return application


def _plain(start_response: "StartResponse", status: str, body: str) -> list[bytes]:
    data = body.encode()
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))]
    )
    return [data]


def create_server(app: "WSGIApplication", *, host: str, port: int, threads: int = 8) -> Any:
    """A production WSGI server (waitress) bound to host:port; call .run() to serve."""
    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=MAX_BODY_BYTES,
        ident="upward",
    )


def serve(app: "WSGIApplication", *, port: int, threads: int, host: str = "0.0.0.0") -> None:
    """Serve until the process is stopped, answering `threads` requests at once."""
    server = create_server(app, host=host, port=port, threads=threads)
    server.run()
