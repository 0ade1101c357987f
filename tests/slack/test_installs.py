"""Installs through OAuth: many workspaces, each called with its own token."""

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot import jobs
from bot.runtime import Runtime
from bot.slack.installs import WorkspaceClients
from bot.slack.outbox.delivery import NOT_INSTALLED
from bot.slack.outbox.group_dms import SlackGroupDMs
from bot.store import outbox
from bot.store.models import OutboxMessage, Participant
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, OWNER, SIGNING_SECRET, TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.oauth import CLIENT_ID, get, install, serve_oauth_bot, start_install
from tests.support.participants import join

TEAMS = {"T0AAA": ("UAOWNER", "UAALICE"), "T0BBB": ("UBOWNER", "UBALICE")}
OWNERS = ",".join(owner for owner, _ in TEAMS.values())


def add_people(fake: FakeSlack) -> None:
    for team, people in TEAMS.items():
        for user in people:
            fake.add_user(user, team_id=team)
    fake.add_user("U0BOSS", team_id="T0AAA")


def to(user: str) -> Callable[[Call], bool]:
    return lambda call: call.args.get("channel") == user


def sign_up(bot: BotServer, fake: FakeSlack, team: str) -> SlackDriver:
    owner, alice = TEAMS[team]
    slack = SlackDriver(bot_url=bot.url, signing_secret=SIGNING_SECRET, fake=fake, team_id=team)
    assert "open for sign-up" in slack.command(owner, "programme new Pilot").json()["text"]
    assert join(slack, fake, alice).status == 200
    return slack


def test_the_single_token_mode_has_no_install_pages(bot: BotServer, runtime: Runtime) -> None:
    assert get(f"{bot.url}/slack/install").status == 404
    assert get(f"{bot.url}/slack/oauth_redirect?code=x&state=y").status == 404
    assert runtime.clients.for_team("T0ANY") is runtime.clients.for_team(TEAM_ID)


