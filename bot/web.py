"""The HTTP front: Slack's requests at /slack/events, a health check at /healthz, and with
OAuth the install page at /slack/install and Slack's redirect back at /slack/oauth_redirect."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import waitress
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from sqlalchemy import Engine

from bot.store.db import is_healthy

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

EVENTS_PATH = "/slack/events"
# Slack's largest payloads (a full modal's state) are well under this.
MAX_BODY_BYTES = 1024 * 1024


class _SlackHandler(SlackRequestHandler):
    """Bolt's WSGI handler, refusing what Bolt would fail on: a body or timestamp it can't parse."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Parse the request as Bolt does, then hand it to the app."""
        timestamp = str(request.environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "0"))
        if not (timestamp.isascii() and timestamp.isdigit()):
            # Bolt's verifier would fail on int(timestamp) instead of refusing the request.
            return BoltResponse(status=401, body="invalid request")
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=request.get_headers()
            )
        # Bolt parses before it verifies the signature: not UTF-8, not JSON, or JSON that is not
        # an object fails here, and would otherwise be a 500 with a traceback in the log.
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            return BoltResponse(status=400, body="malformed request")
        return self.app.dispatch(bolt_request)


def make_wsgi_app(bolt: App, engine: Engine) -> "WSGIApplication":
    """Route Slack's requests to Bolt and answer health checks."""
    slack = _SlackHandler(bolt, path=EVENTS_PATH)
    flow = bolt.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow is not None else set()

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


def serve(app: "WSGIApplication", *, port: int, host: str = "0.0.0.0") -> None:
    """Serve until the process is stopped."""
    server = create_server(app, host=host, port=port)
    server.run()
