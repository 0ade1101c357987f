"""Plays Slack's side of the bot's HTTP endpoint: signed commands, clicks, submissions, events.

Payloads are built from what the fake Slack really holds (views the bot opened, messages it
posted), and the driver refuses to simulate what no Slack user could do, such as clicking a button
that is not there or submitting a modal with a required input left empty.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import http.client
import json
import secrets
import select
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fakeslack.blocks import block_problems
from tests.fakeslack.server import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
REQUEST_TIMEOUT = 10.0
COMMAND_CHANNEL = "D0CMD"
EARLY_ANSWER_SIZE = 256 * 1024  # bodies this large wait briefly for an early refusal
EARLY_ANSWER_WAIT = 0.5

# What an untouched input reports in view.state.values, by element type.
EMPTY_STATE: dict[str, dict[str, Any]] = {
    "plain_text_input": {"value": None},
    "email_text_input": {"value": None},
    "url_text_input": {"value": None},
    "number_input": {"value": None},
    "static_select": {"selected_option": None},
    "external_select": {"selected_option": None},
    "radio_buttons": {"selected_option": None},
    "multi_static_select": {"selected_options": []},
    "multi_external_select": {"selected_options": []},
    "checkboxes": {"selected_options": []},
    "file_input": {"files": []},
    "users_select": {"selected_user": None},
    "multi_users_select": {"selected_users": []},
    "conversations_select": {"selected_conversation": None},
    "multi_conversations_select": {"selected_conversations": []},
    "channels_select": {"selected_channel": None},
    "datepicker": {"selected_date": None},
    "timepicker": {"selected_time": None},
}
SINGLE_OPTION = frozenset({"static_select", "radio_buttons"})
MULTI_OPTION = frozenset({"multi_static_select", "checkboxes"})


@dataclass(frozen=True)
class Response:
    """What the bot answered: status, headers and body text."""

    status: int
    headers: dict[str, str]
    body: str
    elapsed: float = 0.0

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def sign(signing_secret: str, body: bytes, timestamp: int) -> str:
    """Slack's request signature: ``v0=`` HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def plain(text: str) -> dict[str, Any]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text, "emoji": True}


def iter_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every interactive element in blocks, with the block_id it sits in."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        candidates = [block.get("accessory"), block.get("element"), *block.get("elements", [])]
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield block_id, element


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """An element's options, flattening option groups."""
    options: list[dict[str, Any]] = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    return options


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    """The element's option with this value, as Slack echoes it back."""
    for option in options_of(element):
        if option.get("value") == value:
            return copy.deepcopy(option)
    raise AssertionError(f"{element.get('action_id')!r} has no option {value!r}")


def _has_value(state: dict[str, Any]) -> bool:
    return any(v not in (None, [], "") for k, v in state.items() if k != "type")


