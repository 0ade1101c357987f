"""Slack ids where they enter: an owner or a manager that is not a person's id is refused.

Through the real app: the programme modal's owners and the intake survey's manager, sent as
Slack never would (a 40-character id, a mention, text where a list belongs).
"""

from typing import Any

import pytest

from bot.runtime import Runtime
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import ALICE, OWNER
from tests.support.database import snapshot
from tests.support.logs import error_trap
from tests.support.participants import new_programme, open_survey, survey_values

LONG = "U" + "A" * 39  # 40 characters: wider than the column, and than any Slack id
OWNERS = {
    "a 40-character id": [LONG],
    "a mention": ["<!channel>"],
    "text where a list belongs": "UABC",
    "a list inside the list": [["U0CAROL"]],
}
MANAGERS = {
    "a 40-character id": LONG,
    "a mention": "<!channel>",
    "a list": ["U0BOSS"],
    "a number": 12,
}


def refused(response: Any) -> str:
    """The notice that replaced the modal; it must be a calm refusal, not an apology."""
    body = response.json()
    assert response.status == 200 and body["response_action"] == "update", body
    text = str(body["view"]["blocks"])
    assert "went wrong" not in text, text
    return text


@pytest.mark.parametrize("what", sorted(OWNERS))
def test_owners_that_are_not_people_are_refused(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, what: str
) -> None:
    fake_slack.add_user("U0CAROL", real_name="Carol")
    view_id = open_admin(slack, fake_slack)
    before = snapshot(runtime)
    owners = {"type": "multi_users_select", "selected_users": OWNERS[what]}
    with error_trap() as trap:
        response = slack.submit_view(OWNER, view_id=view_id, values=settings_values(owners=owners))
    assert "owner" in refused(response).lower()
    assert snapshot(runtime) == before
    assert trap.summary() == []


@pytest.mark.parametrize("what", sorted(MANAGERS))
def test_a_manager_that_is_not_a_person_is_refused(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, what: str
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    new_programme(slack)
    view_id = open_survey(slack, fake_slack).response["view"]["id"]
    before = snapshot(runtime)
    manager = {"type": "users_select", "selected_user": MANAGERS[what]}
    with error_trap() as trap:
        response = slack.submit_view(ALICE, view_id=view_id, values=survey_values(manager=manager))
    assert "manager" in refused(response).lower()
    assert snapshot(runtime) == before
    assert trap.summary() == []


def test_real_ids_of_other_lengths_are_saved(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    """Slack says not to assume a length: an Enterprise Grid `W` id of 11 characters is fine."""
    view_id = open_admin(slack, fake_slack)
    owners = {"type": "multi_users_select", "selected_users": ["W012A3CDEFG", "U12"]}
    response = slack.submit_view(OWNER, view_id=view_id, values=settings_values(owners=owners))
    assert "Saved" in str(response.json()["view"]["blocks"])
