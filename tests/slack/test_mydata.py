"""My data: the person's own data in a DM, and nothing of anyone else's."""

import json
from typing import Any

from bot.flows.mydata import gather
from bot.runtime import Runtime
from bot.slack.participants.mydata import SENDING
from bot.store import outbox
from bot.store.models import CheckinAnswer
from tests.fakeslack import FakeSlack, SlackDriver, Upload
from tests.support.constants import ALICE, TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme, joined

BOB, CAROL, DAVE = "U0BOB", "U0CAROL", "U0DAVE"
# Values only other people's rows hold: none of them may reach Alice's export.
OTHERS = [
    "Bob's private goal",
    "BOBONLY-department",
    "bob-secret-share",
    "Carol's goal",
    "carol-dave-goal",
    CAROL,
    DAVE,
    "U0BOSS",
    "carol's pending message",
    "ANON-COMMENT",
]


def seed(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = a_programme(session)
        joined(
            session, programme, ALICE, "share", goal="Alice learns to coach", manager_id="U0BOSS"
        )
        joined(
            session,
            programme,
            BOB,
            "learn",
            goal="Bob's private goal",
            department="BOBONLY-department",
            share_other="bob-secret-share",
        )
        joined(session, programme, CAROL, "share", goal="Carol's goal")
        a_pair(session, programme, ALICE, BOB, goals=["Ship a demo together"])
        a_pair(session, programme, CAROL, DAVE, goals=["carol-dave-goal"])
        for user, text in ((ALICE, "alice's next prompt"), (CAROL, "carol's pending message")):
            outbox.enqueue(
                session=session,
                team_id=TEAM_ID,
                key=f"note:{user}",
                method="chat.postMessage",
                payload={"channel": user, "text": text},
                now=NOW,
                user_id=user,
            )
        session.add(
            CheckinAnswer(
                id="a1",
                team_id=TEAM_ID,
                programme_id=programme.id,
                side="share",
                week=NOW.date(),
                met="yes",
                usefulness=5,
                comment="ANON-COMMENT",
            )
        )


def files(fake: FakeSlack) -> tuple[dict[str, Any], str, list[Upload]]:
    fake.wait_for("files.completeUploadExternal")
    uploads = fake.uploads
    by_name = {u.filename.rsplit(".", 1)[1]: u for u in uploads}
    return json.loads(by_name["json"].content), by_name["txt"].content.decode(), uploads


def test_mydata_sends_the_person_s_answers_and_nothing_of_anyone_else_s(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(ALICE)
    seed(runtime)
    response = slack.command(ALICE, "mydata")
    assert response.json()["text"] == SENDING
    export, summary, uploads = files(fake_slack)

    assert {u.channel_id for u in uploads} == {
        fake_slack.calls_to("conversations.open")[0].response["channel"]["id"]
    }
    assert export["you"] == ALICE
    assert export["profile"]["goal"] == "Alice learns to coach"
    assert export["profile"]["department"] == "Marketing"
    assert export["profile"]["manager_named"] is True
    assert export["programme"]["name"] == "Spring"
    [pair] = export["pairs"]
    assert (pair["partner"], pair["your_role"]) == (BOB, "mentor")
    assert pair["goals"] == ["Ship a demo together"]
    assert [m["text"] for m in export["pending_messages"]] == ["alice's next prompt"]
    assert "Alice learns to coach" in summary and "Ship a demo together" in summary
    for content in (json.dumps(export), summary):
        assert [value for value in OTHERS if value in content] == []


def test_the_app_home_s_button_sends_the_same(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(ALICE)
    seed(runtime)
    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    fake_slack.wait_for("views.publish")
    slack.click(ALICE, action_id="my_data", view_id=fake_slack.published_home[ALICE]["id"])
    export, _, _ = files(fake_slack)
    assert export["profile"]["goal"] == "Alice learns to coach"


def test_someone_unknown_gets_an_empty_export(runtime: Runtime) -> None:
    seed(runtime)
    with runtime.sessions() as session:
        export = gather(session=session, team_id=TEAM_ID, user_id="U0NOBODY").as_dict(now=NOW)
    assert export["profile"] is None and export["pairs"] == [] and export["pending_messages"] == []
