"""The layers, pinned: imports flow slack/jobs -> flows -> domain/store, with no circles."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
JOURNEYS = (
    "participants",
    "programmes",
    "rounds",
    "keep_going",
    "find_time",
    "pair_exit",
    "round_end",
    "stats",
    "workspaces",
    "org_chart",
)
# What a journey package of bot/slack may use besides itself: the shared Slack pieces, the use
# cases and the pure domain, and the models its builders render.
SHARED_SLACK = (
    "bot.slack.core",
    "bot.slack.ui",
    "bot.slack.home",
    "bot.slack.owner_home",
    "bot.slack.outbox",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def imports_of(path: Path) -> Iterator[str]:
    """Every module name a file imports (`from a import b` yields a.b when that is a module)."""
    known = modules()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in known else node.module


def within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def bot_imports(name: str) -> set[str]:
    return {i for i in imports_of(modules()[name]) if within(i, "bot")}


def test_the_domain_imports_nothing_of_bot_outside_itself() -> None:
    wrong = {
        (name, i)
        for name in modules()
        if within(name, "bot.domain")
        for i in bot_imports(name)
        if not within(i, "bot.domain")
    }
    assert not wrong


def test_the_store_uses_only_the_domain() -> None:
    wrong = {
        (name, i)
        for name in modules()
        if within(name, "bot.store")
        for i in bot_imports(name)
        if not within(i, "bot.store", "bot.domain")
    }
    assert not wrong


def test_flows_never_reach_slack() -> None:
    wrong = {
        (name, i)
        for name in modules()
        if within(name, "bot.flows")
        for i in imports_of(modules()[name])
        if within(i, "slack_sdk", "slack_bolt", "bot.slack", "bot.jobs", "bot.app")
    }
    assert not wrong


@pytest.mark.parametrize("journey", JOURNEYS)
def test_a_slack_journey_uses_only_shared_pieces_flows_and_domain(journey: str) -> None:
    package = f"bot.slack.{journey}"
    allowed = (package, *SHARED_SLACK, "bot.flows", "bot.domain", "bot.store.models", "bot.runtime")
    wrong = {
        (name, i)
        for name in modules()
        if within(name, package)
        for i in bot_imports(name)
        if not within(i, *allowed)
    }
    assert not wrong


def test_shared_slack_pieces_use_no_journey_except_the_notifier() -> None:
    # The notifier renders every journey's messages: it is the one shared piece that may (its
    # messages about consent and planned meetings live in modules of their own, for length).
    journeys = tuple(f"bot.slack.{j}" for j in JOURNEYS)
    renderers = tuple(
        f"bot.slack.outbox.{name}" for name in ("notifier", "consent_notices", "meeting_notices")
    )
    wrong = {
        (name, i)
        for name in modules()
        if within(name, *SHARED_SLACK) and name not in renderers
        for i in bot_imports(name)
        if within(i, *journeys)
    }
    assert not wrong


def test_there_are_no_import_circles() -> None:
    graph = {name: {i for i in bot_imports(name) if i in modules()} for name in modules()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            pytest.fail("import circle: " + " -> ".join((*path[path.index(name) :], name)))
        if name in done:
            return
        for child in sorted(graph[name]):
            visit(child, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_no_file_in_bot_is_over_300_lines() -> None:
    long = {
        name: n for name, p in modules().items() if (n := len(p.read_text().splitlines())) > 300
    }
    assert not long


def test_the_scim_front_reaches_the_database_only_through_flows() -> None:
    # Like a Slack journey: the SCIM endpoint calls use cases, and renders the models they return.
    allowed = (
        *("bot.scim", "bot.flows", "bot.domain", "bot.store.models", "bot.runtime"),
        "bot.slack.outbox.courier",  # a departure's own messages, sent at once
    )
    wrong = {
        (name, i)
        for name in modules()
        if within(name, "bot.scim")
        for i in bot_imports(name)
        if not within(i, *allowed)
    }
    assert not wrong
