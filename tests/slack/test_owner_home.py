"""The owners' home base: the App Home of an owner and `/mentoring programmes`."""

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from bot.runtime import Runtime
from bot.store.models import Owner, Programme, Proposal
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import ALICE, OWNER
from tests.support.factories import NOW, a_pair, a_programme, joined
from tests.support.inputs import selected
from tests.support.participants import join, new_programme

CAROL = "U0CAROL"
LONG = "A programme name that is exactly eighty characters long, for limits: number "


def home_of(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    fake.wait_for("views.publish", count=before + 1)
    return fake.published_home[user]


def row_of(home: dict[str, Any], name: str) -> tuple[str, list[dict[str, Any]]]:
    """A programme's state line and its buttons."""
    blocks = home["blocks"]
    for at, block in enumerate(blocks):
        if block["type"] == "section" and f"*{name}*" in block["text"]["text"]:
            return block["text"]["text"], blocks[at + 1]["elements"]
    raise AssertionError(f"no row for {name}")


def many_programmes(runtime: Runtime, count: int) -> None:
    with runtime.sessions.begin() as session:
        for n in range(count):
            a_programme(session, f"{LONG}{n:03d}"[:80])


def test_an_owner_sees_each_programme_with_its_state_and_actions(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    with runtime.sessions.begin() as session:
        spring = a_programme(session, "Spring", signup_deadline=NOW.date() + timedelta(days=30))
        a_pair(session, spring, "U0MENTOR", "U0MENTEE")
        joined(session, spring, "U0WAIT1")
        joined(session, spring, "U0WAIT2", "learn")
        a_programme(session, "Autumn", signup_open=False)
    state, buttons = row_of(home_of(slack, fake_slack, OWNER), "Spring")
    assert "Sign-up open until" in state
    assert "round in progress, 1 pair" in state
    assert "4 people signed up" in state
    assert [b["text"]["text"] for b in buttons] == [
        "Edit",
        "Match (preview)",
        "Stats",
        "Announce",
        "Archive",
    ]
    assert buttons[-1]["confirm"]["title"]["text"] == "Archive this programme?"
    autumn, _ = row_of(fake_slack.published_home[OWNER], "Autumn")
    assert "Sign-up closed" in autumn and "no round in progress" in autumn


def test_people_waiting_are_those_in_no_pair_and_not_paused(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    new_programme(slack, "Spring")
    join(slack, fake_slack, ALICE)
    join(slack, fake_slack, "U0BOB")
    slack.command("U0BOB", "pause")
    state, _ = row_of(home_of(slack, fake_slack, OWNER), "Spring")
    assert "2 people signed up, 1 waiting for a match" in state


def test_an_owner_who_joined_still_sees_their_participant_part(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(OWNER, real_name="Owner")
    new_programme(slack, "Spring")
    join(slack, fake_slack, OWNER)
    home = home_of(slack, fake_slack, OWNER)
    text = str(home["blocks"])
    assert "Your programmes" in text and "*Programme:* Spring" in text
    actions = [
        e["action_id"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert "edit_profile" in actions and "home_archive" in actions


def test_an_owner_of_one_programme_sees_only_that_one_and_others_see_none(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(CAROL, real_name="Carol")
    new_programme(slack, "Spring pilot")
    new_programme(slack, "Autumn")
    slack.submit_view(
        OWNER, view_id=open_admin(slack, fake_slack, "admin Spring pilot"), values=settings_values()
    )
    carol = str(home_of(slack, fake_slack, CAROL)["blocks"])
    assert "Spring pilot" in carol and "Autumn" not in carol
    assert "Autumn" in str(home_of(slack, fake_slack, OWNER)["blocks"])
    alice = str(home_of(slack, fake_slack, ALICE)["blocks"])
    assert "Your programmes" not in alice and "home_edit" not in alice
    assert "Spring pilot" in str(slack.command(CAROL, "programmes").json())
    assert "Autumn" not in str(slack.command(CAROL, "programmes").json())
    refused = slack.command(ALICE, "programmes").json()["text"]
    assert "Only programme owners can do that" in refused


def test_many_programmes_with_80_character_names_stay_inside_slack_s_limits(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    many_programmes(runtime, 120)
    # The fake refuses a Home tab or a reply that breaks a limit (100 blocks, text lengths).
    home = home_of(slack, fake_slack, OWNER)
    assert len(home["blocks"]) <= 100
    text = str(home["blocks"])
    assert "more programmes: `/mentoring programmes` lists them all" in text
    listing = slack.command(OWNER, "programmes").json()
    assert "Your programmes* (120)" in str(listing)
    assert f"{LONG}119"[:80] in str(listing)  # every one listed, within 50 blocks


def test_the_app_home_asks_the_same_few_queries_however_many_programmes(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    def queries_for_home() -> int:
        statements.clear()
        event.listen(runtime.reader, "before_cursor_execute", count)
        try:
            home_of(slack, fake_slack, OWNER)
        finally:
            event.remove(runtime.reader, "before_cursor_execute", count)
        return len([s for s in statements if "programmes" in s])

    many_programmes(runtime, 2)
    few = queries_for_home()
    with runtime.sessions.begin() as session:
        for n in range(30):
            spring = a_programme(session, f"Spring {n}")
            a_pair(session, spring, f"U0M{n:04d}", f"U0E{n:04d}")
    assert queries_for_home() == few


def test_edit_match_and_stats_from_the_app_home(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(OWNER, real_name="Owner")
    new_programme(slack, "Spring")
    new_programme(slack, "Autumn")
    home = home_of(slack, fake_slack, OWNER)
    _, buttons = row_of(home, "Autumn")
    value = buttons[0]["value"]

    opened = len(fake_slack.calls_to("views.open"))
    slack.click(
        OWNER, action_id="home_edit", value=value, block_id=f"programme_{value}", view_id=home["id"]
    )
    modal = fake_slack.wait_for("views.open", count=opened + 1)[-1].args["view"]
    name = next(b for b in modal["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Autumn"

    opened = len(fake_slack.calls_to("views.open"))
    row = f"programme_{value}"
    slack.click(OWNER, action_id="home_match", value=value, block_id=row, view_id=home["id"])
    notice = fake_slack.wait_for("views.open", count=opened + 1)[-1].args["view"]
    assert "There aren't enough people" in str(notice)  # the App Home answers in a modal

    posted = len(fake_slack.calls_to("chat.postMessage"))
    slack.click(OWNER, action_id="home_stats", value=value, block_id=row, view_id=home["id"])
    figures = fake_slack.wait_for("chat.postMessage", count=posted + 1)[-1]
    assert figures.args["channel"] == OWNER  # the owner's DM with the bot
    assert "Autumn" in str(figures.args["blocks"])
    notice = fake_slack.wait_for("views.open", count=opened + 2)[-1].args["view"]
    assert "in your DM with me" in str(notice)
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.name).order_by(Programme.id)).all() == [
            "Spring",
            "Autumn",
        ]
        assert session.scalars(select(Owner)).all() == []


def test_a_preview_from_the_app_home_arrives_in_the_dm_and_can_be_confirmed_there(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(OWNER, real_name="Owner")
    fake_slack.add_user(ALICE, real_name="Alice")
    fake_slack.add_user("U0BOB", real_name="Bob")
    new_programme(slack, "Spring")
    join(slack, fake_slack, ALICE)
    join(slack, fake_slack, "U0BOB", side=selected("learn", "radio_buttons"), stage=selected("4"))
    home = home_of(slack, fake_slack, OWNER)
    _, buttons = row_of(home, "Spring")
    slack.click(OWNER, action_id="home_match", value=buttons[1]["value"], view_id=home["id"])
    preview = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == OWNER)[
        -1
    ]
    assert "round_confirm" in str(preview.args["blocks"])
    fake_slack.wait_for("files.completeUploadExternal")  # the CSV follows
    slack.click(
        OWNER,
        action_id="round_confirm",
        channel_id=preview.response["channel"],
        message_ts=preview.response["ts"],
    )
    fake_slack.wait_for(
        "chat.postMessage", count=2, where=lambda c: "will you accept" in c.args["text"]
    )
    with runtime.sessions() as session:
        assert session.scalars(select(Proposal.status)).all() == ["pending"]
