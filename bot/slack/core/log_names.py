"""How logs name a request's person: a pseudonym kept on their participant row, never their
Slack id; and nobody at all for an anonymous submission."""

from typing import Any

from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.envelope import Who
from bot.slack.core.ids import Action, Callback
from bot.store import callers

# Submissions stored without a name: their logs carry the kind and the name only.
ANONYMOUS = frozenset({Callback.CHECKIN, Callback.CLOSING, Callback.CONCERN})
VIEWS = frozenset({"view_submission", "view_closed"})
NOBODY = "-"  # someone who has not joined, or no user at all
USER = "log_user"  # the request context's key for the pseudonym
HIDDEN = "log_anonymous"  # set when the request must not be tied to anyone


# What opens those forms: a line naming the person just before the submission would tie the two.
OPENERS = frozenset({Action.CHECKIN_OPEN, Action.CLOSING_SURVEY, Action.RAISE_CONCERN})
COMMANDS = frozenset({"concern"})


def anonymous(who: Who, body: dict[str, Any]) -> bool:
    """Whether the request is an anonymous submission, or opens the form for one."""
    if who.kind in VIEWS:
        return who.name in ANONYMOUS
    if who.kind == "block_actions":
        return who.name in OPENERS
    if who.kind == "command":
        text = body.get("text")
        words = text.split(maxsplit=1) if isinstance(text, str) else []
        return bool(words) and words[0].casefold() in COMMANDS
    return False


def pseudonym(runtime: Runtime, team: str | None, user: str | None) -> str:
    """The person's log id, or `-` when they have not joined."""
    return callers.look_up(engine=runtime.reader, team=team, user=user).log_id or NOBODY


def context_for(runtime: Runtime | None, body: dict[str, Any]) -> dict[str, Any]:
    """What the middleware would have put in the context, for work done after the ack.

    Without a runtime the person is `-`: never their Slack id.
    """
    who = envelope.who(body)
    if anonymous(who, body):
        return {HIDDEN: True}
    return {USER: pseudonym(runtime, who.team, who.user) if runtime else NOBODY}


def of(context: dict[str, Any] | None) -> str:
    """The pseudonym the middleware put in the request's context."""
    return str((context or {}).get(USER, NOBODY))


def hidden(context: dict[str, Any] | None) -> bool:
    """Whether the request's logs must not name anyone, nor its team."""
    return bool((context or {}).get(HIDDEN))
