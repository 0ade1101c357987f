"""Enterprise Grid: one org-wide install for every workspace of an organisation."""

from collections.abc import Callable

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Participant
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import SIGNING_SECRET
from tests.support.oauth import install, serve_oauth_bot
from tests.support.participants import join

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
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
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
