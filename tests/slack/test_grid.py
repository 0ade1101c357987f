"""Enterprise Grid: one org-wide install for every workspace of an organisation."""

import gc
import logging
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.app import build_runtime
from bot.runtime import Runtime
from bot.store.models import Pair, Participant, Programme
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.admin import settings_values
from tests.support.bot import BotServer
from tests.support.constants import OWNER as SINGLE_OWNER
from tests.support.constants import SIGNING_SECRET
from tests.support.database import rows_mentioning
from tests.support.inputs import button, many, selected, typed
from tests.support.oauth import install, serve_oauth_bot
from tests.support.participants import join, open_survey, survey_values
from tests.support.rounds import answer, consent_dms

ORG = "E0ORG"
WORKSPACES = ("T0ONE", "T0TWO")
OWNER = "W0OWNER"  # Grid ids: the same person in every workspace of the organisation
PEOPLE = {"T0ONE": ("W0ANN", "U0BEN"), "T0TWO": ("W0CAT", "U0DAN")}
OTHER_ORG, OTHER_TEAM, STRANGER = "E0ELSE", "T0ELSE", "W0STRANGER"


def add_org(fake: FakeSlack) -> None:
    fake.reset()  # not the session bot's start-up auth.test: only this test's calls
    fake.add_org(ORG, *WORKSPACES)
    fake.add_org(OTHER_ORG, OTHER_TEAM)
    fake.add_user(OWNER, team_id=WORKSPACES[0])
    fake.add_user("U0BOSS", team_id=WORKSPACES[0])
    for team, people in PEOPLE.items():
        for user in people:
            fake.add_user(user, team_id=team)
    fake.add_user(STRANGER, team_id=OTHER_TEAM)


def driver(bot: BotServer, fake: FakeSlack, team: str) -> SlackDriver:
    return SlackDriver(
        bot_url=bot.url, signing_secret=SIGNING_SECRET, fake=fake, team_id=team, org_wide=True
    )


def to(user: str) -> Callable[[Call], bool]:
    return lambda call: call.args.get("channel") == user


