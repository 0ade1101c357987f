"""Pacing Slack calls: how soon the next call to a channel, or of a method, may go."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

# Slack's published tiers: calls per minute per method and workspace (docs: rate limits).
TIER_PER_MINUTE = MappingProxyType({"t1": 1, "t2": 20, "t3": 50, "t4": 100})
# Tiers of the methods the outbox may call; chat.postMessage is "special": about one message per
# second per channel, which `Pace.channel_gap` covers.
METHOD_TIERS = MappingProxyType(
    {
        "chat.update": "t3",
        "chat.delete": "t3",
        "chat.postEphemeral": "t4",
        "conversations.open": "t3",
        "views.publish": "t4",
    }
)


def tier_gaps() -> dict[str, timedelta]:
    """The least time between two calls of each tiered method."""
    minute = timedelta(minutes=1)
    return {method: minute / TIER_PER_MINUTE[tier] for method, tier in METHOD_TIERS.items()}


@dataclass(frozen=True)
class Pace:
    """How far apart calls must be, on average: to one channel, and of one method.

    `burst` calls may go back to back, as Slack allows short bursts; a pass that fell behind
    (a slow answer, a late wake-up) then catches up instead of carrying the delay forward.
    """

    channel_gap: timedelta = timedelta(seconds=1)
    method_gaps: Mapping[str, timedelta] = field(default_factory=tier_gaps)
    burst: int = 1


class _Schedule:
    """A generic cell rate schedule: one call per `gap` on average, `burst` at once at most."""

    def __init__(self, gap: timedelta, burst: int) -> None:
        self._gap = gap
        self._tolerance = gap * (burst - 1)
        self._due: dict[str, datetime] = {}  # when the next call would be on time

    def ready(self, key: str, *, now: datetime) -> datetime:
        due = self._due.get(key)
        return now if due is None else max(now, due - self._tolerance)

    def called(self, key: str, *, at: datetime) -> None:
        self._due[key] = max(self._due.get(key, at), at) + self._gap


class Pacer:
    """Remembers when each channel and method is next free; the caller's clock gives the times."""

    def __init__(self, pace: Pace) -> None:
        self._channels = _Schedule(pace.channel_gap, pace.burst)
        self._methods = {m: _Schedule(gap, pace.burst) for m, gap in pace.method_gaps.items()}
        self._held: dict[str, datetime] = {}

    def ready_at(self, *, channel: str | None, method: str, now: datetime) -> datetime:
        """The earliest time a call of `method` to `channel` may go (`now` if already free)."""
        return max(self.channel_ready(channel, now=now), self.method_ready(method, now=now))

    def channel_ready(self, channel: str | None, *, now: datetime) -> datetime:
        """The earliest time anything may be posted to `channel`."""
        return now if channel is None else self._channels.ready(channel, now=now)

    def method_ready(self, method: str, *, now: datetime) -> datetime:
        """The earliest time `method` may be called, whatever the channel."""
        schedule = self._methods.get(method)
        ready = now if schedule is None else schedule.ready(method, now=now)
        return max(ready, self._held.get(method, ready))

    def called(self, *, channel: str | None, method: str, at: datetime) -> None:
        """A call went out at `at`: its channel and method are busy for their gaps."""
        if channel is not None:
            self._channels.called(channel, at=at)
        if method in self._methods:
            self._methods[method].called(method, at=at)

    def hold(self, *, method: str, until: datetime) -> None:
        """Slack said wait (429 Retry-After): no call of `method` before `until`."""
        self._held[method] = max(until, self._held.get(method, until))