def test_the_install_page_sends_people_to_the_api_host_s_authorize_page(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime  # the database and the fake are reset afterwards
    with serve_oauth_bot(database_url, fake_slack) as bot:
        started = start_install(bot)
    url = urlsplit(started.authorize_url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{fake_slack.url}/oauth/v2/authorize"
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert {"commands", "chat:write", "files:write"} <= set(query["scope"][0].split(","))


def test_a_redirect_without_the_install_s_state_installs_nothing(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    with serve_oauth_bot(database_url, fake_slack) as bot:
        started = start_install(bot)
        code = fake_slack.grant("T0AAA")
        page = get(
            f"{bot.url}/slack/oauth_redirect?code={code}&state=forged", cookie=started.cookie
        )
        assert page.status >= 400
        assert bot.runtime.clients.for_team("T0AAA") is None
    assert fake_slack.calls_to("oauth.v2.access") == []


def test_two_workspaces_install_and_each_is_called_with_its_own_token(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_people(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNERS) as bot:
        for team in TEAMS:
            page = install(bot, fake_slack, team)
            assert page.status == 200, page.body
        clients: WorkspaceClients = bot.runtime.clients
        tokens = {team: client.token for team in TEAMS if (client := clients.for_team(team))}
        assert tokens == {team: fake_slack.tokens_of(team)[0] for team in TEAMS}
        assert clients.for_team(TEAM_ID) is None  # never installed there

        for team in TEAMS:
            sign_up(bot, fake_slack, team)
        for team, (_, alice) in TEAMS.items():
            welcome = fake_slack.wait_for("chat.postMessage", where=to(alice))
            assert welcome[0].team_id == team
        bot.settle()

    calls = [c for c in fake_slack.calls if c.method != "oauth.v2.access"]
    assert {c.method for c in calls} >= {"auth.test", "views.open", "chat.postMessage"}
    assert all(c.ok for c in calls), [c for c in calls if not c.ok]
    assert {c.team_id for c in calls} == set(TEAMS)
    for call in calls:
        named = {call.args.get("channel"), call.args.get("user")}
        for team, people in TEAMS.items():
            if named & set(people):
                assert call.team_id == team, call


def test_the_fake_refuses_a_token_of_another_workspace(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_people(fake_slack)
    with serve_oauth_bot(database_url, fake_slack) as bot:
        install(bot, fake_slack, "T0AAA")
        client = bot.runtime.clients.for_team("T0AAA")
        assert client is not None
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="UBALICE", text="hi")
    assert refused.value.response["error"] == "invalid_auth"


def post_to_everyone(runtime: Runtime, now: datetime) -> None:
    with runtime.sessions.begin() as session:
        for team, people in TEAMS.items():
            for user in people:
                outbox.enqueue(
                    session=session,
                    team_id=team,
                    key=f"hello:{user}",
                    method="chat.postMessage",
                    payload={"channel": user, "text": "hello"},
                    now=now,
                    user_id=user,
                )


def statuses(runtime: Runtime) -> dict[str, tuple[str, str | None]]:
    with runtime.sessions() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        return {m.user_id or "": (m.status, m.error) for m in rows}


def test_the_outbox_sends_each_workspace_s_messages_with_its_token_and_none_where_it_is_gone(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_people(fake_slack)
    now = datetime.now(UTC)
    with serve_oauth_bot(database_url, fake_slack) as bot:
        for team in TEAMS:
            install(bot, fake_slack, team)
        bot.runtime.clients.forget("T0BBB")
        post_to_everyone(bot.runtime, now)
        jobs.deliver(bot.runtime, now)
        assert statuses(bot.runtime) == {
            "UAOWNER": (outbox.SENT, None),
            "UAALICE": (outbox.SENT, None),
            "UBOWNER": (outbox.FAILED, NOT_INSTALLED),
            "UBALICE": (outbox.FAILED, NOT_INSTALLED),
        }
    sent = fake_slack.calls_to("chat.postMessage", include_failed=True)
    assert [(c.args["channel"], c.team_id) for c in sent] == [
        ("UAOWNER", "T0AAA"),
        ("UAALICE", "T0AAA"),
    ]


def test_a_workspace_slack_refuses_loses_nothing_for_the_others(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_people(fake_slack)
    now = datetime.now(UTC)
    with serve_oauth_bot(database_url, fake_slack) as bot:
        for team in TEAMS:
            install(bot, fake_slack, team)
        fake_slack.fail_team("T0AAA", "account_inactive")
        post_to_everyone(bot.runtime, now)
        jobs.deliver(bot.runtime, now)
        found = statuses(bot.runtime)
    assert found["UAALICE"] == (outbox.FAILED, "account_inactive")
    assert found["UBALICE"] == found["UBOWNER"] == (outbox.SENT, None)


def test_an_uninstall_erases_that_workspace_s_people_while_the_other_keeps_working(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    add_people(fake_slack)
    with serve_oauth_bot(database_url, fake_slack, programme_owners=OWNERS) as bot:
        for team in TEAMS:
            install(bot, fake_slack, team)
        drivers = {team: sign_up(bot, fake_slack, team) for team in TEAMS}
        bot.settle()
        assert rows_mentioning(bot.runtime, "UAALICE")

        fake_slack.revoke_team("T0AAA")
        revoked = {"type": "tokens_revoked", "tokens": {"bot": [fake_slack.bot_user_id]}}
        assert drivers["T0AAA"].event(revoked).status == 200
        bot.settle()  # Slack sends them one after the other
        assert drivers["T0AAA"].event({"type": "app_uninstalled"}).status == 200
        bot.settle()

        for person in TEAMS["T0AAA"]:
            assert rows_mentioning(bot.runtime, person) == []
        # Alice's manager is named in the other workspace too, but no more in this one.
        assert [r for r in rows_mentioning(bot.runtime, "U0BOSS") if "'T0AAA'" in r] == []
        assert bot.runtime.clients.for_team("T0AAA") is None
        calls_before = len(fake_slack.calls)
        drivers["T0AAA"].command("UAALICE", "status")
        bot.settle()
        assert len(fake_slack.calls) == calls_before  # nothing is sent there any more

        # The other workspace's people are all there and their commands work.
        assert rows_mentioning(bot.runtime, "UBALICE")
        other = drivers["T0BBB"]
        assert "open for sign-up" in other.command("UBOWNER", "programme new Second").json()["text"]
        assert other.command("UBALICE", "status").status == 200
        bot.settle()
    assert all(c.ok for c in fake_slack.calls if c.team_id == "T0BBB")
    erased = [r.getMessage() for r in caplog.records if "workspace erased" in r.getMessage()]
    assert erased == [
        "workspace erased: team=T0AAA reason=tokens_revoked people=3",
        "workspace erased: team=T0AAA reason=app_uninstalled people=0",
    ]
    with runtime.sessions() as session:
        remaining = session.scalars(select(Participant.team_id)).all()
    assert remaining == ["T0BBB"]


def test_the_scheduler_opens_each_pair_s_group_dm_with_its_workspace_s_token(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert runtime
    add_people(fake_slack)
    with serve_oauth_bot(database_url, fake_slack) as bot:
        for team in TEAMS:
            install(bot, fake_slack, team)
        group_dms = SlackGroupDMs(bot.runtime.clients.for_team)
        for team, people in TEAMS.items():
            assert group_dms.open_group(team_id=team, users=list(people)) is not None
        assert group_dms.open_group(team_id=TEAM_ID, users=["U0ALICE", "U0BOB"]) is None
    opened = fake_slack.calls_to("conversations.open", include_failed=True)
    assert [(c.team_id, c.ok) for c in opened] == [("T0AAA", True), ("T0BBB", True)]


def test_an_uninstall_in_the_single_token_mode_erases_the_workspace_too(
    bot: BotServer, slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("U0BOSS")
    fake_slack.add_user(ALICE)
    assert "open for sign-up" in slack.command(OWNER, "programme new Pilot").json()["text"]
    assert join(slack, fake_slack, ALICE).status == 200
    assert slack.event({"type": "app_uninstalled"}).status == 200
    bot.settle()
    with runtime.sessions() as session:
        assert session.scalars(select(Participant)).all() == []
    assert rows_mentioning(runtime, ALICE) == []
