"""Reading the prompt library from its TOML files, each checked against the rules (pure).

`prompts/README.md` describes the format; a file that breaks a rule is refused with the file,
the prompt and the problem named, so the bot never starts with a broken library.
"""

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Final

from bot.domain.prompts import (
    DESCRIPTION_MAX,
    FOLLOW_UP_MAX,
    FOLLOW_UPS_MAX,
    LABEL_MAX,
    SESSION_TOPICS,
    STAGES,
    TEXT_MAX,
    Library,
    LibraryError,
    Prompt,
    Topic,
)

PROMPTS_DIR: Final = Path(__file__).resolve().parents[2] / "prompts"

_TOPIC_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Slack reads `<…>` as a mention or link in mrkdwn; library text must never ping anyone.
_SLACK_CONTROL = re.compile(r"[<>]")
_TOPIC_KEYS: Final = frozenset({"id", "label", "description", "selectable", "prompts"})
_PROMPT_KEYS: Final = frozenset({"id", "stage", "text", "follow_ups"})


def load_library(directory: Path) -> Library:
    """Read and validate every `*.toml` topic file in `directory`."""
    if not directory.is_dir():
        raise LibraryError(str(directory), "is not a directory")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise LibraryError(str(directory), "holds no topic files (*.toml)")
    topics: list[Topic] = []
    prompts: list[Prompt] = []
    for path in files:
        topic, topic_prompts = _load_topic(path)
        topics.append(topic)
        prompts.extend(topic_prompts)
    return Library(tuple(topics), tuple(prompts))


@cache
def default_library() -> Library:
    """The library shipped in the repository's `prompts/` directory, read once."""
    return load_library(PROMPTS_DIR)


def _load_topic(path: Path) -> tuple[Topic, list[Prompt]]:
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LibraryError(name, f"cannot be read: {error}") from error
    _check_keys(name, None, data, _TOPIC_KEYS, required={"id", "label", "description"})
    topic_id = data["id"]
    if not isinstance(topic_id, str) or not _TOPIC_ID.fullmatch(topic_id):
        raise LibraryError(name, f"topic id {topic_id!r} must be snake_case, e.g. 'future_of_work'")
    if topic_id != path.stem:
        raise LibraryError(name, f"topic id {topic_id!r} must match the file name")
    label = _text(name, None, data["label"], "label", LABEL_MAX, one_line=True)
    description = _text(
        name, None, data["description"], "description", DESCRIPTION_MAX, one_line=True
    )
    is_session = topic_id in SESSION_TOPICS.values()
    selectable = data.get("selectable", not is_session)
    if not isinstance(selectable, bool):
        raise LibraryError(name, "selectable must be true or false")
    if is_session and selectable:
        raise LibraryError(name, f"the {topic_id!r} topic cannot be selectable in the survey")
    # A file with no [[prompts]] tables has no `prompts` key at all.
    raw_prompts = data.get("prompts")
    if not isinstance(raw_prompts, list) or not raw_prompts:
        raise LibraryError(name, "needs at least one [[prompts]] table")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_prompts, start=1):
        prompt = _load_prompt(name, topic_id, number, raw)
        if prompt.id in seen:
            raise LibraryError(name, "duplicate prompt id", prompt=prompt.id)
        seen.add(prompt.id)
        prompts.append(prompt)
    return Topic(topic_id, label, description, selectable), prompts


def _load_prompt(name: str, topic_id: str, number: int, raw: object) -> Prompt:
    if not isinstance(raw, dict):
        raise LibraryError(name, f"prompt #{number} must be a [[prompts]] table")
    raw_id = raw.get("id")
    where = raw_id if isinstance(raw_id, str) and raw_id else f"#{number}"
    _check_keys(name, where, raw, _PROMPT_KEYS, required={"id", "stage", "text"})
    prefix, dot, slug = where.partition(".")
    if prefix != topic_id or not dot or not _SLUG.fullmatch(slug):
        raise LibraryError(
            name, f"id must be '{topic_id}.<short-slug>' in lower-case-with-dashes", prompt=where
        )
    stage = raw["stage"]
    if stage not in STAGES:
        raise LibraryError(
            name, f"unknown stage {stage!r}; use one of {', '.join(STAGES)}", prompt=where
        )
    for session_stage, session_topic in SESSION_TOPICS.items():
        if topic_id == session_topic and stage != session_stage:
            raise LibraryError(
                name, f"{topic_id} prompts must have stage {session_stage!r}", prompt=where
            )
    text = _text(name, where, raw["text"], "text", TEXT_MAX, one_line=False)
    follow_ups = raw.get("follow_ups", [])
    if not isinstance(follow_ups, list) or len(follow_ups) > FOLLOW_UPS_MAX:
        raise LibraryError(
            name, f"follow_ups must be a list of at most {FOLLOW_UPS_MAX}", prompt=where
        )
    cleaned = tuple(
        _text(name, where, f, "follow-up", FOLLOW_UP_MAX, one_line=True) for f in follow_ups
    )
    return Prompt(where, topic_id, stage, text, cleaned)


def _check_keys(
    name: str, prompt: str | None, data: dict[str, Any], allowed: frozenset[str], required: set[str]
) -> None:
    # Unknown keys are usually typos (`follow_up`), which would otherwise be silently ignored.
    unknown = sorted(data.keys() - allowed)
    if unknown:
        raise LibraryError(name, f"unknown key(s): {', '.join(unknown)}", prompt=prompt)
    missing = sorted(required - data.keys())
    if missing:
        raise LibraryError(name, f"missing key(s): {', '.join(missing)}", prompt=prompt)


def _text(
    name: str, prompt: str | None, value: object, what: str, limit: int, *, one_line: bool
) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(name, f"{what} must be non-empty text", prompt=prompt)
    text = value.strip()
    if len(text) > limit:
        raise LibraryError(
            name, f"{what} is {len(text)} characters; the limit is {limit}", prompt=prompt
        )
    if one_line and "\n" in text:
        raise LibraryError(name, f"{what} must be a single line", prompt=prompt)
    if _SLACK_CONTROL.search(text):
        raise LibraryError(
            name, f"{what} must not contain '<' or '>' (Slack markup)", prompt=prompt
        )
    return text
