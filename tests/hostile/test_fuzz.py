"""Arbitrary command texts and arbitrary values in clicks and submissions, over signed HTTP.

Properties: never a 5xx, never an ERROR in the log, always an answer a person can read, and
nothing changed that the request had no business changing. `UPWARD_FUZZ_EXAMPLES` sets the
number of examples per property (default 150; `UPWARD_FUZZ_EXAMPLES=3000 pytest
tests/hostile/test_fuzz.py` for the long run).
"""

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.commands import SUBCOMMANDS
from bot.slack.core.envelope import IN_MESSAGES
from bot.slack.core.ids import Action, Callback
from tests.fakeslack.driver import COMMAND_CHANNEL
from tests.support.bot import Hostile
from tests.support.constants import OWNER
from tests.support.database import snapshot
from tests.support.logs import error_trap
from tests.support.participants import join, new_programme

EXAMPLES = int(os.environ.get("UPWARD_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STRANGER, MEMBER = "U0STRANGER", "U0MEMBER"
# What each person may change with a command: the first word, lower-cased.
MAY_CHANGE = {STRANGER: set(), MEMBER: {"pause", "resume"}, OWNER: {"programme", "match"}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
words = st.sampled_from([*SUBCOMMANDS, "PROGRAMME", "Join", "new", "<!channel>", "<@U0X>"])
command_texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(words, st.text(max_size=20)), max_size=6).map(" ".join),
)
ELEMENT_KEYS = ["value", "selected_option", "selected_options", "selected_user", "selected_date"]
elements = st.fixed_dictionaries(
    {"type": st.sampled_from(["plain_text_input", "static_select", "checkboxes", "users_select"])},
    optional=dict.fromkeys(ELEMENT_KEYS, json_values),
)


@pytest.fixture
def people(hostile: Hostile) -> Hostile:
    """A programme open for sign-up, a member who joined, a stranger and an owner."""
    for user in (STRANGER, MEMBER):
        hostile.fake.add_user(user, real_name=user.title())
    new_programme(hostile.slack, "Fuzz")
    assert join(hostile.slack, hostile.fake, MEMBER).status == 200
    hostile.settle()
    return hostile


def visible_answers(hostile: Hostile) -> int:
    """How many things a person could see: replies through response_url, modals, home tabs."""
    calls = hostile.fake.calls_to("views.open") + hostile.fake.calls_to("views.publish")
    return len(hostile.fake.responses) + len(calls)


def check(hostile: Hostile, send: Any, *, may_change: bool = False) -> Any:
    """Send one request and check the properties; the response."""
    before, seen = snapshot(hostile.runtime), visible_answers(hostile)
    with error_trap() as trap:
        response = send()
        hostile.settle()
    assert response.status < 500, response
    assert trap.summary() == []
    if not may_change:
        assert snapshot(hostile.runtime) == before
    return response, visible_answers(hostile) > seen


@FUZZ
@given(user=st.sampled_from([STRANGER, MEMBER, OWNER]), text=command_texts)
def test_any_command_text_gets_a_friendly_answer(people: Hostile, user: str, text: str) -> None:
    first = (text.split() or ["help"])[0].lower()
    response, shown = check(
        people, lambda: people.slack.command(user, text), may_change=first in MAY_CHANGE[user]
    )
    assert response.status == 200
    body = response.json() if response.body.strip() else {}
    assert body.get("text") or shown  # a reply in the acknowledgement, or a modal opened


@FUZZ
@given(
    user=st.sampled_from([STRANGER, OWNER]),
    action_id=st.sampled_from(list(Action)),
    value=json_values | st.integers(min_value=0).map(str),
    extra=st.dictionaries(st.sampled_from(ELEMENT_KEYS[1:] + ["text", "type"]), json_values),
    from_home=st.booleans(),
)
def test_any_button_value_is_answered_and_changes_nothing(
    people: Hostile,
    user: str,
    action_id: str,
    value: object,
    extra: dict[str, Any],
    from_home: bool,
) -> None:
    action = {"type": "button", "action_id": action_id, "block_id": "b", "action_ts": "1.2"}
    action |= extra | {"value": value}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "x", "team_id": people.slack.team_id},
        "team": {"id": people.slack.team_id, "domain": "fake"},
        "api_app_id": "A0TEST",
        "trigger_id": people.fake.issue_trigger_id(),
        "actions": [action],
    }
    if from_home:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
        payload["view"] = {"id": "V0HOME", "type": "home", "blocks": []}
    else:
        payload["container"] = {"type": "message", "channel_id": COMMAND_CHANNEL}
        payload["response_url"] = people.fake.new_response_url()
    send = lambda: people.slack._post_payload(payload)  # noqa: E731
    # Archive (behind Slack's confirm dialog) is an owner's to click: a real id archives.
    response, shown = check(
        people, send, may_change=user == OWNER and action_id == Action.HOME_ARCHIVE
    )
    if from_home and action_id in IN_MESSAGES:
        assert response.status == 400  # Slack never sends such a click
        return
    assert response.status == 200
    assert shown or from_home  # from a message, every click is answered where it was made


@FUZZ
@given(
    user=st.sampled_from([STRANGER, OWNER]),
    callback_id=st.sampled_from(list(Callback)),
    metadata=st.one_of(
        st.text(max_size=60),
        st.integers().map(str),
        json_values.map(json.dumps),
        st.fixed_dictionaries({"programme": json_values | st.integers()}).map(json.dumps),
    ),
    values=st.one_of(
        st.dictionaries(st.text(max_size=12), json_values, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "programme",
                    "side",
                    "stage",
                    "department",
                    "manager",
                    "shares",
                    "learns",
                    "goal",
                    "ground_rules",
                    "name",
                    "kind",
                    "cadence_weeks",
                    "signup_deadline",
                    "flags",
                    "owners",
                    "goal_1",
                    "goal_2",
                ]
            ),  # fmt: skip
            st.one_of(json_values, st.dictionaries(st.text(max_size=12), elements, max_size=2)),
            max_size=8,
        ),
    ),
)
def test_any_modal_state_is_answered_and_changes_nothing(
    people: Hostile, user: str, callback_id: str, metadata: str, values: dict[str, Any]
) -> None:
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": "x", "team_id": people.slack.team_id},
        "team": {"id": people.slack.team_id, "domain": "fake"},
        "api_app_id": "A0TEST",
        "trigger_id": people.fake.issue_trigger_id(),
        "view": {
            "id": "V0FUZZ",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": values},
            "blocks": [],
        },
    }
    response, _ = check(people, lambda: people.slack._post_payload(payload))
    assert response.status == 200
    # Nothing this person sends can succeed, so the modal stays with errors or a notice.
    assert json.loads(response.body)["response_action"] in ("errors", "update"), response.body
