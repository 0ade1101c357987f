"""The envelope of a Slack request: the parts Bolt and the listeners rely on, checked up front.

Slack always sends these; a body without them was not sent by Slack (or was forged by someone
holding the signing secret), so it is refused before any listener reads it. What is inside the
envelope (a button's value, a modal's metadata and inputs) is the listeners' to judge.
"""

import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.request.internals import extract_enterprise_id, extract_is_enterprise_install

from bot.domain.slack_ids import is_enterprise_id, is_team_id, is_user_id
from bot.slack.core.ids import Action

MAX_ID = 255
MAX_EVENT_ID = 64
# Row ids are PostgreSQL integers: a larger one in a button or metadata fails the query itself.
MAX_ROW_ID = 2**31 - 1
_LOGGABLE_ID = re.compile(r"^[A-Za-z0-9_./:-]{1,64}$")
INTERACTIVE = frozenset({"block_actions", "view_submission", "view_closed"})
# Buttons that only ever appear in messages; Slack sends a click on them with a response_url,
# which their listeners answer through.
IN_MESSAGES = frozenset(
    {
        Action.LEAVE_CONFIRM,
        Action.LEAVE_CANCEL,
        Action.ROUND_CONFIRM,
        Action.ROUND_CANCEL,
        Action.CONSENT_ACCEPT,
        Action.CONSENT_DECLINE,
        Action.STILL_IN,
        Action.STILL_IN_PAUSE,
        Action.STILL_IN_LEAVE,
    }
)


@dataclass(frozen=True)
class Who:
    """The Slack ids a request carries, for logs: never any text a person typed."""

    kind: str
    name: str | None
    team: str | None
    user: str | None


def _is_id(value: object, limit: int = MAX_ID) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _optional_text(container: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(container.get(key, ""), str) for key in keys)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _command_problem(body: dict[str, Any]) -> str | None:
    if not _is_id(body.get("command")) or not all(
        check(body.get(key)) for key, check in (("team_id", is_team_id), ("user_id", is_user_id))
    ):
        return "command without its command, team or user"
    # Slack posts commands as a form, so every field is text.
    if not all(isinstance(value, str) for value in body.values()):
        return "command with a field that is not text"
    return None


def _interactive_problem(body: dict[str, Any]) -> str | None:
    user, team = body.get("user"), body.get("team")
    if not isinstance(user, dict) or not is_user_id(user.get("id")):
        return "interaction without a user"
    if not (
        is_team_id(user.get("team_id")) or (isinstance(team, dict) and is_team_id(team.get("id")))
    ):
        return "interaction without a team"
    if not _optional_text(body, "trigger_id", "response_url"):
        return "interaction with a trigger or response url that is not text"
    if body["type"] == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block action without actions"
        if not all(isinstance(a, dict) and _is_id(a.get("action_id")) for a in actions):
            return "block action without an action id"
        if not all(_optional_text(a, "block_id") for a in actions):
            return "block action with a block id that is not text"
        if not _is_id(body.get("trigger_id")):
            return "block action without a trigger id"
        if actions[0]["action_id"] in IN_MESSAGES and not body.get("response_url"):
            return "click on a message button without a response url"
        return None
    view = body.get("view")
    if not isinstance(view, dict) or not _is_id(view.get("type")):
        return "view without a type"
    if not _is_id(view.get("callback_id")) or not _optional_text(view, "private_metadata", "id"):
        return "view without a callback id"
    return None


def tidy_view_state(body: dict[str, Any]) -> None:
    """Keep only the `{block_id: {action_id: {...}}}` entries of a view's state, in place.

    Slack's state always has that shape, and the modal readers rely on it; what each element
    holds is theirs to judge.
    """
    view = body.get("view")
    if not isinstance(view, dict):
        return
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    tidy = {
        block_id: {k: v for k, v in actions.items() if isinstance(v, dict)}
        for block_id, actions in (values.items() if isinstance(values, dict) else [])
        if isinstance(actions, dict)
    }
    view["state"] = {"values": tidy}


def _event_problem(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not is_team_id(body.get("team_id")) or not _is_id(body.get("event_id"), MAX_EVENT_ID):
        return "event without a team or an event id"
    if not isinstance(event, dict) or not _is_id(event.get("type")):
        return "event without a type"
    if "user" in event and not is_user_id(event["user"]):
        return "event with a user that is not an id"
    return None


def _org_wide(body: dict[str, Any]) -> bool:
    return bool(extract_is_enterprise_install(body))


def problem(body: dict[str, Any]) -> str | None:
    """Why this body cannot be a Slack request, or None when its envelope is sound."""
    if _org_wide(body) and not is_enterprise_id(extract_enterprise_id(body)):
        return "org-wide request without its organisation"
    if "command" in body:
        return _command_problem(body)
    kind = body.get("type")
    if kind in INTERACTIVE:
        return _interactive_problem(body)
    if kind == "event_callback":
        return _event_problem(body)
    return None  # anything else Bolt leaves unhandled (404), or answers itself (url_verification)


def workspace(body: dict[str, Any]) -> str | None:
    """The workspace a request comes from (`T…`), read without trusting the body's shape."""
    if "command" in body or body.get("type") == "event_callback":
        return _loggable(body.get("team_id"))
    # The workspace the click or submission happened in; an org-wide install's payloads may
    # carry no team, and then the person's own workspace is the one.
    user, team = _dict(body.get("user")), _dict(body.get("team"))
    return _loggable(team.get("id") or user.get("team_id"))


def home(body: dict[str, Any]) -> str | None:
    """The installation a request's data is kept under: its organisation (`E…`) when Upward is
    installed org-wide on Enterprise Grid, else its workspace.

    Grid user ids are the same in every workspace of the organisation, so keying by it makes a
    person in two of its workspaces one participant, with one pair history.
    """
    if _org_wide(body):
        enterprise = extract_enterprise_id(body)
        return enterprise if is_enterprise_id(enterprise) else None
    return workspace(body)


def _loggable(value: object) -> str | None:
    """An id fit for a log line; anything else (text, odd types) is left out."""
    return value if isinstance(value, str) and _LOGGABLE_ID.match(value) else None


def who(body: dict[str, Any]) -> Who:
    """The request's kind and Slack ids, read without trusting the body's shape."""
    team = home(body)
    if "command" in body:
        ids = (body.get("command"), team, body.get("user_id"))
        return Who("command", *(_loggable(v) for v in ids))
    kind = _loggable(body.get("type")) or "unknown"
    user, event = _dict(body.get("user")), _dict(body.get("event"))
    if kind == "event_callback":
        ids = (event.get("type"), team, event.get("user"))
        return Who("event", *(_loggable(v) for v in ids))
    actions = body.get("actions")
    first = _dict(actions[0]) if isinstance(actions, list) and actions else {}
    name = first.get("action_id") or _dict(body.get("view")).get("callback_id")
    ids = (name, team, user.get("id"))
    return Who(kind, *(_loggable(v) for v in ids))
