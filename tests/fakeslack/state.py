"""What the fake Slack holds between calls: the recorded calls, failure plans, and the state
every method family shares (users, conversations, messages, views, files)."""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

CONVERSATION_ID = re.compile(r"^[CDG][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake saw and answered it."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    # The workspace whose token made the call (None when it had no valid token).
    team_id: str | None = None

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


@dataclass(frozen=True)
class HostedFile:
    """A file someone shared in Slack (e.g. in a modal's file_input), as files.info sees it."""

    file_id: str
    name: str
    content: bytes
    user_id: str
    filetype: str = "csv"
    mimetype: str = "text/csv"
    redirect_to: str | None = None  # a download answered with a redirect there, token or not


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
class FailurePlan:
    status: int
    retry_after: int | None
    error: str | None
    times: int


@dataclass
class Faults:
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
class Bucket:
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
class RateLimits:
    """Slack's limits: chat.postMessage per channel, and each method per workspace."""

    per_channel: float | None
    per_method: Mapping[str, float]
    burst: float
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def _bucket(self, key: str, rate: float, now: float) -> Bucket:
        return self.buckets.setdefault(key, Bucket(rate, self.burst, self.burst, now))

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
class Trigger:
    issued_at: float
    view_id: str | None
    used: bool = False


@dataclass
class PendingFile:
    filename: str
    length: int
    content: bytes | None = None


@dataclass
class Route:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class SlackState:
    """The fake's state, declared once for the method families that FakeSlack is made of."""

    token: str
    team_id: str
    bot_user_id: str
    bot_id: str
    app_id: str
    scopes: frozenset[str] | None
    trigger_ttl: float
    _lock: threading.RLock
    _changed: threading.Condition
    _server: ThreadingHTTPServer | None
    _users: dict[str, dict[str, Any]]
    _ids: itertools.count[int]
    _calls: list[Call]
    _responses: list[dict[str, Any]]
    _response_urls: dict[str, int]
    # The stored message a response_url's interaction came from: replace_original changes it.
    _response_sources: dict[str, tuple[str, str]]
    _failures: dict[str, list[FailurePlan]]
    _faults: Faults
    _rate_limits: RateLimits | None
    _triggers: dict[str, Trigger]
    _views: dict[str, dict[str, Any]]
    _stacks: dict[str, list[str]]
    _home_ids: dict[str, str]
    _published_home: dict[str, dict[str, Any]]
    _messages: dict[tuple[str, str], dict[str, Any]]
    _conversations: dict[str, dict[str, Any]]
    _pending_files: dict[str, PendingFile]
    _uploads: list[Upload]
    _hosted: dict[str, HostedFile]
    _last_ts: int
    # The workspace of the call being answered, for methods that say who the caller is.
    _caller_team: str

    def _team_of_token(self, token: str) -> str:
        """The workspace a token belongs to (OAuthMethods answers it)."""
        raise NotImplementedError

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
