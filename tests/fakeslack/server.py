"""A fake Slack Web API over real HTTP, as strict as Slack wherever the bot could go wrong.

Method arguments, required fields, error names and scopes come from Slack's published method
specs in ``specs/methods``; Block Kit is checked with ``slack_sdk.models`` plus the rules it misses.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import logging
import math
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

logger = logging.getLogger(__name__)

SPECS = Path(__file__).parent / "specs" / "methods"
METHOD_NAME = re.compile(r"^[A-Za-z]+(\.[A-Za-z]+)+$")
CONVERSATION_ID = re.compile(r"^[CDG][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

# Form fields that Slack reads as JSON documents; slack_sdk sends them as JSON strings.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata"})
# The error Slack answers when a required argument is missing, where the spec lists it.
MISSING_ARGUMENT_ERRORS = {
    "channel": "channel_not_found",
    "user": "user_not_found",
    "ts": "message_not_found",
    "post_at": "invalid_time",
}
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
TEXT_LIMIT = 40_000
MODAL_TITLE_LIMIT = 24
VIEW_SIZE_LIMIT = 250_000
MPIM_USER_LIMIT = 8
PUSH_LIMIT = 3
RESPONSE_URL_USES = 5
TRIGGER_TTL = 3.0  # seconds, as on Slack: a bot that dawdles before views.open must fail here too
SCHEDULE_HORIZON = 120 * 24 * 3600
# Keys whose value must be a plain_text object (Slack refuses strings and mrkdwn there).
PLAIN_TEXT_KEYS = frozenset({"label", "hint", "placeholder", "title", "submit", "close"})
PLAIN_TEXT_TEXT_PARENTS = frozenset({"header", "button"})


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake saw and answered it."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        """Whether Slack would have counted this call as a success."""
        return self.status == 200 and self.response.get("ok") is True


@dataclass(frozen=True)
class Upload:
    """A file whose upload was completed with files.completeUploadExternal."""

    file_id: str
    filename: str
    title: str
    content: bytes
    channel_id: str | None
    initial_comment: str | None
    thread_ts: str | None = None


class SlackError(Exception):
    """An error answer: ``{"ok": false, "error": ...}`` with an HTTP status and extra fields."""

    def __init__(
        self,
        error: str,
        *messages: str,
        status: int = 200,
        retry_after: float | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.retry_after = retry_after
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}
        if messages:
            self.body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}


@dataclass
class _FailurePlan:
    status: int
    retry_after: int | None
    error: str | None
    times: int


@dataclass
class _Faults:
    """Failures and slowness on a random share of calls, as a flaky Slack would answer."""

    share: float = 0.0
    statuses: tuple[int, ...] = ()
    retry_after: int = 1
    slow_share: float = 0.0
    delay: float = 0.0
    late_answer: bool = False
    methods: frozenset[str] | None = None
    slow_methods: frozenset[str] | None = None
    rng: random.Random = field(default_factory=random.Random)

    def fails(self, method: str) -> bool:
        """Whether this call is one of the share that fails."""
        if not self.share or (self.methods is not None and method not in self.methods):
            return False
        return self.rng.random() < self.share

    def slows(self, method: str) -> bool:
        """Whether this call is one of the share answered late."""
        if not self.delay or (self.slow_methods is not None and method not in self.slow_methods):
            return False
        return self.rng.random() < self.slow_share


@dataclass
class _Bucket:
    """A token bucket: `rate` calls per second, bursts of up to `burst`."""

    rate: float
    burst: float
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        """Seconds until a call would be allowed (0 when it is now)."""
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class _RateLimits:
    """Slack's limits: chat.postMessage per channel, and each method per workspace."""

    per_channel: float | None
    per_method: Mapping[str, float]
    burst: float
    buckets: dict[str, _Bucket] = field(default_factory=dict)

    def _bucket(self, key: str, rate: float, now: float) -> _Bucket:
        return self.buckets.setdefault(key, _Bucket(rate, self.burst, self.burst, now))

    def wait(self, method: str, args: dict[str, Any], now: float) -> float:
        """0 and the call is counted, or how long the caller must wait (nothing counted)."""
        buckets = []
        if method in self.per_method:
            buckets.append(self._bucket(method, self.per_method[method], now))
        channel = args.get("channel")
        if method == "chat.postMessage" and self.per_channel and isinstance(channel, str):
            # A user id posts to the bot's DM with them: the same channel as its D id.
            channel = "D" + channel[1:] if USER_ID.match(channel) else channel
            buckets.append(self._bucket(f"channel:{channel}", self.per_channel, now))
        wait = max((b.wait(now) for b in buckets), default=0.0)
        if wait == 0:
            for bucket in buckets:
                bucket.tokens -= 1
        return wait


