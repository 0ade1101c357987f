"""The request's caller (store.callers), kept in Bolt's context for the listeners.

The HTTP front reads it with the signature (signatures.admit); Socket Mode has no such front, so
the envelope's middleware looks it up. Listeners use it for what needs no transaction: whether
to list the owners' commands, whether someone who asks for their status has joined at all.
"""

from typing import Any

from bot.store.callers import NOBODY, Caller

KEY = "caller"


def of(context: dict[str, Any]) -> Caller:
    """The caller the middleware put in the context (nobody, for an anonymous submission)."""
    found = context.get(KEY)
    return found if isinstance(found, Caller) else NOBODY
