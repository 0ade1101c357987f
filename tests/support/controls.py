"""Match controls through the fake Slack: a pair's menu, the keep-or-separate modal."""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditEntry
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import OWNER
from tests.support.inputs import button, selected

PAIR_LINE = re.compile(r"^\d+\. <@(\w+)> \(.*?\) with <@(\w+)> \(")


@dataclass(frozen=True)
class ShownPair:
    """One proposed pair of a preview page, and its menu's option values by control."""

    mentor: str
    mentee: str
    kept: bool
    menu: dict[str, str]


def shown_pairs(body: dict[str, Any]) -> list[ShownPair]:
    """The pairs a preview page shows, in order."""
    found = []
    for block in body["blocks"]:
        accessory = block.get("accessory") or {}
        if block["type"] != "section" or accessory.get("type") != "overflow":
            continue
        text = block["text"]["text"]
        matched = PAIR_LINE.match(text)
        assert matched, text
        menu = {o["value"].split(":")[0]: o["value"] for o in accessory["options"]}
        found.append(ShownPair(matched[1], matched[2], "kept by you" in text, menu))
    return found


def pairs_of(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p.mentor, p.mentee) for p in shown_pairs(body)}


def what_changed(body: dict[str, Any]) -> str:
    """The preview's "What changed" section (empty when there is none)."""
    texts = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    return next((t for t in texts if t.startswith("*What changed*")), "")


def choose(slack: SlackDriver, fake: FakeSlack, value: str) -> dict[str, Any]:
    """Pick an option of a pair's menu; the preview that replaces the old one."""
    seen = len(fake.responses)
    option = {"text": {"type": "plain_text", "text": "option"}, "value": value}
    slack.click(OWNER, action_id="round_pair_menu", selected_option=option)
    return fake.wait_for_response(count=seen + 1)[seen]


def open_steer(slack: SlackDriver, fake: FakeSlack, shown: dict[str, Any]) -> str:
    """Click *Keep or separate two people…*; the modal's view id."""
    count = len(fake.calls_to("views.open"))
    slack.click(OWNER, action_id="round_steer", value=button(shown, "round_steer")["value"])
    return str(fake.wait_for("views.open", count=count + 1)[-1].response["view"]["id"])


def steer_values(what: str, first: str | None, second: str | None) -> dict[str, Any]:
    return {
        "what": {"what": selected(what, "radio_buttons")},
        "first": {"first": {"type": "users_select", "selected_user": first}},
        "second": {"second": {"type": "users_select", "selected_user": second}},
    }


def audit_actions(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
