"""Block Kit as strict as Slack: slack_sdk.models' validation plus the rules it misses."""

import base64
import copy
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MODAL_TITLE_LIMIT = 24
VIEW_SIZE_LIMIT = 250_000
# Keys whose value must be a plain_text object (Slack refuses strings and mrkdwn there).
PLAIN_TEXT_KEYS = frozenset({"label", "hint", "placeholder", "title", "submit", "close"})
PLAIN_TEXT_TEXT_PARENTS = frozenset({"header", "button"})


def block_problems(blocks: Any, *, limit: int) -> list[str]:
    """Why Slack would refuse this list of blocks (empty when it would accept it)."""
    if not isinstance(blocks, list):
        return ["blocks must be an array [json-pointer:/blocks]"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    seen: set[str] = set()
    for index, raw in enumerate(blocks):
        pointer = f"[json-pointer:/blocks/{index}]"
        problems += [f"{problem} {pointer}" for problem in one_block_problems(raw)]
        block_id = raw.get("block_id") if isinstance(raw, dict) else None
        if isinstance(block_id, str):
            if block_id in seen:
                problems.append(f"duplicate block_id {block_id!r} {pointer}")
            seen.add(block_id)
    return problems


def one_block_problems(raw: Any) -> list[str]:
    """Why Slack would refuse one block: slack_sdk's checks first, then the ones it lacks."""
    if not isinstance(raw, dict):
        return ["a block must be an object"]
    try:
        block = Block.parse(raw)
        if block is None:
            return [f"unknown block type {raw.get('type')!r}"]
        # to_dict() runs validate_json() on the block and on every nested element and object.
        rendered = block.to_dict()
    except Exception as error:  # slack_sdk raises SlackObjectFormationError, TypeError, KeyError
        return [f"{type(error).__name__}: {error}"]
    if _contains_none(rendered):
        return ["unknown element type in block"]
    return _strict_text_problems(raw, parent_type=None)


def _contains_none(value: Any) -> bool:
    """slack_sdk turns elements it cannot parse into None instead of failing."""
    if isinstance(value, list):
        return any(item is None or _contains_none(item) for item in value)
    if isinstance(value, dict):
        return any(_contains_none(item) for item in value.values())
    return False


def _strict_text_problems(value: Any, *, parent_type: str | None) -> list[str]:
    """Rules slack_sdk forgives: empty text objects, strings or mrkdwn where plain_text is due."""
    problems: list[str] = []
    if isinstance(value, list):
        for item in value:
            problems += _strict_text_problems(item, parent_type=parent_type)
        return problems
    if not isinstance(value, dict):
        return problems
    kind = value.get("type")
    if kind in ("plain_text", "mrkdwn") and not (
        isinstance(value.get("text"), str) and value["text"]
    ):
        problems.append(f"{kind} text must be a non-empty string")
    if kind in ("actions", "context") and not value.get("elements"):
        problems.append(f"{kind} block needs at least one element")
    for key, item in value.items():
        must_be_plain = key in PLAIN_TEXT_KEYS or (
            key == "text" and kind in PLAIN_TEXT_TEXT_PARENTS
        )
        if must_be_plain and not (isinstance(item, dict) and item.get("type") == "plain_text"):
            problems.append(f"{key} of {kind} must be a plain_text object")
        problems += _strict_text_problems(item, parent_type=kind if isinstance(kind, str) else None)
    return problems


def view_problems(view: Any, *, kinds: Iterable[str]) -> list[str]:
    """Why Slack would refuse this view as a modal or Home tab of the given kinds."""
    if not isinstance(view, dict):
        return ["view must be a JSON object [json-pointer:/view]"]
    kinds = set(kinds)
    if view.get("type") not in kinds:
        return [f"view type must be one of {sorted(kinds)} [json-pointer:/view/type]"]
    problems = block_problems(view.get("blocks"), limit=VIEW_BLOCK_LIMIT)
    if view["type"] == "modal":
        problems += _modal_problems(view)
    try:
        View(**view).validate_json()
    except Exception as error:  # SlackObjectFormationError and friends
        problems.append(f"{type(error).__name__}: {error} [json-pointer:/view]")
    if len(json.dumps(view)) > VIEW_SIZE_LIMIT:
        problems.append("view is larger than 250kb")
    return problems


def _modal_problems(view: dict[str, Any]) -> list[str]:
    """A modal needs a short plain_text title, and a submit button when it has inputs."""
    problems: list[str] = []
    title = view.get("title")
    if not (isinstance(title, dict) and title.get("type") == "plain_text"):
        problems.append("a modal needs a plain_text title [json-pointer:/view/title]")
    elif len(str(title.get("text", ""))) > MODAL_TITLE_LIMIT:
        problems.append(f"title must be at most {MODAL_TITLE_LIMIT} characters")
    blocks = view["blocks"] if isinstance(view.get("blocks"), list) else []
    has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_inputs and not view.get("submit"):
        problems.append("submit is required when an input block is within the blocks array")
    return problems


def with_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as Slack stores them: every block gets a block_id, generated when missing."""
    result = []
    for index, block in enumerate(blocks):
        block = copy.deepcopy(block)
        if "block_id" not in block:
            digest = hashlib.sha1(f"{index}:{json.dumps(block, sort_keys=True)}".encode())
            block["block_id"] = base64.b32encode(digest.digest()).decode()[:5]
        result.append(block)
    return result