def test_an_org_wide_install_covers_every_workspace_with_the_organisation_s_token(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    assert runtime
    caplog.set_level(logging.INFO, logger="bot")
    add_org(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        assert install(bot, fake_slack, ORG).status == 200
        (token,) = fake_slack.tokens_of(ORG)
        client = bot.runtime.clients.for_team(ORG)
        assert client is not None and client.token == token
        assert bot.runtime.clients.for_team(WORKSPACES[0]) is None  # no install of its own

        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        created = slacks["T0ONE"].command(OWNER, "programme new Pilot").json()["text"]
        assert "open for sign-up" in created
        for team, (person, _) in PEOPLE.items():
            assert join(slacks[team], fake_slack, person).status == 200
            fake_slack.wait_for("chat.postMessage", where=to(person))  # the welcome
            assert "Pilot" in str(slacks[team].command(person, "status").json())
        bot.settle()

        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel=STRANGER, text="hi")
    assert refused.value.response["error"] == "invalid_auth"

    calls = [c for c in fake_slack.calls if c.method != "oauth.v2.access"]
    assert {c.method for c in calls} >= {"views.open", "chat.postMessage", "users.info"}
    assert {c.team_id for c in calls} == {ORG}  # every call with the organisation's token
    assert [c for c in calls if not c.ok] == [calls[-1]]  # only the stranger's
    with runtime.sessions() as session:
        joined = session.execute(select(Participant.team_id, Participant.user_id)).all()
    assert sorted(joined) == [(ORG, "W0ANN"), (ORG, "W0CAT")]
    # Logs name the organisation's people by their pseudonyms, never by their Grid ids.
    lines = [r.getMessage() for r in caplog.records]
    assert not [line for line in lines if "W0ANN" in line or "W0CAT" in line]
    named = [line for line in lines if "name=/mentoring team=E0ORG user=p" in line]
    assert len(named) >= 2, lines


def sign_up(slack: SlackDriver, fake: FakeSlack, user: str, side: str) -> None:
    answers = {
        "side": selected(side, "radio_buttons"),
        "stage": selected("0" if side == "share" else "4"),
        "manager": {"type": "users_select", "selected_user": None},
        "shares": many("digital_tools") if side == "share" else many(),
        "learns": many("digital_tools") if side == "learn" else many("leadership"),
    }
    assert join(slack, fake, user, **answers).status == 200
    fake.wait_for("chat.postMessage", where=to(user))  # the welcome


def test_an_org_wide_programme_matches_people_of_two_workspaces(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    mentor, mentee = PEOPLE["T0ONE"][0], PEOPLE["T0TWO"][0]
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, ORG)
        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        created = slacks["T0ONE"].command(OWNER, "programme new Pilot").json()
        assert "every workspace of the organisation" in str(created["blocks"])
        sign_up(slacks["T0ONE"], fake_slack, mentor, "share")
        sign_up(slacks["T0TWO"], fake_slack, mentee, "learn")

        shown = slacks["T0TWO"].command(OWNER, "match").json()  # the owner, in the other one
        assert "*Pilot*: 1 pair" in str(shown["blocks"]), shown
        value = button(shown, "round_confirm")["value"]
        slacks["T0TWO"].click(OWNER, action_id="round_confirm", value=value)
        dms = consent_dms(fake_slack, 2)
        for team, user in (("T0ONE", mentor), ("T0TWO", mentee)):
            answer(slacks[team], user, dms[f"D{user[1:]}"], accept=True)
        fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"].startswith("G"))
        bot.settle()
    opened = fake_slack.calls_to("conversations.open")[-1]
    assert set(opened.args["users"].split(",")) == {mentor, mentee}
    assert all(c.ok and c.team_id == ORG for c in fake_slack.calls if c.method != "oauth.v2.access")
    with runtime.sessions() as session:
        pair = session.scalars(select(Pair)).one()
    assert (pair.team_id, {pair.mentor_id, pair.mentee_id}) == (ORG, {mentor, mentee})


def test_a_workspace_s_own_programme_is_joinable_from_that_workspace_only(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, ORG)
        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        created = slacks["T0ONE"].command(OWNER, "programme workspace Local").json()
        assert "Open to this workspace only" in str(created["blocks"])
        outsider = PEOPLE["T0TWO"][0]
        refused = slacks["T0TWO"].command(outsider, "join").json()
        assert "no programme" in refused["text"].lower(), refused
        sign_up(slacks["T0ONE"], fake_slack, PEOPLE["T0ONE"][0], "share")
        bot.settle()
    with runtime.sessions() as session:
        programme = session.scalars(select(Programme)).one()
        joined = session.scalars(select(Participant.user_id)).all()
    assert (programme.team_id, programme.workspace_id) == (ORG, "T0ONE")
    assert joined == [PEOPLE["T0ONE"][0]]


def test_one_person_in_two_workspaces_of_the_organisation_is_one_participant(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    person = PEOPLE["T0ONE"][0]
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, ORG)
        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        slacks["T0ONE"].command(OWNER, "programme new Pilot")
        sign_up(slacks["T0ONE"], fake_slack, person, "share")
        # In the other workspace, the same Grid id: already in, and editing the same answers.
        assert "Pilot" in str(slacks["T0TWO"].command(person, "status").json())
        assert "paused" in slacks["T0TWO"].command(person, "pause").json()["text"].lower()
        opened = open_survey(slacks["T0TWO"], fake_slack, person, word="profile")
        slacks["T0TWO"].submit_view(
            person,
            view_id=opened.response["view"]["id"],
            values=survey_values(department=typed("Design")),
        )
        bot.settle()
    with runtime.sessions() as session:
        rows = session.scalars(select(Participant)).all()
    assert [(p.team_id, p.user_id, p.department, p.paused) for p in rows] == [
        (ORG, person, "Design", True)
    ]


def test_uninstalling_the_org_wide_install_erases_the_organisation_s_people(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    add_org(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, ORG)
        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        slacks["T0ONE"].command(OWNER, "programme new Pilot")
        for team, (person, _) in PEOPLE.items():
            sign_up(slacks[team], fake_slack, person, "share")
        bot.settle()
        fake_slack.revoke_team(ORG)
        revoked = {"type": "tokens_revoked", "tokens": {"bot": [fake_slack.bot_user_id]}}
        assert slacks["T0TWO"].event(revoked).status == 200
        bot.settle()
        assert slacks["T0ONE"].event({"type": "app_uninstalled"}).status == 200
        bot.settle()
        assert bot.runtime.clients.for_team(ORG) is None
        for person, _ in PEOPLE.values():
            assert rows_mentioning(bot.runtime, person) == []
    with runtime.sessions() as session:
        assert session.scalars(select(Participant)).all() == []


def test_a_grid_workspace_installed_on_its_own_is_a_workspace_of_its_own(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    person = PEOPLE["T0ONE"][0]
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, "T0ONE")  # not org-wide: this workspace only
        slack = SlackDriver(
            bot_url=bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id="T0ONE"
        )
        assert slack.enterprise_id == ORG  # its payloads still name the organisation
        slack.command(OWNER, "programme new Pilot")
        sign_up(slack, fake_slack, person, "share")  # the welcome goes out through the outbox
        bot.settle()
        assert slack.event({"type": "app_uninstalled"}).status == 200
        bot.settle()
        assert bot.runtime.clients.for_team("T0ONE") is None
        assert rows_mentioning(bot.runtime, person) == []
    calls = [c for c in fake_slack.calls if c.method != "oauth.v2.access"]
    assert {(c.team_id, c.ok) for c in calls} == {("T0ONE", True)}
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.team_id)).all() == ["T0ONE"]


