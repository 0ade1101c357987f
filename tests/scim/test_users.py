"""Provisioning through SCIM: the token, the chart it feeds, searches, and departures."""

import json
import logging
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.states import OrgSource, PairStatus
from bot.flows import mydata
from bot.jobs import JOBS
from bot.runtime import Runtime
from bot.store import org_chart, participants
from bot.store.models import Pair
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.factories import a_pair, a_programme
from tests.support.participants import join, new_programme
from tests.support.scim import ENTERPRISE, USER, Scim, enterprise

BOSS = "U0BOSS"
ALICE_EMAIL = "alice.smith@example.com"
BOSS_EMAIL = "the.boss@example.com"


def lines(runtime: Runtime) -> dict[str, str]:
    with runtime.sessions() as session:
        return org_chart.reporting_lines(session=session, team_id=TEAM_ID)


def in_chart(runtime: Runtime, user_id: str) -> bool:
    with runtime.sessions() as session:
        return org_chart.get(session=session, team_id=TEAM_ID, user_id=user_id) is not None


def joined(runtime: Runtime, user_id: str) -> bool:
    with runtime.sessions() as session:
        return participants.get(session=session, team_id=TEAM_ID, user_id=user_id) is not None


def test_scim_is_off_without_a_token(bot: BotServer) -> None:
    request = urllib.request.Request(f"{bot.url}/scim/v2/Users")
    request.add_header("Authorization", "Bearer anything-at-all-0123456789abcdef")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404
    refused.value.close()


def test_a_wrong_or_missing_token_is_refused_with_a_scim_error(directory: Scim) -> None:
    for token in ("not-the-token", ""):
        answer = directory.call("GET", "Users", token=token)
        assert answer.status == 401
        assert answer.body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert answer.body["status"] == "401"
    wrong = directory.call("POST", "Users", {"userName": "x@example.com"}, token="nope")
    assert wrong.status == 401
    assert directory.call("GET", "Users").body["totalResults"] == 0
    # The service's description too: the token is the only key.
    assert directory.call("GET", "ServiceProviderConfig", token="nope").status == 401


