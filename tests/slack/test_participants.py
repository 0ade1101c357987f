"""The participant's journey end to end, over signed HTTP against the fake Slack."""

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.store.models import OutboxMessage, Participant
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, OWNER
from tests.support.database import rows_mentioning
from tests.support.inputs import many, selected, typed
from tests.support.participants import join, new_programme, open_survey, survey_values


def participant(runtime: Runtime, user: str = ALICE) -> Participant | None:
    with runtime.sessions() as session:
        return session.scalar(select(Participant).where(Participant.user_id == user))


@pytest.fixture
def programme(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(ALICE, real_name="Alice", tz="Europe/Berlin", tz_offset=3600)
    fake_slack.add_user("U0BOSS", real_name="The Boss")
    new_programme(slack)


@pytest.mark.usefixtures("programme")
def test_join_stores_the_answers_and_welcomes_once(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    opened = open_survey(slack, fake_slack)
    view = opened.args["view"]
    labels = " ".join(b["label"]["text"].lower() for b in view["blocks"] if b["type"] == "input")
    for word in [
        "side", "career stage", "department", "manager", "share", "learn",
        "working style", "meeting preference", "how often", "goal", "ground rules",
    ]:  # fmt: skip
        assert word in labels
    assert "programme" not in {b.get("block_id") for b in view["blocks"]}  # only one is open
    # Two join modals open at once (a double /mentoring join), both submitted.
    second = open_survey(slack, fake_slack)
    response = slack.submit_view(
        ALICE, view_id=opened.response["view"]["id"], values=survey_values()
    )
    assert (response.status, response.body) == (200, "")  # the modal closes
    bot.settle()  # the time zone is read from Slack's profile after the answer
    stored = participant(runtime)
    assert stored is not None
    assert (stored.timezone, stored.utc_offset_minutes) == ("Europe/Berlin", 60)
    assert (stored.side, stored.stage, stored.department) == ("share", 0, "Marketing")
    assert stored.shares == ["digital_tools"] and stored.learns == ["leadership"]
    assert stored.ground_rules_version and stored.agreed_at is not None
    welcome = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == ALICE)
    assert "signed up" in welcome[0].args["text"]

    again = slack.submit_view(ALICE, view_id=second.response["view"]["id"], values=survey_values())
    assert again.status == 200
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.usefixtures("programme")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"learns": many("digital_tools")}, "learns"),
        ({"manager": {"type": "users_select", "selected_user": ALICE}}, "manager"),
        ({"side": selected("learn", "radio_buttons"), "learns": many()}, "learns"),
    ],
)
def test_bad_answers_come_back_inline_and_change_nothing(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    runtime: Runtime,
    overrides: dict[str, dict[str, Any]],
    field: str,
) -> None:
    body = join(slack, fake_slack, ALICE, **overrides).json()
    assert body["response_action"] == "errors"
    assert field in body["errors"]
    assert participant(runtime) is None


