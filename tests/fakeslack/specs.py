"""Slack's published method specs, and reading a call's arguments the way Slack does."""

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from tests.fakeslack.state import SlackError

SPECS = Path(__file__).parent / "specs" / "methods"
METHOD_NAME = re.compile(r"^[A-Za-z]+(\.[A-Za-z0-9]+)+$")  # oauth.v2.access
# Form fields that Slack reads as JSON documents; slack_sdk sends them as JSON strings.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "files", "metadata"})
# The error Slack answers when a required argument is missing, where the spec lists it.
MISSING_ARGUMENT_ERRORS = {
    "channel": "channel_not_found",
    "user": "user_not_found",
    "ts": "message_not_found",
    "post_at": "invalid_time",
}


@cache
def method_spec(method: str) -> dict[str, Any] | None:
    """Slack's published spec of a Web API method, or None when the fake does not know it."""
    path = SPECS / f"{method}.json"
    if not METHOD_NAME.match(method) or not path.is_file():
        return None
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


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


def as_int(value: Any) -> int | None:
    """An integer argument as sent by form (a string) or JSON (a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def as_bool(value: Any) -> bool:
    """A boolean argument: JSON true, or form "1"/"true"."""
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true"))


def json_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document).encode("utf-8")


def check_required(spec: dict[str, Any], args: dict[str, Any]) -> None:
    """Refuse a call that misses a required argument or sends one of the wrong type."""
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
        if schema["type"] == "integer" and as_int(value) is None:
            raise SlackError("invalid_arguments", f"{name} must be an integer")
        if schema["type"] == "string" and not isinstance(value, str):
            raise SlackError("invalid_arguments", f"{name} must be a string")