def test_provisioned_users_are_found_in_slack_and_chart_their_reporting_line(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    fake_slack.add_user(BOSS, email=BOSS_EMAIL)
    # The report first: the line appears once her manager is provisioned and found too.
    alice = directory.create(ALICE_EMAIL, **enterprise(department="Marketing"))
    assert alice.status == 201
    boss = directory.create(BOSS_EMAIL)
    scim_bot.settle()
    assert lines(scim_runtime) == {}
    patched = directory.patch(
        alice.body["id"],
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": boss.body["id"]}},
    )
    assert patched.status == 200
    scim_bot.settle()
    assert lines(scim_runtime) == {ALICE: BOSS}
    with scim_runtime.sessions() as session:
        line = org_chart.get(session=session, team_id=TEAM_ID, user_id=ALICE)
        assert line is not None
        assert (line.source, line.department) == (OrgSource.SCIM, "Marketing")
    # Someone Slack does not know is kept, and simply not charted.
    assert directory.create("nobody@example.com").status == 201
    scim_bot.settle()
    assert set(lines(scim_runtime)) == {ALICE}


def test_a_taken_user_name_is_a_conflict_whatever_its_case(directory: Scim) -> None:
    assert directory.create("bob@example.com").status == 201
    again = directory.create("BOB@example.com")
    assert again.status == 409
    assert again.body["scimType"] == "uniqueness"
    assert directory.call("GET", "Users").body["totalResults"] == 1


def test_filters_on_user_name_and_external_id_and_pages(directory: Scim) -> None:
    for n in range(3):
        assert directory.create(f"user{n}@example.com", externalId=f"ext-{n}").status == 201
    found = directory.call("GET", "Users?filter=userName%20eq%20%22USER1@example.com%22").body
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "user1@example.com"
    by_external = directory.call("GET", "Users?filter=externalId%20eq%20%22ext-2%22").body
    assert [r["userName"] for r in by_external["Resources"]] == ["user2@example.com"]
    assert (
        directory.call("GET", "Users?filter=externalId%20eq%20%22EXT-2%22").body["totalResults"]
        == 0
    )  # externalId is case-exact
    page = directory.call("GET", "Users?startIndex=2&count=1").body
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "user1@example.com"
    # Any other filter is evaluated too.
    other = directory.call("GET", "Users?filter=userName%20sw%20%22user2%22").body
    assert other["totalResults"] == 1


def test_deactivation_takes_the_person_out_of_every_pool_and_erases_them(
    scim_bot: BotServer,
    scim_runtime: Runtime,
    directory: Scim,
    scim_slack: SlackDriver,
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    new_programme(scim_slack)
    join(scim_slack, fake_slack)
    alice = directory.create(ALICE_EMAIL, name={"givenName": "Alice", "familyName": "Smith"})
    scim_bot.settle()
    assert joined(scim_runtime, ALICE) and in_chart(scim_runtime, ALICE)

    answer = directory.patch(alice.body["id"], {"op": "replace", "path": "active", "value": False})
    assert answer.status == 200
    scim_bot.settle()
    assert not joined(scim_runtime, ALICE)
    assert not in_chart(scim_runtime, ALICE)
    assert rows_mentioning(scim_runtime, ALICE) == []
    assert rows_mentioning(scim_runtime, "Smith") == []
    kept = directory.call("GET", f"Users/{alice.body['id']}").body
    assert kept["active"] is False and "emails" not in kept and "name" not in kept


def test_delete_erases_the_person_and_everything_scim_held(
    scim_bot: BotServer,
    scim_runtime: Runtime,
    directory: Scim,
    scim_slack: SlackDriver,
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    new_programme(scim_slack)
    join(scim_slack, fake_slack)
    alice = directory.create(ALICE_EMAIL, externalId="00u1alice")
    scim_bot.settle()
    assert in_chart(scim_runtime, ALICE)

    assert directory.call("DELETE", f"Users/{alice.body['id']}").status == 204
    scim_bot.settle()
    assert not joined(scim_runtime, ALICE)
    for needle in (ALICE, ALICE_EMAIL, "00u1alice", alice.body["id"]):
        assert rows_mentioning(scim_runtime, needle) == []
    assert directory.call("GET", f"Users/{alice.body['id']}").status == 404


def test_logs_name_nobody_the_directory_sent(
    scim_bot: BotServer, directory: Scim, caplog: pytest.LogCaptureFixture
) -> None:
    # As production logs (bot.logs.configure): Slack's libraries, which log call arguments at
    # DEBUG, are held at WARNING there.
    with (
        caplog.at_level(logging.DEBUG, logger="bot"),
        caplog.at_level(logging.DEBUG, logger="scim2_server"),
    ):
        directory.create(ALICE_EMAIL, externalId="00u1alice")
        directory.create(ALICE_EMAIL)  # refused: taken
        directory.call("POST", "Users", {"schemas": ["nonsense"], "userName": ALICE_EMAIL})
        directory.create("carol@example.com", active=ALICE_EMAIL)  # refused: not a boolean
        scim_bot.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "scim request refused" in logged
    assert ALICE_EMAIL not in logged and "00u1alice" not in logged


def test_lookups_slack_refused_or_could_not_answer_are_retried_by_the_job(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, fake_slack: FakeSlack
) -> None:
    # The fake keeps its members across tests: someone no earlier test added.
    late, late_email = f"U0L{uuid.uuid4().hex[:8].upper()}", f"{uuid.uuid4().hex}@example.com"
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    fake_slack.fail_next("users.lookupByEmail", status=429)
    directory.create(ALICE_EMAIL)
    scim_bot.settle()
    directory.create(late_email)  # not in Slack yet
    scim_bot.settle()
    assert not in_chart(scim_runtime, ALICE)

    now = datetime.now(UTC)
    JOBS["scim_lookups"](scim_runtime, now)
    assert in_chart(scim_runtime, ALICE)  # the rate-limited lookup, asked again at once
    fake_slack.add_user(late, email=late_email)
    JOBS["scim_lookups"](scim_runtime, now + timedelta(hours=1))
    assert not in_chart(scim_runtime, late)  # Slack said nobody: asked again a day later
    JOBS["scim_lookups"](scim_runtime, now + timedelta(days=1, minutes=1))
    assert in_chart(scim_runtime, late)


def test_a_put_with_active_false_ends_the_pair_and_erases_the_person(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user("U0MENTOR", email="mentor@example.com")
    fake_slack.add_user("U0MENTEE", email="mentee@example.com")
    with scim_runtime.sessions.begin() as session:
        pair_id = a_pair(session, a_programme(session)).id
    mentor = directory.create("mentor@example.com", externalId="e-mentor")
    scim_bot.settle()
    assert in_chart(scim_runtime, "U0MENTOR")

    replaced = directory.call(
        "PUT",
        f"Users/{mentor.body['id']}",
        {
            "schemas": [USER],
            "userName": "mentor@example.com",
            "externalId": "e-mentor",
            "active": False,
            "emails": [{"value": "mentor@example.com", "type": "work"}],
        },
    )
    assert (replaced.status, replaced.body["active"]) == (200, False)
    scim_bot.settle()
    with scim_runtime.sessions() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None and pair.status == PairStatus.ENDED
        assert pair.mentor_id != "U0MENTOR"
    assert not joined(scim_runtime, "U0MENTOR") and joined(scim_runtime, "U0MENTEE")
    assert rows_mentioning(scim_runtime, "U0MENTOR") == []
    # Only the userName the directory finds them by is kept, in SCIM's own table.
    kept = rows_mentioning(scim_runtime, "mentor@example.com")
    assert kept and all(row.startswith("scim_users:") for row in kept)


def test_an_uninstall_deletes_everything_scim_provisioned(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, scim_slack: SlackDriver
) -> None:
    directory.create(ALICE_EMAIL, externalId="00u1alice")
    scim_bot.settle()
    assert rows_mentioning(scim_runtime, "00u1alice")
    assert scim_slack.event({"type": "app_uninstalled"}).status == 200
    scim_bot.settle()
    assert rows_mentioning(scim_runtime, "00u1alice") == []


def test_someone_deactivated_before_slack_told_who_they_are_is_still_erased(
    scim_bot: BotServer,
    scim_runtime: Runtime,
    directory: Scim,
    scim_slack: SlackDriver,
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    new_programme(scim_slack)
    join(scim_slack, fake_slack)
    fake_slack.fail_next("users.lookupByEmail", status=429)
    alice = directory.create(ALICE_EMAIL)
    scim_bot.settle()
    assert not in_chart(scim_runtime, ALICE)  # Slack has not said who she is yet

    assert directory.patch(alice.body["id"], {"op": "replace", "path": "active", "value": False})
    scim_bot.settle()
    assert not joined(scim_runtime, ALICE)
    assert rows_mentioning(scim_runtime, ALICE) == []


def test_my_data_includes_what_the_directory_pushed_without_the_manager(
    scim_bot: BotServer, scim_runtime: Runtime, directory: Scim, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(ALICE, email=ALICE_EMAIL)
    fake_slack.add_user(BOSS, email=BOSS_EMAIL)
    boss = directory.create(BOSS_EMAIL, displayName="The Boss").body["id"]
    alice = directory.create(
        ALICE_EMAIL, displayName="Alice Smith", **enterprise(manager=boss, department="Sales")
    ).body["id"]
    scim_bot.settle()
    with scim_runtime.sessions() as session:
        export = mydata.gather(session=session, team_id=TEAM_ID, user_id=ALICE)
    assert export.directory is not None
    assert export.directory["scim_id"] == alice
    assert export.directory["attributes"]["displayName"] == "Alice Smith"
    assert export.directory["attributes"][ENTERPRISE] == {
        "department": "Sales",
        "manager_named": True,
    }
    assert boss not in json.dumps(export.as_dict(now=datetime.now(UTC)))


def test_patches_to_one_user_at_once_all_count(directory: Scim) -> None:
    scim_id = directory.create("busy@example.com").body["id"]
    numbers = [f"+44 20 7946 00{n:02d}" for n in range(8)]

    def add(number: str) -> int:
        operation = {"op": "add", "path": "phoneNumbers", "value": [{"value": number}]}
        return directory.patch(scim_id, operation).status

    with ThreadPoolExecutor(len(numbers)) as pool:
        assert list(pool.map(add, numbers)) == [200] * len(numbers)
    kept = directory.call("GET", f"Users/{scim_id}").body
    assert sorted(p["value"] for p in kept["phoneNumbers"]) == numbers
    assert kept["meta"]["version"] == f'W/"{len(numbers) + 1}"'
