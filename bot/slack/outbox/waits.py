"""How long the outbox waits before sending a call again."""

from datetime import timedelta

MAX_BACKOFF = timedelta(minutes=30)
# Slack always sends Retry-After with a 429; this is for a proxy that drops it.
DEFAULT_RETRY_AFTER = timedelta(seconds=30)
# A Retry-After of 0 must not turn into a tight loop against Slack.
MIN_RETRY_AFTER = timedelta(milliseconds=10)


def backoff(attempts: int) -> timedelta:
    """Exponential wait after a server error: 30 s, 1 min, 2 min … at most 30 min."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def retry_after(headers: dict[str, object]) -> timedelta:
    """How long Slack asked us to wait (seconds, possibly fractional from a scaled fake)."""
    value = headers.get("Retry-After", headers.get("retry-after"))
    if isinstance(value, list):  # some HTTP layers give every header as a list
        value = value[0] if value else None
    try:
        wait = timedelta(seconds=float(str(value)))
    except (ValueError, OverflowError):
        return DEFAULT_RETRY_AFTER
    return max(wait, MIN_RETRY_AFTER)
