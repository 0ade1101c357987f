"""A fake Slack Web API over real HTTP, as strict as Slack wherever the bot could go wrong.

Method arguments, required fields, error names and scopes come from Slack's published method
specs in ``specs/methods``; Block Kit is checked with ``slack_sdk.models`` plus the rules it misses.
The methods live with their family (chat, views, conversations, files); this module serves them.
"""

from __future__ import annotations

import copy
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from tests.fakeslack.chat import ChatMethods
from tests.fakeslack.faults import FaultMethods
from tests.fakeslack.files import SIGN_IN_PAGE, FileMethods
from tests.fakeslack.oauth import OAuthMethods
from tests.fakeslack.specs import check_required, json_bytes, method_spec, parse_args
from tests.fakeslack.state import Call, Faults, Route, SlackError, Upload
from tests.fakeslack.views import TRIGGER_TTL, ViewMethods

logger = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        """Serve a GET (query-string arguments)."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST (form, JSON or raw upload body)."""
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        route = self.server.fake._route(parts.path, parts.query, dict(self.headers), body)
        try:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            # The caller gave up or was killed before the answer came: Slack shrugs that off too.
            logger.debug("caller went away before the answer to %s", parts.path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Keep the request log out of the test output."""
        logger.debug(format, *args)


class FakeSlack(ChatMethods, FileMethods, ViewMethods, FaultMethods, OAuthMethods):
    """Slack's Web API on 127.0.0.1, recording every call for tests to assert on."""

    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",
        team_id: str = "T0TEST",
        bot_user_id: str = "UBOT",
        scopes: Iterable[str] | None = None,
        trigger_ttl: float = TRIGGER_TTL,
    ) -> None:
        self.token = token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B0TEST"
        self.app_id = "A0TEST"
        self.scopes = frozenset(scopes) if scopes is not None else None
        self.trigger_ttl = trigger_ttl
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._users: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._minted = itertools.count(1)
        self.client_id: str | None = None
        self.client_secret: str | None = None
        self._caller_team = team_id
        self.add_user(bot_user_id, name="upward", real_name="Upward", is_bot=True)
        self._clear()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Listen on a free port in a daemon thread."""
        if self._server is not None:
            return
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- recordings ----------------------------------------------------------------------------

    def _clear(self) -> None:
        self._calls = []
        self._responses = []
        self._response_urls = {}
        self._response_sources = {}
        self._failures = {}
        self._faults = Faults()
        self._rate_limits = None
        self._triggers = {}
        self._views = {}
        self._stacks = {}
        self._home_ids = {}
        self._published_home = {}
        self._messages = {}
        self._conversations = {}
        self._pending_files = {}
        self._uploads = []
        self._hosted = {}
        self._last_ts = 0
        self._clear_oauth()

    def reset(self) -> None:
        """Forget calls, state and failure plans between tests; users stay."""
        with self._changed:
            self._clear()
            self._changed.notify_all()

    @property
    def calls(self) -> list[Call]:
        """Every call so far, in order, failed ones included."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str, *, include_failed: bool = False) -> list[Call]:
        """Calls to one method: only successful ones unless include_failed."""
        with self._lock:
            return [c for c in self._calls if c.method == method and (include_failed or c.ok)]

    def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` successful matching calls exist; fail listing what was called."""

        def matching() -> list[Call]:
            return [c for c in self.calls_to(method) if where is None or where(c)]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                raise AssertionError(
                    f"expected {count} successful {method} call(s) within {timeout}s, "
                    f"found {len(matching())}; calls: {self._summary()}"
                )
            return matching()

    def _summary(self) -> str:
        return ", ".join(
            f"{c.method}={'ok' if c.ok else c.response.get('error', c.status)}" for c in self._calls
        )

    @property
    def responses(self) -> list[dict[str, Any]]:
        """JSON bodies POSTed to response_urls, each with its url under ``_url``."""
        with self._lock:
            return list(self._responses)

    def wait_for_response(self, *, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until ``count`` response_url posts exist."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._responses) >= count, timeout=timeout):
                raise AssertionError(
                    f"expected {count} response_url post(s) within {timeout}s, "
                    f"found {len(self._responses)}; calls: {self._summary()}"
                )
            return list(self._responses)

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """view_id -> the view as Slack holds it now (modals and Home tabs)."""
        with self._lock:
            return copy.deepcopy(self._views)

    @property
    def published_home(self) -> dict[str, dict[str, Any]]:
        """user_id -> that user's last published Home tab."""
        with self._lock:
            return copy.deepcopy(self._published_home)

    @property
    def messages(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(channel, ts) -> each message the bot posted, as updated and not yet deleted."""
        with self._lock:
            return copy.deepcopy(self._messages)

    @property
    def uploads(self) -> list[Upload]:
        """Completed file uploads, in order."""
        with self._lock:
            return list(self._uploads)

    # -- HTTP routing --------------------------------------------------------------------------

    def _route(self, path: str, query: str, headers: dict[str, str], body: bytes) -> Route:
        try:
            if path.startswith("/api/"):
                return self._api(path.removeprefix("/api/"), query, headers, body)
            if path.startswith("/upload/"):
                return self._receive_upload(path.removeprefix("/upload/"), body)
            if path.startswith("/files-pri/"):
                return self._download(path, headers)
            if path == "/signin":
                return Route(200, SIGN_IN_PAGE, {"Content-Type": "text/html; charset=utf-8"})
            if path.startswith("/response/"):
                return self._receive_response(path, headers, body)
            return Route(404, b"not found")
        except Exception as error:  # a bug in the fake must show, not hang the bot
            logger.exception("fake Slack failed")
            return Route(500, json_bytes({"ok": False, "error": f"fake_slack_bug: {error!r}"}))

    def _api(self, method: str, query: str, headers: dict[str, str], body: bytes) -> Route:
        lowered = {k.lower(): v for k, v in headers.items()}
        spec = method_spec(method)
        handler = getattr(self, f"_method_{method.replace('.', '_')}", None) if spec else None
        args: dict[str, Any] = {}
        team: str | None = None
        delay, late = self._delay(method)
        if delay and not late:
            time.sleep(delay)
        with self._changed:
            try:
                args, token_arg = parse_args(
                    query,
                    lowered.get("content-type", ""),
                    body,
                    json_supported=bool(spec and spec.get("json_input_supported")),
                )
                if spec is None or handler is None:
                    raise SlackError("unknown_method", req_method=method)
                self._planned_failure(method)
                self._random_failure(method)
                if method == "oauth.v2.access":
                    self._check_client(lowered.get("authorization"), args)
                else:
                    team = self._authenticate(lowered.get("authorization"), token_arg)
                    self._check_team(team, args)
                    self._caller_team = team
                self._rate_limit(method, args)
                self._check_scope(spec)
                check_required(spec, args)
                status, response = 200, {"ok": True, **handler(args)}
                if team is not None:
                    self._remember_channel(team, response)
                route = Route(status, json_bytes(response))
            except SlackError as refusal:
                status, response = refusal.status, refusal.body
                route = Route(status, json_bytes(response), self._error_headers(refusal))
            self._calls.append(Call(method, args, status, response, team))
            self._changed.notify_all()
        if delay and late:
            time.sleep(delay)
        route.headers["Content-Type"] = "application/json; charset=utf-8"
        return route

    def _authenticate(self, authorization: str | None, token_arg: str | None) -> str:
        """The workspace the call's token belongs to; refused without a valid token."""
        token = token_arg
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[len("bearer ") :].strip()
        if not token:
            raise SlackError("not_authed")
        return self._team_of_token(token)

    def _check_scope(self, spec: dict[str, Any]) -> None:
        needed: list[str] = spec.get("scope", {}).get("bot", [])
        # The spec lists alternatives (e.g. im:write or mpim:write); one of them is enough.
        if self.scopes is not None and needed and not self.scopes.intersection(needed):
            raise SlackError(
                "missing_scope", needed=",".join(needed), provided=",".join(sorted(self.scopes))
            )