@dataclass
class _Trigger:
    issued_at: float
    view_id: str | None
    used: bool = False


@dataclass
class _PendingFile:
    filename: str
    length: int
    content: bytes | None = None


@dataclass
class _Route:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@cache
def method_spec(method: str) -> dict[str, Any] | None:
    """Slack's published spec of a Web API method, or None when the fake does not know it."""
    path = SPECS / f"{method}.json"
    if not METHOD_NAME.match(method) or not path.is_file():
        return None
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


# ---------------------------------------------------------------------------------------------
# Block Kit validation


def block_problems(blocks: Any, *, limit: int) -> list[str]:
    """Why Slack would refuse this list of blocks (empty when it would accept it)."""
    if not isinstance(blocks, list):
        return ["blocks must be an array [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    seen: set[str] = set()
    for index, raw in enumerate(blocks):
        pointer = f"[json-pointer:/blocks/{index}]"
        problems += [f"{problem} {pointer}" for problem in one_block_problems(raw)]
        block_id = raw.get("block_id") if isinstance(raw, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                problems.append(f"duplicate block_id {block_id!r} {pointer}")
            seen.add(block_id)
    return problems


def one_block_problems(raw: Any) -> list[str]:
    """Why Slack would refuse one block: slack_sdk's checks first, then the ones it lacks."""
    if not isinstance(raw, dict):
        return ["a block must be an object"]
    try:
        block = Block.parse(raw)
        if block is None:
            return [f"unknown block type {raw.get('type')!r}"]
        # to_dict() runs validate_json() on the block and on every nested element and object.
        rendered = block.to_dict()
    except Exception as error:  # slack_sdk raises SlackObjectFormationError, TypeError, KeyError
        return [f"{type(error).__name__}: {error}"]
    if _contains_none(rendered):
        return ["unknown element type in block"]
    return _strict_text_problems(raw, parent_type=None)


def _contains_none(value: Any) -> bool:
    """slack_sdk turns elements it cannot parse into None instead of failing."""
    if isinstance(value, list):
        return any(item is None or _contains_none(item) for item in value)
    if isinstance(value, dict):
        return any(_contains_none(item) for item in value.values())
    return False


def _strict_text_problems(value: Any, *, parent_type: str | None) -> list[str]:
    """Rules slack_sdk forgives: empty text objects, strings or mrkdwn where plain_text is due."""
    problems: list[str] = []
    if isinstance(value, list):
        for item in value:
            problems += _strict_text_problems(item, parent_type=parent_type)
        return problems
    if not isinstance(value, dict):
        return problems
    kind = value.get("type")
    if kind in ("plain_text", "mrkdwn") and not (
        isinstance(value.get("text"), str) and value["text"]
    ):
        problems.append(f"{kind} text must be a non-empty string")
    if kind in ("actions", "context") and not value.get("elements"):
        problems.append(f"{kind} block needs at least one element")
    for key, item in value.items():
        must_be_plain = key in PLAIN_TEXT_KEYS or (
            key == "text" and kind in PLAIN_TEXT_TEXT_PARENTS
        )
        if must_be_plain and not (isinstance(item, dict) and item.get("type") == "plain_text"):
            problems.append(f"{key} of {kind} must be a plain_text object")
        problems += _strict_text_problems(item, parent_type=kind if isinstance(kind, str) else None)
    return problems


def view_problems(view: Any, *, kinds: Iterable[str]) -> list[str]:
    """Why Slack would refuse this view as a modal or Home tab of the given kinds."""
    if not isinstance(view, dict):
        return ["view must be a JSON object [json-pointer:/view]"]
    kinds = set(kinds)
    if view.get("type") not in kinds:
        return [f"view type must be one of {sorted(kinds)} [json-pointer:/view/type]"]
    problems = block_problems(view.get("blocks"), limit=VIEW_BLOCK_LIMIT)
    if view["type"] == "modal":
        problems += _modal_problems(view)
    try:
        View(**view).validate_json()
    except Exception as error:  # SlackObjectFormationError and friends
        problems.append(f"{type(error).__name__}: {error} [json-pointer:/view]")
    if len(json.dumps(view)) > VIEW_SIZE_LIMIT:
        problems.append("view is larger than 250kb")
    return problems


def _modal_problems(view: dict[str, Any]) -> list[str]:
    """A modal needs a short plain_text title, and a submit button when it has inputs."""
    problems: list[str] = []
    title = view.get("title")
    if not (isinstance(title, dict) and title.get("type") == "plain_text"):
        problems.append("a modal needs a plain_text title [json-pointer:/view/title]")
    elif len(str(title.get("text", ""))) > MODAL_TITLE_LIMIT:
        problems.append(f"title must be at most {MODAL_TITLE_LIMIT} characters")
    blocks = view["blocks"] if isinstance(view.get("blocks"), list) else []
    has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_inputs and not view.get("submit"):
        problems.append("submit is required when an input block is within the blocks array")
    return problems


def with_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as Slack stores them: every block gets a block_id, generated when missing."""
    result = []
    for index, block in enumerate(blocks):
        block = copy.deepcopy(block)
        if "block_id" not in block:
            digest = hashlib.sha1(f"{index}:{json.dumps(block, sort_keys=True)}".encode())
            block["block_id"] = base64.b32encode(digest.digest()).decode()[:5]
        result.append(block)
    return result


# ---------------------------------------------------------------------------------------------
# Request parsing


def parse_args(
    query: str, content_type: str, body: bytes, *, json_supported: bool
) -> tuple[dict[str, Any], str | None]:
    """Merge query, form and JSON arguments the way Slack does; return them and any token arg."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif media_type == "multipart/form-data":
        raise SlackError("invalid_form_data", "the fake Slack does not accept multipart bodies")
    token = args.pop("token", None)
    # Slack reads no token from a JSON body, and ignores JSON bodies on methods without JSON input.
    if media_type == "application/json" and body and json_supported:
        try:
            document = json.loads(body)
        except ValueError as error:
            raise SlackError("invalid_json", str(error)) from error
        if not isinstance(document, dict):
            raise SlackError("invalid_json", "the body must be a JSON object")
        args.update({k: v for k, v in document.items() if k != "token"})
    return {key: _decode_json_field(key, value) for key, value in args.items()}, token


def _decode_json_field(key: str, value: Any) -> Any:
    """Form fields such as blocks and view carry JSON; undecodable ones stay strings."""
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _as_int(value: Any) -> int | None:
    """An integer argument as sent by form (a string) or JSON (a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _as_bool(value: Any) -> bool:
    """A boolean argument: JSON true, or form "1"/"true"."""
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true"))


def _json_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The fake


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


class FakeSlack:
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

    @property
    def url(self) -> str:
        """The server's root, e.g. ``http://127.0.0.1:PORT``."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The Web API base URL in slack_sdk's format (trailing slash)."""
        return f"{self.url}/api/"

    # -- recordings ----------------------------------------------------------------------------

    def _clear(self) -> None:
        self._calls: list[Call] = []
        self._responses: list[dict[str, Any]] = []
        self._response_urls: dict[str, int] = {}
        self._failures: dict[str, list[_FailurePlan]] = {}
        self._faults = _Faults()
        self._rate_limits: _RateLimits | None = None
        self._triggers: dict[str, _Trigger] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._stacks: dict[str, list[str]] = {}
        self._home_ids: dict[str, str] = {}
        self._published_home: dict[str, dict[str, Any]] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._conversations: dict[str, dict[str, Any]] = {}
        self._pending_files: dict[str, _PendingFile] = {}
        self._uploads: list[Upload] = []
        self._last_ts = 0

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

    def open_modals(self, view_id: str) -> list[str]:
        """The stack of modal view ids that ``view_id`` belongs to (empty once closed)."""
        with self._lock:
            root = self._views.get(view_id, {}).get("root_view_id")
            return list(self._stacks.get(root, [])) if isinstance(root, str) else []

    # -- scenario set-up -----------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "Europe/London",
        tz_offset: int = 0,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        email: str | None = None,
    ) -> None:
        """Make a workspace member known to users.info, users.list and conversations.open."""
        name = name or user_id.lower()
        real_name = real_name or name.title()
        profile = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "email": email or f"{name}@example.com",
            "team": self.team_id,
        }
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
        }
        with self._lock:
            self._users[user_id] = user

    def user(self, user_id: str) -> dict[str, Any] | None:
        """A known user's record, or None."""
        with self._lock:
            found = self._users.get(user_id)
            return copy.deepcopy(found) if found is not None else None

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with HTTP ``status`` (or ``error``)."""
        with self._lock:
            plan = _FailurePlan(status=status, retry_after=retry_after, error=error, times=times)
            self._failures.setdefault(method, []).append(plan)

    def inject_faults(
        self,
        *,
        share: float,
        statuses: Iterable[int] = (429, 500, 503),
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
        seed: int = 0,
    ) -> None:
        """Answer a random ``share`` of calls (to ``methods``, or any) with one of ``statuses``.

        The failing calls change nothing, as when Slack answers 429 or 5xx before doing anything.
        """
        with self._lock:
            self._faults.share = share
            self._faults.statuses = tuple(statuses)
            self._faults.retry_after = retry_after
            self._faults.methods = frozenset(methods) if methods is not None else None
            self._faults.rng.seed(seed)

    def slow_down(
        self,
        *,
        delay: float,
        share: float = 1.0,
        late_answer: bool = False,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer a random ``share`` of calls (to ``methods``, or any) ``delay`` seconds late.

        By default Slack is slow to start (nothing happens until the delay is over); with
        ``late_answer`` it does the work at once and the answer is what arrives late.
        """
        with self._lock:
            self._faults.slow_share = share
            self._faults.delay = delay
            self._faults.late_answer = late_answer
            self._faults.slow_methods = frozenset(methods) if methods is not None else None

    def enforce_rate_limits(
        self,
        *,
        per_channel: float | None = 1.0,
        per_method: Mapping[str, float] | None = None,
        burst: float = 1.0,
    ) -> None:
        """Answer 429 with Retry-After to calls over Slack's limits (calls per second).

        ``per_channel`` is chat.postMessage's limit in one channel (Slack: about 1 per second);
        ``per_method`` a method's limit across the workspace (its tier). A test may scale them up
        to keep real waiting short; Retry-After is then fractional.
        """
        with self._lock:
            self._rate_limits = _RateLimits(per_channel, dict(per_method or {}), burst)

    def issue_trigger_id(self, *, view_id: str | None = None) -> str:
        """A fresh trigger_id, as Slack sends with an interaction (from a modal when view_id)."""
        with self._lock:
            trigger_id = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(issued_at=time.time(), view_id=view_id)
            return trigger_id

    def new_response_url(self) -> str:
        """A response_url whose POSTs are recorded in ``responses``."""
        with self._lock:
            url = f"{self.url}/response/{next(self._ids)}"
            self._response_urls[url] = 0
            return url

    # -- views as the user sees them (driven by SlackDriver) -----------------------------------

    def view(self, view_id: str) -> dict[str, Any]:
        """The view Slack holds under ``view_id``; AssertionError when there is none."""
        with self._lock:
            if view_id not in self._views:
                raise AssertionError(f"no view {view_id!r}; known views: {sorted(self._views)}")
            return copy.deepcopy(self._views[view_id])

    def apply_view_response(self, view_id: str, body: dict[str, Any]) -> None:
        """Do what Slack does with a view_submission acknowledgement (close, update, push…)."""
        action = body.get("response_action")
        with self._changed:
            if action is None:
                self._close_view(view_id)
            elif action == "clear":
                self._clear_stack(view_id)
            elif action in ("update", "push"):
                problems = view_problems(body.get("view"), kinds=["modal"])
                if problems:
                    raise AssertionError(f"Slack would refuse the {action} view: {problems}")
                if action == "update":
                    self._replace_view(view_id, body["view"])
                else:
                    self._push_view(view_id, body["view"])
            elif action == "errors":
                self._check_error_keys(view_id, body.get("errors"))
            else:
                raise AssertionError(f"Slack does not know response_action {action!r}")
            self._changed.notify_all()

    def _check_error_keys(self, view_id: str, errors: Any) -> None:
        inputs = {b.get("block_id") for b in self._views[view_id]["blocks"] if b["type"] == "input"}
        if not isinstance(errors, dict) or not errors or not set(errors) <= inputs:
            raise AssertionError(f"errors must name input blocks {sorted(inputs)}: {errors!r}")

    # -- HTTP routing --------------------------------------------------------------------------

    def _route(self, path: str, query: str, headers: dict[str, str], body: bytes) -> _Route:
        try:
            if path.startswith("/api/"):
                return self._api(path.removeprefix("/api/"), query, headers, body)
            if path.startswith("/upload/"):
                return self._receive_upload(path.removeprefix("/upload/"), body)
            if path.startswith("/response/"):
                return self._receive_response(path, headers, body)
            return _Route(404, b"not found")
        except Exception as error:  # a bug in the fake must show, not hang the bot
            logger.exception("fake Slack failed")
            return _Route(500, _json_bytes({"ok": False, "error": f"fake_slack_bug: {error!r}"}))

    def _api(self, method: str, query: str, headers: dict[str, str], body: bytes) -> _Route:
        lowered = {k.lower(): v for k, v in headers.items()}
        spec = method_spec(method)
        handler = getattr(self, f"_method_{method.replace('.', '_')}", None) if spec else None
        args: dict[str, Any] = {}
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
                self._authenticate(lowered.get("authorization"), token_arg)
                self._rate_limit(method, args)
                self._check_scope(spec)
                self._check_required(spec, args)
                status, response = 200, {"ok": True, **handler(args)}
                route = _Route(status, _json_bytes(response))
            except SlackError as refusal:
                status, response = refusal.status, refusal.body
                route = _Route(status, _json_bytes(response), self._error_headers(refusal))
            self._calls.append(Call(method, args, status, response))
            self._changed.notify_all()
        if delay and late:
            time.sleep(delay)
        route.headers["Content-Type"] = "application/json; charset=utf-8"
        return route

    def _delay(self, method: str) -> tuple[float, bool]:
        with self._lock:
            if self._faults.slows(method):
                return self._faults.delay, self._faults.late_answer
            return 0.0, False

    def _random_failure(self, method: str) -> None:
        if not self._faults.fails(method):
            return
        status = self._faults.rng.choice(self._faults.statuses)
        if status == 429:
            raise SlackError("ratelimited", status=429, retry_after=self._faults.retry_after)
        raise SlackError("internal_error" if status >= 500 else "request_failed", status=status)

    def _rate_limit(self, method: str, args: dict[str, Any]) -> None:
        if self._rate_limits is None:
            return
        wait = self._rate_limits.wait(method, args, time.monotonic())
        if wait:
            # Slack sends whole seconds; a scaled-down test limit needs finer ones.
            retry_after = math.ceil(wait) if wait >= 1 else math.ceil(wait * 1000) / 1000
            raise SlackError("ratelimited", status=429, retry_after=retry_after)

    @staticmethod
    def _error_headers(refusal: SlackError) -> dict[str, str]:
        if refusal.retry_after is None:
            return {}
        return {"Retry-After": str(refusal.retry_after)}

    def _planned_failure(self, method: str) -> None:
        plans = self._failures.get(method)
        if not plans:
            return
        plan = plans[0]
        plan.times -= 1
        if plan.times <= 0:
            plans.pop(0)
        if plan.status == 429:
            raise SlackError(plan.error or "ratelimited", status=429, retry_after=plan.retry_after)
        default = "internal_error" if plan.status >= 500 else "request_failed"
        raise SlackError(plan.error or default, status=plan.status)

    def _authenticate(self, authorization: str | None, token_arg: str | None) -> None:
        token = token_arg
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[len("bearer ") :].strip()
        if not token:
            raise SlackError("not_authed")
        if token != self.token:
            raise SlackError("invalid_auth")

    def _check_scope(self, spec: dict[str, Any]) -> None:
        needed: list[str] = spec.get("scope", {}).get("bot", [])
        # The spec lists alternatives (e.g. im:write or mpim:write); one of them is enough.
        if self.scopes is not None and needed and not self.scopes.intersection(needed):
            raise SlackError(
                "missing_scope", needed=",".join(needed), provided=",".join(sorted(self.scopes))
            )

    @staticmethod
    def _check_required(spec: dict[str, Any], args: dict[str, Any]) -> None:
        errors = spec.get("errors", {})
        for name in spec["args"].get("required", []):
            if name == "token" or args.get(name) not in (None, ""):
                continue
            preferred = MISSING_ARGUMENT_ERRORS.get(name)
            if preferred is not None and preferred in errors:
                raise SlackError(preferred, f"missing required field: {name}")
            fallback = "missing_argument" if "missing_argument" in errors else "invalid_arguments"
            raise SlackError(fallback, f"missing required field: {name}")
        for name, schema in spec["args"].get("properties", {}).items():
            value = args.get(name)
            if value is None or "type" not in schema:
                continue
            if schema["type"] == "integer" and _as_int(value) is None:
                raise SlackError("invalid_arguments", f"{name} must be an integer")
            if schema["type"] == "string" and not isinstance(value, str):
                raise SlackError("invalid_arguments", f"{name} must be a string")

    # -- ids and clocks ------------------------------------------------------------------------

    def _next_ts(self) -> str:
        """A message ts: unique and increasing even when tests freeze the clock."""
        micros = max(int(time.time() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def _new_hash(self) -> str:
        return f"{int(time.time())}.{next(self._ids):08x}"

    # -- users and conversations ---------------------------------------------------------------

    def _known_user(self, user_id: Any) -> dict[str, Any]:
        user = self._users.get(user_id) if isinstance(user_id, str) else None
        if user is None:
            raise SlackError("user_not_found", f"unknown user {user_id!r}")
        return user

    def _open_im(self, user_id: str) -> str:
        channel_id = "D" + user_id[1:]
        self._conversations.setdefault(
            channel_id,
            {"id": channel_id, "is_im": True, "is_private": True, "user": user_id, "created": 0},
        )
        return channel_id

    def _open_mpim(self, user_ids: list[str]) -> str:
        members = sorted({*user_ids, self.bot_user_id})
        digest = hashlib.sha1(",".join(members).encode()).hexdigest().upper()
        channel_id = f"G{digest[:10]}"
        name = "mpdm-" + "--".join(self._users[u]["name"] for u in members) + "-1"
        self._conversations.setdefault(
            channel_id,
            {
                "id": channel_id,
                "name": name,
                "is_mpim": True,
                "is_group": False,
                "is_private": True,
                "members": members,
                "created": 0,
            },
        )
        return channel_id

    def _resolve_channel(self, channel: Any, *, allow_user: bool = True) -> str:
        """A conversation id as Slack would resolve it; a user id means the bot's DM with them."""
        if isinstance(channel, str) and allow_user and USER_ID.match(channel):
            if channel in self._users:
                return self._open_im(channel)
        if isinstance(channel, str) and CONVERSATION_ID.match(channel):
            return channel
        raise SlackError("channel_not_found", f"no conversation {channel!r}")

    def _conversation(self, channel_id: str) -> dict[str, Any]:
        known = self._conversations.get(channel_id)
        if known is not None:
            return {**known, "context_team_id": self.team_id}
        # Any well-formed id the tests use is a conversation the bot can see.
        private = channel_id[0] != "C"
        return {
            "id": channel_id,
            "name": channel_id.lower(),
            "is_channel": not private,
            "is_group": channel_id[0] == "G",
            "is_im": channel_id[0] == "D",
            "is_mpim": False,
            "is_private": private,
            "is_archived": False,
            "created": 0,
            "context_team_id": self.team_id,
        }

    # -- message content -----------------------------------------------------------------------

    @staticmethod
    def _check_message(args: dict[str, Any], *, require_content: bool = True) -> None:
        """Refuse what Slack refuses in chat.* message arguments."""
        text, blocks = args.get("text"), args.get("blocks")
        if args.get("markdown_text") and (text or blocks):
            raise SlackError("markdown_text_conflict")
        if blocks is not None:
            if not isinstance(blocks, list):
                raise SlackError("invalid_blocks_format", "blocks must be a JSON array")
            problems = block_problems(blocks, limit=MESSAGE_BLOCK_LIMIT)
            if problems:
                raise SlackError("invalid_blocks", *problems)
        if text is not None and not isinstance(text, str):
            raise SlackError("invalid_arguments", "text must be a string")
        if text and len(text) > TEXT_LIMIT:
            raise SlackError("msg_too_long", f"text is longer than {TEXT_LIMIT} characters")
        has_content = text or blocks or args.get("attachments") or args.get("markdown_text")
        if require_content and not has_content:
            raise SlackError("no_text")

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": ts,
            "text": args.get("text") or "",
        }
        if args.get("blocks"):
            message["blocks"] = with_block_ids(args["blocks"])
        for key in ("attachments", "metadata", "thread_ts"):
            if args.get(key):
                message[key] = args[key]
        return message

    # -- Web API methods -----------------------------------------------------------------------

    def _method_auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://fake.slack.com/",
            "team": "Fake Workspace",
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _method_team_info(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "team": {
                "id": self.team_id,
                "name": "Fake Workspace",
                "domain": "fake",
                "email_domain": "example.com",
                "icon": {"image_default": True},
            }
        }

    def _method_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"user": copy.deepcopy(self._known_user(args["user"]))}

    def _method_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        limit = _as_int(args.get("limit")) or 0
        start = 0
        if args.get("cursor"):
            try:
                start = int(base64.b64decode(args["cursor"]).decode().removeprefix("user:"))
            except ValueError as error:
                raise SlackError("invalid_cursor") from error
        users = list(self._users.values())
        end = len(users) if limit <= 0 else start + limit
        next_cursor = base64.b64encode(f"user:{end}".encode()).decode() if end < len(users) else ""
        return {
            "members": copy.deepcopy(users[start:end]),
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _method_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            channel_id = self._resolve_channel(args["channel"], allow_user=False)
            return {"channel": self._conversation(channel_id)}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > MPIM_USER_LIMIT:
            raise SlackError("too_many_users")
        for user_id in users:
            if self._known_user(user_id)["deleted"]:
                raise SlackError("user_disabled", f"user {user_id} is deactivated")
        already = False
        if len(users) == 1:
            already = "D" + users[0][1:] in self._conversations
            channel_id = self._open_im(users[0])
        else:
            channel_id = self._open_mpim(users)
        channel = self._conversation(channel_id) if _as_bool(args.get("return_im")) else None
        answer: dict[str, Any] = {"channel": channel or {"id": channel_id}}
        if already:
            answer |= {"no_op": True, "already_open": True}
        return answer

    def _method_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._conversation(self._resolve_channel(args["channel"]))}

    def _method_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        self._check_message(args)
        ts = self._next_ts()
        message = self._message(args, ts)
        self._messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": copy.deepcopy(message)}

    def _method_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        self._check_message(args)
        user_id = args["user"]
        conversation = self._conversations.get(channel, {})
        members = conversation.get("members") or [conversation.get("user", user_id)]
        if user_id not in self._users or user_id not in members:
            raise SlackError("user_not_in_channel", f"{user_id!r} is not in {channel}")
        return {"message_ts": self._next_ts()}

    def _posted(self, args: dict[str, Any]) -> tuple[str, str]:
        channel = self._resolve_channel(args["channel"], allow_user=False)
        key = (channel, str(args["ts"]))
        if key not in self._messages:
            raise SlackError("message_not_found", f"no message {key[1]} in {channel}")
        return key

    def _method_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = self._posted(args)
        self._check_message(args, require_content=False)
        has_content = any(args.get(k) is not None for k in ("text", "blocks", "attachments"))
        if not has_content:
            raise SlackError("no_text")
        message = self._messages[key]
        # Slack keeps the blocks and attachments that an update leaves out.
        if args.get("text") is not None:
            message["text"] = args["text"]
        if args.get("blocks") is not None:
            message["blocks"] = with_block_ids(args["blocks"])
        if args.get("attachments") is not None:
            message["attachments"] = args["attachments"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": key[0],
            "ts": key[1],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _method_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        key = self._posted(args)
        del self._messages[key]
        return {"channel": key[0], "ts": key[1]}

    def _method_chat_scheduleMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        post_at = _as_int(args["post_at"])
        now = time.time()
        if post_at is None:
            raise SlackError("invalid_time")
        if post_at < now:
            raise SlackError("time_in_past")
        if post_at > now + SCHEDULE_HORIZON:
            raise SlackError("time_too_far")
        self._check_message(args)
        message = self._message(args, "") | {"type": "delayed_message"}
        del message["ts"]
        return {
            "channel": channel,
            "scheduled_message_id": self._new_id("Q"),
            "post_at": post_at,
            "message": message,
        }

    # -- views ---------------------------------------------------------------------------------

    def _check_view(self, view: Any, *, kinds: Iterable[str]) -> dict[str, Any]:
        if isinstance(view, str):
            raise SlackError("invalid_arguments", "view is not valid JSON [json-pointer:/view]")
        problems = view_problems(view, kinds=kinds)
        if problems:
            if any("250kb" in p for p in problems):
                raise SlackError("view_too_large")
            raise SlackError("invalid_arguments", *problems)
        assert isinstance(view, dict)
        return view

    def _valid_trigger(self, trigger_id: Any) -> _Trigger:
        trigger = self._triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise SlackError("invalid_trigger_id", f"unknown trigger_id {trigger_id!r}")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if time.time() - trigger.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        return trigger

    def _check_external_id(self, view: dict[str, Any], *, replacing: str | None = None) -> None:
        external_id = view.get("external_id")
        if not external_id:
            return
        for view_id, known in self._views.items():
            if known.get("external_id") == external_id and view_id != replacing:
                raise SlackError("duplicate_external_id")

    def _store_view(
        self, view: dict[str, Any], *, view_id: str, root: str, previous: str | None
    ) -> dict[str, Any]:
        stored = {
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": self.team_id,
            "blocks": with_block_ids(view["blocks"]),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": self._new_hash(),
            "root_view_id": root,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = stored
        return copy.deepcopy(stored)

    def _method_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._valid_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view = self._check_view(args["view"], kinds=["modal"])
        self._check_external_id(view)
        trigger.used = True
        view_id = self._new_id("V")
        self._stacks[view_id] = [view_id]
        return {"view": self._store_view(view, view_id=view_id, root=view_id, previous=None)}

    def _method_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._valid_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view = self._check_view(args["view"], kinds=["modal"])
        self._check_external_id(view)
        if trigger.view_id is None or not self.open_modals(trigger.view_id):
            raise SlackError("not_found", "views.push needs a trigger_id from an open modal")
        if len(self.open_modals(trigger.view_id)) >= PUSH_LIMIT:
            raise SlackError("push_limit_reached")
        trigger.used = True
        return {"view": self._push_view(trigger.view_id, view)}

    def _push_view(self, from_view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        root = self._views[from_view_id]["root_view_id"]
        stack = self._stacks[root]
        view_id = self._new_id("V")
        stored = self._store_view(view, view_id=view_id, root=root, previous=stack[-1])
        stack.append(view_id)
        return stored

    def _find_view(self, args: dict[str, Any]) -> str:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            matches = [v for v, d in self._views.items() if d["external_id"] == args["external_id"]]
            view_id = matches[0] if matches else None
        if not view_id:
            raise SlackError("invalid_arguments", "either view_id or external_id is required")
        if view_id not in self._views:
            raise SlackError("not_found", f"no view {view_id!r}")
        return str(view_id)

    def _method_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = self._find_view(args)
        current = self._views[view_id]
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view(args["view"], kinds=[current["type"]])
        self._check_external_id(view, replacing=view_id)
        return {"view": self._replace_view(view_id, view)}

    def _replace_view(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        current = self._views[view_id]
        stored = self._store_view(
            view,
            view_id=view_id,
            root=current["root_view_id"],
            previous=current["previous_view_id"],
        )
        if stored["type"] == "home":
            self._published_home[self._home_owner(view_id)] = copy.deepcopy(stored)
        return stored

    def _home_owner(self, view_id: str) -> str:
        return next(user for user, home_id in self._home_ids.items() if home_id == view_id)

    def _method_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args["user_id"]
        # The spec names no user error for views.publish, so only a malformed id is refused.
        if not (isinstance(user_id, str) and USER_ID.match(user_id)):
            raise SlackError("invalid_arguments", f"user_id {user_id!r} is not a user id")
        view = self._check_view(args["view"], kinds=["home"])
        current = self._published_home.get(user_id)
        if args.get("hash") and (current is None or args["hash"] != current["hash"]):
            raise SlackError("hash_conflict")
        view_id = self._home_ids.setdefault(user_id, self._new_id("V"))
        self._check_external_id(view, replacing=view_id)
        stored = self._store_view(view, view_id=view_id, root=view_id, previous=None)
        self._published_home[user_id] = copy.deepcopy(stored)
        return {"view": stored}

    def _close_view(self, view_id: str) -> None:
        """The user's modal closes: the top view is popped off its stack."""
        root = self._views[view_id]["root_view_id"]
        stack = self._stacks.get(root, [])
        if view_id in stack:
            stack.remove(view_id)
        if not stack:
            self._stacks.pop(root, None)

    def _clear_stack(self, view_id: str) -> None:
        self._stacks.pop(self._views[view_id]["root_view_id"], None)

    # -- files ---------------------------------------------------------------------------------

    def _method_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        length = _as_int(args["length"])
        if not length or length <= 0:
            raise SlackError("missing_argument", "length must be a positive integer")
        file_id = self._new_id("F")
        self._pending_files[file_id] = _PendingFile(filename=str(args["filename"]), length=length)
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _receive_upload(self, file_id: str, body: bytes) -> _Route:
        with self._changed:
            pending = self._pending_files.get(file_id)
            if pending is None:
                return _Route(404, b"unknown upload")
            if len(body) != pending.length:
                return _Route(400, f"expected {pending.length} bytes, got {len(body)}".encode())
            pending.content = body
            return _Route(200, f"OK - {len(body)}".encode())

    def _method_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args["files"]
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments", "files must be a non-empty JSON array")
        channel = args.get("channel_id") or None
        if channel is not None:
            channel = self._resolve_channel(channel, allow_user=False)
        if args.get("blocks") is not None:
            if block_problems(args["blocks"], limit=MESSAGE_BLOCK_LIMIT):
                raise SlackError("invalid_blocks")
        ready = [self._uploaded(entry) for entry in files]
        answer = []
        for file_id, pending, title in ready:
            del self._pending_files[file_id]
            assert pending.content is not None
            self._uploads.append(
                Upload(
                    file_id=file_id,
                    filename=pending.filename,
                    title=title,
                    content=pending.content,
                    channel_id=channel,
                    initial_comment=args.get("initial_comment") or None,
                    thread_ts=args.get("thread_ts") or None,
                )
            )
            answer.append({"id": file_id, "title": title, "name": pending.filename})
        return {"files": answer}

    def _uploaded(self, entry: Any) -> tuple[str, _PendingFile, str]:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        pending = self._pending_files.get(file_id) if isinstance(file_id, str) else None
        if file_id is None or pending is None or pending.content is None:
            raise SlackError("file_not_found", f"no uploaded file {file_id!r}")
        return file_id, pending, str(entry.get("title") or pending.filename)

    # -- response_url --------------------------------------------------------------------------

    def _receive_response(self, path: str, headers: dict[str, str], body: bytes) -> _Route:
        url = f"{self.url}{path}"
        with self._changed:
            if url not in self._response_urls:
                return _Route(404, b"no_active_hooks")
            if self._response_urls[url] >= RESPONSE_URL_USES:
                return _Route(404, b"used_url")
            content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
            try:
                document = json.loads(body) if "json" in content_type else None
            except ValueError:
                document = None
            if not isinstance(document, dict):
                return _Route(400, b"invalid_payload")
            refusal = self._response_problem(document)
            if refusal:
                return _Route(400, refusal.encode())
            self._response_urls[url] += 1
            self._responses.append({**document, "_url": url})
            self._changed.notify_all()
            return _Route(200, b"ok")

    @staticmethod
    def _response_problem(document: dict[str, Any]) -> str | None:
        if _as_bool(document.get("delete_original")):
            return None
        blocks = document.get("blocks")
        if blocks is not None and block_problems(blocks, limit=MESSAGE_BLOCK_LIMIT):
            return "invalid_blocks"
        if not (document.get("text") or blocks or document.get("attachments")):
            return "no_text"
        return None
