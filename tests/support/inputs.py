"""View-state values as Slack sends them for each kind of input, and reading Block Kit back."""

import json
from typing import Any


def selected(value: str, kind: str = "static_select") -> dict[str, Any]:
    return {"type": kind, "selected_option": {"value": value}}


def typed(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def clock(value: str) -> dict[str, Any]:
    return {"type": "timepicker", "selected_time": value}


def many(*values: str, kind: str = "multi_static_select") -> dict[str, Any]:
    return {"type": kind, "selected_options": [{"value": v} for v in values]}


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    )


def modal_text(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"])
