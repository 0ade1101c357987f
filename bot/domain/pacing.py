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
    """How far apart calls must be: to one channel, and of one method."""

    channel_gap: timedelta = timedelta(seconds=1)
    method_gaps: Mapping[str, timedelta] = field(default_factory=tier_gaps)


class Pacer:
    """Remembers when each channel and method is next free; the caller's clock gives the times."""

    def __init__(self, pace: Pace) -> None:
        self._pace = pace
        self._channel_free: dict[str, datetime] = {}
        self._method_free: dict[str, datetime] = {}

    def ready_at(self, *, channel: str | None, method: str, now: datetime) -> datetime:
        """The earliest time a call of `method` to `channel` may go (`now` if already free)."""
        free = [now, self._method_free.get(method, now)]
        if channel is not None:
            free.append(self._channel_free.get(channel, now))
        return max(free)

    def called(self, *, channel: str | None, method: str, at: datetime) -> None:
        """A call went out at `at`: its channel and method are busy for their gaps."""
        if channel is not None:
            self._channel_free[channel] = at + self._pace.channel_gap
        gap = self._pace.method_gaps.get(method)
        if gap is not None:
            self.hold(method=method, until=at + gap)

    def hold(self, *, method: str, until: datetime) -> None:
        """Slack said wait (429 Retry-After): no call of `method` before `until`."""
        self._method_free[method] = max(until, self._method_free.get(method, until))