def test_join_without_an_open_programme_explains(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    body = slack.command(ALICE, "join").json()
    assert "no programme open" in body["text"]
    assert fake_slack.calls_to("views.open") == []


@pytest.mark.usefixtures("programme")
def test_two_open_programmes_ask_which(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    new_programme(slack, "Autumn cohort")
    view = open_survey(slack, fake_slack).args["view"]
    assert view["blocks"][0]["block_id"] == "programme"
    assert "programme" in view["blocks"][0]["label"]["text"].lower()


@pytest.mark.usefixtures("programme")
def test_profile_reopens_prefilled_and_saves_changes(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    join(slack, fake_slack)
    opened = open_survey(slack, fake_slack, word="profile")
    blocks = {b.get("block_id"): b for b in opened.args["view"]["blocks"]}
    assert blocks["department"]["element"]["initial_value"] == "Marketing"
    assert blocks["manager"]["element"]["initial_user"] == "U0BOSS"
    assert blocks["side"]["element"]["initial_option"]["value"] == "share"
    slack.submit_view(
        ALICE,
        view_id=opened.response["view"]["id"],
        values=survey_values(department=typed("Sales")),
    )
    stored = participant(runtime)
    assert stored is not None and stored.department == "Sales"
    with runtime.sessions() as session:
        assert (
            session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        )  # no 2nd welcome


@pytest.mark.usefixtures("programme")
def test_pause_resume_and_status(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert "haven't joined" in slack.command(ALICE, "status").json()["blocks"][0]["text"]["text"]
    assert "haven't joined" in slack.command(ALICE, "pause").json()["text"]
    join(slack, fake_slack)
    status = slack.command(ALICE, "status").json()["blocks"][0]["text"]["text"]
    assert "Spring pilot" in status and "active" in status and "mentor" in status
    assert "Paused" in slack.command(ALICE, "pause").json()["text"]
    assert "already paused" in slack.command(ALICE, "pause").json()["text"]
    stored = participant(runtime)
    assert stored is not None and stored.paused
    assert "paused" in slack.command(ALICE, "status").json()["blocks"][0]["text"]["text"]
    assert "active again" in slack.command(ALICE, "resume").json()["text"]
    assert "already active" in slack.command(ALICE, "resume").json()["text"]


@pytest.mark.usefixtures("programme")
def test_leave_asks_then_deletes_everything(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("U0BOB", real_name="Bob")
    join(slack, fake_slack)
    # Bob names Alice as his manager: his row must not keep her id after she leaves.
    join(slack, fake_slack, user="U0BOB", manager={"type": "users_select", "selected_user": ALICE})
    fake_slack.wait_for("chat.postMessage", count=2)
    assert rows_mentioning(runtime, ALICE)

    asked = slack.command(ALICE, "leave").json()
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    confirm = next(b for b in buttons if b["action_id"] == "leave_confirm")
    assert participant(runtime) is not None  # asking deletes nothing

    slack.click(ALICE, action_id="leave_confirm", value=confirm["value"])
    reply = fake_slack.wait_for_response()[-1]
    assert "personal data is deleted" in reply["text"]
    assert rows_mentioning(runtime, ALICE) == []
    bob = participant(runtime, "U0BOB")
    # Nor her pseudonym, which the stored pepper could recompute (issue 13): Bob names his
    # manager again if she rejoins.
    assert bob is not None and bob.manager_id is None and bob.manager_ref is None

    # A second click on the same button, and leave when never joined: friendly, nothing changes.
    slack.click(ALICE, action_id="leave_confirm", value=confirm["value"])
    assert "nothing of yours to delete" in fake_slack.wait_for_response(count=2)[-1]["text"]
    assert "nothing of yours to delete" in slack.command(ALICE, "leave").json()["text"]
    assert participant(runtime, "U0BOB") is not None


@pytest.mark.usefixtures("programme")
def test_a_forged_button_value_is_refused(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    join(slack, fake_slack)
    slack.click(ALICE, action_id="leave_confirm", value="<!channel>")
    assert "out of date" in fake_slack.wait_for_response()[-1]["text"]
    assert participant(runtime) is not None


@pytest.mark.usefixtures("programme")
def test_app_home_shows_status_and_acts(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    def home() -> dict[str, Any]:
        count = len(fake_slack.calls_to("views.publish"))
        slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
        view: dict[str, Any] = fake_slack.wait_for("views.publish", count=count + 1)[-1].args[
            "view"
        ]
        return view

    def action_ids(view: dict[str, Any]) -> set[str]:
        return {
            e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
        }

    assert action_ids(home()) == {"join", "my_data"}
    join(slack, fake_slack)
    assert action_ids(home()) == {"edit_profile", "pause", "pause_until", "leave", "my_data"}
    count = len(fake_slack.calls_to("views.publish"))
    slack.click(ALICE, action_id="pause", view_id=fake_slack.published_home[ALICE]["id"])
    republished = fake_slack.wait_for("views.publish", count=count + 1)[-1].args["view"]
    assert action_ids(republished) == {"edit_profile", "resume", "leave", "my_data"}
    stored = participant(runtime)
    assert stored is not None and stored.paused
    slack.click(ALICE, action_id="leave", view_id=fake_slack.published_home[ALICE]["id"])
    fake_slack.wait_for("views.publish", count=count + 2)
    assert participant(runtime) is None


@pytest.mark.usefixtures("programme")
def test_hostile_text_is_stored_as_given_and_shown_inert(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    join(slack, fake_slack, department=typed("<!channel> *Ops*\u202e <@U0BOB>"))
    stored = participant(runtime)
    assert stored is not None and stored.department == "<!channel> *Ops* <@U0BOB>"
    reply = slack.command(OWNER, "programme new <!here> <http://evil|click>").json()
    shown = reply["blocks"][0]["text"]
    assert shown["type"] == "plain_text" and "<!here>" in shown["text"]


def test_programme_commands_are_for_owners(slack: SlackDriver) -> None:
    body = slack.command(ALICE, "programme new Mine").json()
    assert "Only programme owners" in body["text"]
    owner_help = json.dumps(slack.command(OWNER, "help").json()["blocks"])
    assert "For programme owners" in owner_help
    assert "For programme owners" not in json.dumps(slack.command(ALICE, "help").json()["blocks"])
