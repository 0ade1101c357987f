"""Objective and announcement: a programme says what it is for, and owners announce it in a
channel with a *Join* button anyone there can click."""

import json
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.domain import programme as rules
from bot.runtime import Runtime
from bot.slack.rounds.kickoff import kickoff
from bot.store.models import AuditEntry, Pair, Programme
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import ALICE, OWNER
from tests.support.inputs import typed
from tests.support.participants import join, new_programme

CHANNEL = "C0GENERAL"
ESCAPED = f"<#{CHANNEL}|general>"
OBJECTIVE = "Help our leaders <!channel> learn *digital* ways of working from newer colleagues."
CHAMPION = "U0SENIOR"


def set_up(
    slack: SlackDriver, fake: FakeSlack, name: str = "Spring pilot", *, new: bool = True,
    **extra: Any,
) -> None:  # fmt: skip
    """A programme saved through the settings modal with an objective and a champion."""
    fake.add_user(CHAMPION, real_name="Senior Champion")
    if new:
        new_programme(slack, name)
    values = settings_values(
        name=typed(name),
        objective=typed(OBJECTIVE),
        champions={"type": "multi_users_select", "selected_users": [CHAMPION]},
        signup_deadline={"type": "datepicker", "selected_date": "2099-03-31"},
        **extra,
    )
    response = slack.submit_view(
        OWNER, view_id=open_admin(slack, fake, f"admin {name}"), values=values
    )
    assert "Saved" in str(response.json()), response.json()


def announcement(fake: FakeSlack) -> Call:
    return fake.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == CHANNEL)[-1]


def test_the_announcement_says_what_who_how_long_the_rules_the_deadline_and_the_champions(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    set_up(slack, fake_slack)
    reply = slack.command(OWNER, f"announce {ESCAPED}").json()
    assert f"<#{CHANNEL}>" in reply["text"]
    posted = announcement(fake_slack)
    text = str(posted.args["blocks"])
    assert "Join Spring pilot" in text
    assert "What it is for:" in text and "learn" in text
    assert "<!channel>" not in text  # the owners' words are inert
    assert "be a guide" in text and "be an explorer" in text  # the role words
    assert "every 3 weeks, for rounds of 12 weeks" in text
    assert "stays between the two of them" in text
    assert "Tuesday 31 March 2099" in text
    assert f"<@{CHAMPION}>" in text
    join_button = next(
        e for b in posted.args["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    assert join_button["action_id"] == "join"
    slack.fake.wait_for_response()
    assert "Announced in" in str(fake_slack.responses[-1])
    with runtime.sessions() as session:
        assert "announced" in session.scalars(select(AuditEntry.action)).all()


def test_join_in_the_announcement_opens_the_survey_for_whoever_clicks(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    set_up(slack, fake_slack)
    slack.command(OWNER, f"announce {ESCAPED}")
    posted = announcement(fake_slack)
    opened = len(fake_slack.calls_to("views.open"))
    slack.click(ALICE, action_id="join", channel_id=CHANNEL, message_ts=posted.response["ts"])
    survey = fake_slack.wait_for("views.open", count=opened + 1)[-1].args["view"]
    assert survey["callback_id"] == "survey"


def test_a_channel_without_the_bot_gets_a_clear_reply_on_how_to_invite_it(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    new_programme(slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="not_in_channel")
    slack.command(OWNER, f"announce <#{CHANNEL}>")
    answer = str(slack.fake.wait_for_response()[-1])
    assert "I'm not in" in answer and "/invite @Upward" in answer


def test_the_programme_is_chosen_by_name_and_refused_when_closed_or_not_yours(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    new_programme(slack, "Spring pilot")
    new_programme(slack, "Autumn")
    assert "There are 2 programmes" in slack.command(OWNER, f"announce {ESCAPED}").json()["text"]
    assert "Posting" in slack.command(OWNER, f"announce Autumn {ESCAPED}").json()["text"]
    assert "Join Autumn" in str(announcement(fake_slack).args["blocks"])
    assert "Name the channel" in slack.command(OWNER, "announce Autumn").json()["text"]
    assert "Only programme owners" in slack.command(ALICE, f"announce {ESCAPED}").json()["text"]
    set_up(
        slack, fake_slack, "Autumn", new=False, flags={"type": "checkboxes", "selected_options": []}
    )
    closed = slack.command(OWNER, f"announce Autumn {ESCAPED}").json()["text"]
    assert "closed for sign-up" in closed


def test_announce_from_the_app_home_with_a_channel_picker(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    new_programme(slack)
    before = len(fake_slack.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": OWNER, "tab": "home"})
    fake_slack.wait_for("views.publish", count=before + 1)
    home = fake_slack.published_home[OWNER]
    opened = len(fake_slack.calls_to("views.open"))
    slack.click(OWNER, action_id="home_announce", view_id=home["id"])
    modal = fake_slack.wait_for("views.open", count=opened + 1)[-1].response["view"]
    assert any(b.get("element", {}).get("type") == "conversations_select" for b in modal["blocks"])
    chosen = {
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": CHANNEL}}
    }
    slack.submit_view(OWNER, view_id=modal["id"], values=chosen)
    assert "Join Spring pilot" in str(announcement(fake_slack).args["blocks"])
    updated = fake_slack.wait_for("views.update")[-1].args["view"]
    assert "Announced in" in str(updated)


def test_the_objective_is_shown_in_the_welcome_and_the_kick_off_and_its_length_checked(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    set_up(slack, fake_slack)
    fake_slack.add_user(ALICE, real_name="Alice")
    join(slack, fake_slack, ALICE)
    welcome = fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == ALICE)[
        -1
    ]
    assert "What this programme is for:" in str(welcome.args["blocks"])
    assert "<!channel>" not in str(welcome.args["blocks"])
    with runtime.sessions() as session:
        programme = session.scalars(select(Programme)).one()
        pair = Pair(mentor_id="U0A", mentee_id="U0B", id=1)
        message = kickoff(pair, programme)
    assert "What the programme is for:" in str([b.to_dict() for b in message.blocks])
    too_long = replace(rules.defaults("Spring"), objective="x" * (rules.MAX_OBJECTIVE + 1))
    assert set(rules.problems(too_long, today=date.today())) == {"objective"}
    assert (
        rules.problems(replace(too_long, objective="x" * rules.MAX_OBJECTIVE), today=date.today())
        == {}
    )


def test_a_champion_who_joined_and_left_is_named_no_more(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    set_up(slack, fake_slack)
    join(slack, fake_slack, CHAMPION)
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.champions)).one() == [CHAMPION]
    asked = slack.command(CHAMPION, "leave").json()
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    confirm = next(b for b in buttons if b["action_id"] == "leave_confirm")
    slack.click(CHAMPION, action_id="leave_confirm", value=confirm["value"])
    slack.fake.wait_for_response()
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.champions)).one() == []


def test_a_champion_s_data_export_says_which_programmes_name_them(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    set_up(slack, fake_slack)
    slack.command(CHAMPION, "mydata")
    fake_slack.wait_for("files.completeUploadExternal")
    export = next(u for u in fake_slack.uploads if u.filename.endswith(".json"))
    assert json.loads(export.content)["senior_champion_of"] == ["Spring pilot"]