def test_an_org_wide_rotating_token_is_refreshed_once_for_every_workspace(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as web:
        assert install(web, fake_slack, ORG, rotation=True, expires_in=3600).status == 200
        scheduler = build_runtime(web.runtime.settings)  # the clock process: its own engine
        try:
            for team in WORKSPACES:
                assert driver(web, fake_slack, team).command(OWNER, "help").status == 200
            client = scheduler.clients.for_team(ORG)
            web.settle()
        finally:
            scheduler.close()
            gc.collect()  # as in test_rotation: the second runtime's leftovers, now
    assert fake_slack.rotations == {ORG: 1}
    _, rotated = fake_slack.tokens_of(ORG)
    assert client is not None and client.token == rotated


def open_admin_in(slack: SlackDriver, fake: FakeSlack, text: str) -> dict[str, Any]:
    count = len(fake.calls_to("views.open"))
    assert slack.command(OWNER, text).status == 200
    return dict(fake.wait_for("views.open", count=count + 1)[-1].response["view"])


def block_ids(view: dict[str, Any]) -> list[str]:
    return [str(b.get("block_id")) for b in view["blocks"]]


def test_the_owner_chooses_in_the_admin_modal_whether_a_new_programme_is_for_one_workspace(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_org(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNER) as bot:
        install(bot, fake_slack, ORG)
        slacks = {team: driver(bot, fake_slack, team) for team in WORKSPACES}
        for name, reach in (("Org wide", "organisation"), ("Team two", "workspace")):
            view = open_admin_in(slacks["T0TWO"], fake_slack, "admin")
            assert "reach" in block_ids(view)
            values = settings_values(name=typed(name), reach=selected(reach, "radio_buttons"))
            saved = slacks["T0TWO"].submit_view(OWNER, view_id=view["id"], values=values)
            assert saved.status == 200 and "errors" not in saved.body, saved.body
        edited = open_admin_in(slacks["T0TWO"], fake_slack, "admin Team two")
        assert "reach" not in block_ids(edited)  # chosen once, when it is created
        bot.settle()
        here = open_survey(slacks["T0TWO"], fake_slack, PEOPLE["T0TWO"][0])
        elsewhere = open_survey(slacks["T0ONE"], fake_slack, PEOPLE["T0ONE"][0])
    with runtime.sessions() as session:
        found = session.execute(select(Programme.name, Programme.workspace_id)).all()
    assert sorted(found) == [("Org wide", None), ("Team two", "T0TWO")]
    offered = str(here.response["view"]["blocks"])
    assert "Org wide" in offered and "Team two" in offered
    assert "Team two" not in str(elsewhere.response["view"]["blocks"])


def test_outside_enterprise_grid_the_admin_modal_asks_no_such_question(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    count = len(fake_slack.calls_to("views.open"))
    assert slack.command(SINGLE_OWNER, "admin").status == 200
    view = fake_slack.wait_for("views.open", count=count + 1)[-1].response["view"]
    assert "reach" not in block_ids(view) and "name" in block_ids(view)
