"""The shape of Slack ids: a kind letter, then 2 to 20 upper-case letters or digits (pure).

Slack asks apps not to assume a fixed length, so only the alphabet and a generous bound are
checked: enough to refuse a mention (`<!channel>`), a list's text, or a 40-character string
before it is stored or reaches a column sized for real ids.
"""

import re

_BODY = "[A-Z0-9]{2,20}"
_USER = re.compile(f"[UW]{_BODY}")
_TEAM = re.compile(f"T{_BODY}")
_ENTERPRISE = re.compile(f"E{_BODY}")
_CHANNEL = re.compile(f"[CDG]{_BODY}")


def _fits(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def is_user_id(value: object) -> bool:
    """A person's id: `U…`, or `W…` on Enterprise Grid."""
    return _fits(_USER, value)


def is_team_id(value: object) -> bool:
    """A workspace's id: `T…`."""
    return _fits(_TEAM, value)


def is_enterprise_id(value: object) -> bool:
    """An Enterprise Grid organisation's id: `E…`."""
    return _fits(_ENTERPRISE, value)


def is_channel_id(value: object) -> bool:
    """A conversation's id: a channel `C…`, a DM `D…` or a private or group DM `G…`."""
    return _fits(_CHANNEL, value)
