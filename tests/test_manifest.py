"""The Slack app manifest: valid for Slack, and granting exactly what the bot uses."""

import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # jsonschema ships no type hints
import pytest

from bot.config import BOT_SCOPES
from tests.support.settings import repo_root

SPECS = Path(__file__).parent / "fakeslack" / "specs"
MANIFEST = json.loads((repo_root() / "manifest.json").read_text())

# Every Web API method the bot calls; a new call must be added here and to the scopes.
METHODS_USED = [
    "auth.test",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "conversations.open",
    "users.info",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "files.info",  # the org chart CSV an owner uploads
    "users.lookupByEmail",  # the org chart's email addresses
    "oauth.v2.access",  # OAuth installs and token rotation; needs no scope
]
# conversations.open accepts any one of several scopes: we open DMs and the pairs' group DMs.
CHOSEN_ALTERNATIVES = {"conversations.open": {"im:write", "mpim:write"}}


@pytest.mark.parametrize("version", ["1.0.0", "2.0.0"])
def test_manifest_matches_slack_schema(version: str) -> None:
    schema = json.loads((SPECS / f"manifest.schema.{version}.json").read_text())
    jsonschema.Draft7Validator(schema).validate(MANIFEST)


def test_scopes_are_exactly_what_the_methods_need() -> None:
    needed = {"commands"}
    for method in METHODS_USED:
        spec = json.loads((SPECS / "methods" / f"{method}.json").read_text())
        accepted = set(spec.get("scope", {}).get("bot", []))
        chosen = CHOSEN_ALTERNATIVES.get(method, accepted)
        assert chosen <= accepted, method
        needed |= chosen
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed


def test_an_oauth_install_asks_for_the_manifest_s_scopes() -> None:
    assert set(BOT_SCOPES) == set(MANIFEST["oauth_config"]["scopes"]["bot"])


def test_one_url_serves_commands_interactivity_and_events() -> None:
    urls = {
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in MANIFEST["features"]["slash_commands"]),
    }
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")
    # The App Home, and the two events after which a workspace's data is erased.
    assert MANIFEST["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