class SlackDriver:
    """Posts signed requests to the bot's ``/slack/events`` as Slack would."""

    def __init__(
        self,
        *,
        bot_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        api_app_id: str = "A0TEST",
        org_wide: bool = False,
    ) -> None:
        self.url = bot_url.rstrip("/") + "/slack/events"
        self.signing_secret = signing_secret
        self.fake = fake
        self.team_id = team_id or fake.team_id
        # Enterprise Grid: payloads carry the workspace's organisation; `org_wide` when the app
        # is installed for the whole organisation (then authorizations name no team).
        self.enterprise_id = fake.org_of(self.team_id)
        self.org_wide = org_wide
        assert not org_wide or self.enterprise_id, "an org-wide install needs an organisation"
        self.api_app_id = api_app_id
        self.verification_token = "fake-verification-token"  # legacy field; bots must not trust it

    # -- transport -----------------------------------------------------------------------------

    def post_raw(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        sign: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """POST any body; sign it unless told not to or given a signature (for hostile tests)."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if sign or timestamp is not None or signature is not None:
            timestamp = int(time.time()) if timestamp is None else timestamp
            all_headers["X-Slack-Request-Timestamp"] = str(timestamp)
        if signature is None and sign and timestamp is not None:
            signature = self.sign(body, timestamp)
        if signature is not None:
            all_headers["X-Slack-Signature"] = signature
        return self._send(body, all_headers)

    def sign(self, body: bytes, timestamp: int) -> str:
        """The signature Slack would send for this body and timestamp."""
        return sign(self.signing_secret, body, timestamp)

    def _send(self, body: bytes, headers: dict[str, str]) -> Response:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT
        )
        started = time.monotonic()
        try:
            connection.putrequest("POST", parts.path or "/")
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                connection.putheader(name, value)
            connection.endheaders()
            if not self._answered_early(connection, len(body)):
                connection.send(body)
            with connection.getresponse() as answer:
                text = answer.read().decode("utf-8", "replace")
                return Response(
                    answer.status, dict(answer.getheaders()), text, self._since(started)
                )
        finally:
            connection.close()

    @staticmethod
    def _answered_early(connection: http.client.HTTPConnection, size: int) -> bool:
        """Whether the server answered on the headers alone (say, 413 for a huge body).

        Like curl's ``Expect: 100-continue`` wait: a server that refuses early and closes while
        a large body is still streaming resets the connection, and its answer would be lost.
        """
        if size < EARLY_ANSWER_SIZE or connection.sock is None:
            return False
        readable, _, _ = select.select([connection.sock], [], [], EARLY_ANSWER_WAIT)
        return bool(readable)

    @staticmethod
    def _since(started: float) -> float:
        return time.monotonic() - started

    def _post_form(self, fields: dict[str, str], headers: dict[str, str] | None = None) -> Response:
        return self.post_raw(urlencode(fields).encode(), content_type=FORM, headers=headers)

    def _post_payload(self, payload: dict[str, Any]) -> Response:
        return self._post_form({"payload": json.dumps(payload)})

    # -- common payload parts ------------------------------------------------------------------

    def _user_name(self, user_id: str) -> str:
        user = self.fake.user(user_id)
        return str(user["name"]) if user else user_id.lower()

    def _user(self, user_id: str) -> dict[str, Any]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _team(self) -> dict[str, Any]:
        team = {"id": self.team_id, "domain": "fake"}
        return team | ({"enterprise_id": self.enterprise_id} if self.enterprise_id else {})

    def _enterprise(self) -> dict[str, Any]:
        """The interaction payloads' Enterprise Grid fields."""
        enterprise = {"id": self.enterprise_id, "name": "Org"} if self.enterprise_id else None
        return {"enterprise": enterprise, "is_enterprise_install": self.org_wide}

    # -- slash commands ------------------------------------------------------------------------

    def command(
        self,
        user_id: str,
        text: str = "",
        *,
        command: str = "/mentoring",
        channel_id: str = COMMAND_CHANNEL,
    ) -> Response:
        """Run a slash command; an acknowledgement with blocks Slack would refuse fails."""
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": "fake",
            "channel_id": channel_id,
            "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "true" if self.org_wide else "false",
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "response_url": self.fake.new_response_url(),
            "trigger_id": self.fake.issue_trigger_id(),
        }
        response = self._post_form(fields)
        self._check_message_ack(response)
        return response

    @staticmethod
    def _check_message_ack(response: Response) -> None:
        """Slack shows an error instead of an acknowledgement message it cannot render."""
        if response.status != 200 or not response.body.strip().startswith("{"):
            return
        blocks = response.json().get("blocks")
        problems = block_problems(blocks, limit=50) if blocks is not None else []
        if problems:
            raise AssertionError(f"Slack would refuse the acknowledgement's blocks: {problems}")

    # -- block actions -------------------------------------------------------------------------

    def click(
        self,
        user_id: str,
        *,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        selected_option: dict[str, Any] | None = None,
        view_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> Response:
        """Click a button or pick an option in a view (view_id) or a message (channel_id)."""
        if view_id is not None:
            source = self._view_source(view_id)
        else:
            # Without a channel, the click is in the ephemeral reply to a slash command.
            source = self._message_source(channel_id or COMMAND_CHANNEL, message_ts)
        blocks = source.pop("_blocks")
        action = self._action(blocks, action_id, block_id, value, selected_option)
        payload = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "trigger_id": self.fake.issue_trigger_id(view_id=view_id),
            "team": self._team(),
            **self._enterprise(),
            "state": {"values": {}},
            "actions": [action],
            **source,
        }
        return self._post_payload(payload)

    def _view_source(self, view_id: str) -> dict[str, Any]:
        view = self.fake.view(view_id)
        return {
            "container": {"type": "view", "view_id": view_id},
            "view": view,
            "_blocks": view["blocks"],
        }

    def _message_source(self, channel_id: str, message_ts: str | None) -> dict[str, Any]:
        stored = self.fake.messages.get((channel_id, message_ts)) if message_ts else None
        # Messages the fake never stored (ephemeral, or sent through a response_url) are unknown.
        ts = message_ts or f"{time.time():.6f}"
        message = stored or {"type": "message", "ts": ts, "text": ""}
        return {
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": stored is None,
            },
            "channel": {"id": channel_id, "name": "directmessage"},
            "message": message,
            "response_url": self.fake.new_response_url((channel_id, ts) if stored else None),
            "_blocks": stored.get("blocks", []) if stored else None,
        }

    def _action(
        self,
        blocks: list[dict[str, Any]] | None,
        action_id: str,
        block_id: str | None,
        value: str | None,
        selected_option: dict[str, Any] | None,
    ) -> dict[str, Any]:
        found = [(b, e) for b, e in iter_elements(blocks or []) if e["action_id"] == action_id]
        # Several elements with one action_id (a button per row): the block or value says which.
        if block_id is not None and any(b == block_id for b, _ in found):
            found = [(b, e) for b, e in found if b == block_id]
        elif value is not None and any(e.get("value") == value for _, e in found):
            found = [(b, e) for b, e in found if e.get("value") == value]
        if blocks is not None and not found:
            raise AssertionError(f"no element with action_id {action_id!r} to click")
        if not found:
            kind = "static_select" if selected_option is not None else "button"
            element: dict[str, Any] = {"type": kind, "action_id": action_id}
            found = [(block_id or "b", element)]
        real_block_id, element = found[0]
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": action_id,
            "block_id": block_id or real_block_id,
            "action_ts": f"{time.time():.6f}",
        }
        return action | self._chosen(element, value, selected_option)

    @staticmethod
    def _chosen(
        element: dict[str, Any], value: str | None, selected_option: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The part of an action that says what was clicked or picked."""
        if element["type"] == "button":
            if value is not None and "value" in element and value != element["value"]:
                raise AssertionError(f"the button carries {element['value']!r}, not {value!r}")
            chosen = element.get("value", value)
            result: dict[str, Any] = {"text": element.get("text", plain("button"))}
            return result | ({"value": chosen} if chosen is not None else {})
        if element["type"] == "datepicker":  # Slack sends the picked day, year-month-day
            return {"selected_date": value}
        if element["type"] in SINGLE_OPTION:
            if selected_option is None and value is not None:
                selected_option = _option(element, value)
            if selected_option is None:
                raise AssertionError(f"picking from {element['action_id']!r} needs an option")
            if options_of(element):
                selected_option = _option(element, str(selected_option.get("value")))
            return {"selected_option": selected_option}
        return {"value": value} if value is not None else {}

    # -- view submissions ----------------------------------------------------------------------

    def submit_view(
        self, user_id: str, *, view_id: str, values: dict[str, dict[str, dict[str, Any]]]
    ) -> Response:
        """Submit the modal the bot opened, then do what Slack does with the acknowledgement."""
        view = self.fake.view(view_id)
        self._check_submittable(view)
        view["state"] = {"values": self._full_state(view, values)}
        payload: dict[str, Any] = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "trigger_id": self.fake.issue_trigger_id(view_id=view_id),
            "view": view,
            "response_urls": [],
            **self._enterprise(),
        }
        response = self._post_payload(payload)
        if response.status == 200:
            text = response.body.strip()
            self.fake.apply_view_response(view_id, json.loads(text) if text else {})
        return response

    def _check_submittable(self, view: dict[str, Any]) -> None:
        if view.get("type") != "modal" or not view.get("submit"):
            raise AssertionError(f"view {view['id']} has no submit button")
        stack = self.fake.open_modals(view["id"])
        if not stack or stack[-1] != view["id"]:
            raise AssertionError(f"view {view['id']} is not the modal on screen ({stack})")

    def _full_state(
        self, view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """state.values as Slack sends it: every input, the untouched ones empty."""
        inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
        unknown = set(values) - set(inputs)
        if unknown:
            raise AssertionError(f"no input blocks {sorted(unknown)}; inputs: {sorted(inputs)}")
        state: dict[str, dict[str, dict[str, Any]]] = {}
        for block_id, block in inputs.items():
            element = block["element"]
            action_id = element.get("action_id", "")
            given = values.get(block_id, {})
            if given and set(given) != {action_id}:
                raise AssertionError(f"input {block_id!r} holds {action_id!r}, not {set(given)}")
            entry = given.get(action_id) or {
                "type": element["type"],
                **EMPTY_STATE.get(element["type"], {}),
            }
            entry = self._checked_entry(block, element, entry)
            state[block_id] = {action_id: entry}
        return state

    @staticmethod
    def _checked_entry(
        block: dict[str, Any], element: dict[str, Any], entry: dict[str, Any]
    ) -> dict[str, Any]:
        """What Slack's client would allow in this input, with options as the view defines them."""
        name = block["block_id"]
        if entry.get("type") != element["type"]:
            raise AssertionError(f"input {name!r} is a {element['type']}, not {entry.get('type')}")
        text = entry.get("value")
        if isinstance(text, str) and len(text) > element.get("max_length", len(text)):
            raise AssertionError(f"input {name!r} allows {element['max_length']} characters")
        if isinstance(text, str) and text and len(text) < element.get("min_length", 0):
            raise AssertionError(f"input {name!r} needs {element['min_length']} characters")
        entry = copy.deepcopy(entry)
        if entry.get("value") == "" and "value" in EMPTY_STATE.get(element["type"], {}):
            entry["value"] = None  # Slack sends an emptied text input as null, never ""
        if not block.get("optional") and not _has_value(entry):
            raise AssertionError(f"Slack would not submit: required input {name!r} is empty")
        if element["type"] in SINGLE_OPTION and entry.get("selected_option"):
            entry["selected_option"] = _option(element, entry["selected_option"]["value"])
        if element["type"] in MULTI_OPTION:
            chosen = entry.get("selected_options") or []
            entry["selected_options"] = [_option(element, o["value"]) for o in chosen]
        return entry

    # -- events --------------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Deliver an Events API event_callback; retries carry Slack's retry headers."""
        now = time.time()
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{now:.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(now),
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.org_wide else self.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": self.org_wide,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
        return self.post_raw(body, content_type=JSON, headers=headers)

    def url_verification(self, challenge: str = "challenge-token") -> Response:
        """Slack's check of the Request URL when the app is configured."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.post_raw(json.dumps(body).encode(), content_type=JSON)

    # -- state.values helpers ------------------------------------------------------------------

    @staticmethod
    def state_text(block_id: str, action_id: str, value: str | None) -> dict[str, Any]:
        """A plain_text_input's state."""
        return {block_id: {action_id: {"type": "plain_text_input", "value": value}}}

    @staticmethod
    def state_select(
        block_id: str, action_id: str, value: str | None, *, kind: str = "static_select"
    ) -> dict[str, Any]:
        """A single-option select's (or radio_buttons') state; options come from the view."""
        option = {"text": plain(value), "value": value} if value is not None else None
        return {block_id: {action_id: {"type": kind, "selected_option": option}}}

    @staticmethod
    def state_multi_select(block_id: str, action_id: str, values: list[str]) -> dict[str, Any]:
        """A multi_static_select's state."""
        options = [{"text": plain(v), "value": v} for v in values]
        return {block_id: {action_id: {"type": "multi_static_select", "selected_options": options}}}

    @staticmethod
    def state_users_select(block_id: str, action_id: str, user_id: str | None) -> dict[str, Any]:
        """A users_select's state."""
        return {block_id: {action_id: {"type": "users_select", "selected_user": user_id}}}

    @staticmethod
    def state_checkboxes(block_id: str, action_id: str, values: list[str]) -> dict[str, Any]:
        """A checkboxes input's state."""
        options = [{"text": plain(v), "value": v} for v in values]
        return {block_id: {action_id: {"type": "checkboxes", "selected_options": options}}}

    @staticmethod
    def merge(*states: dict[str, Any]) -> dict[str, Any]:
        """Several state helpers' results as one ``values``."""
        merged: dict[str, Any] = {}
        for state in states:
            for block_id, actions in state.items():
                merged.setdefault(block_id, {}).update(actions)
        return merged
