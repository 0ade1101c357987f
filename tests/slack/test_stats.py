"""Owners' stats end to end: figures in the ack, chart and CSV in the DM, refusals and the audit."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import AuditEntry, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import ALICE, OWNER
from tests.support.database import rows_mentioning
from tests.support.inputs import button
from tests.support.participants import join, new_programme
from tests.support.rounds import preview, sign_up_dozen
from tests.support.stats import seed

PNG = b"\x89PNG\r\n\x1a\n"


def seeded(slack: SlackDriver, runtime: Runtime, name: str = "Spring") -> None:
    slack.fake.add_user(OWNER, real_name="Owner")
    new_programme(slack, name)
    with runtime.sessions.begin() as session:
        programme = session.scalar(select(Programme).where(Programme.name == name))
        assert programme is not None
        seed(session, programme)


def trail(runtime: Runtime) -> list[tuple[str, str, str | None, str]]:
    with runtime.sessions() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.actor_id, e.action, e.subject_id, e.detail) for e in entries]


def assert_no_small_counts(values: Iterable[str]) -> None:
    counts = [int(v) for v in values if v.isdigit()]
    assert counts and all(n == 0 or n >= 5 for n in counts), counts


def text_of(body: dict[str, Any]) -> str:
    return str(body["blocks"])


def test_an_owner_gets_the_figures_then_a_chart_and_a_csv(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seeded(slack, runtime)
    response = slack.command(OWNER, "stats")
    assert response.elapsed < 3
    body = response.json()
    assert body["response_type"] == "ephemeral"
    shown = text_of(body)
    assert "Stats: Spring" in shown
    # 3 "either" count under "other", with the 12 mentees so that "other" has 5 people.
    assert "*Sign-ups:* 30 (mentor 15 · other 15)" in shown
    assert "*Active pairs:* 10" in shown
    assert "*Check-in response rate:* 50% · met: 80–100%" in shown
    assert "*Consent rate:* 80–100%" in shown
    assert "comment" in shown  # 18 free-text answers: a random handful is shown

    fake_slack.wait_for("files.completeUploadExternal")
    chart, table = fake_slack.uploads
    dm = "D" + OWNER[1:]
    assert (chart.channel_id, table.channel_id) == (dm, dm)
    assert chart.filename.endswith(".png") and chart.content.startswith(PNG)
    assert table.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert rows[0] == ["programme", "figure", "group", "value"]
    cells = {(figure, group): value for _, figure, group, value in rows[1:]}
    assert cells["sign-ups by side", "mentor"] == "15"  # the programme's word for sharing
    assert cells["sign-ups by side", "other"] == "15"  # 12 + 3: the 3 never stand alone
    assert ("sign-ups by side", "either") not in cells
    assert cells["decided proposals", "other"] == "14"  # 2 declines are never alone
    assert cells["round end", "other"] == "6"  # 3 "new partner" and 3 "stop"
    assert cells["consent rate", ""] == "0.8-1.0"
    assert_no_small_counts(cells.values())
    assert trail(runtime)[-1] == (OWNER, "stats", None, "Spring")


def test_a_non_owner_is_refused_and_the_attempt_is_recorded(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seeded(slack, runtime)
    body = slack.command(ALICE, "stats Spring").json()
    assert "Only programme owners" in body["text"]
    assert "Sign-ups" not in str(body)
    assert trail(runtime)[-1] == (ALICE, "refused", None, "/mentoring stats")
    assert fake_slack.uploads == []
    assert "Only programme owners" in slack.command(ALICE, "audit").json()["text"]

    # The owner sees both attempts in the audit trail, newest first.
    shown = text_of(slack.command(OWNER, "audit").json())
    assert shown.index("/mentoring audit") < shown.index("/mentoring stats")
    assert f"<@{ALICE}> was refused" in shown
    assert "created a programme: Spring" in shown
    assert fake_slack.uploads == []


def test_small_groups_are_withheld_everywhere(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    fake_slack.add_user(OWNER, real_name="Owner")
    new_programme(slack, "Tiny")
    fake_slack.add_user(ALICE, real_name="Alice")
    join(slack, fake_slack)
    body = slack.command(OWNER, "stats Tiny").json()
    shown = text_of(body)
    assert "*Sign-ups, career stages, pauses:* not shown yet" in shown
    assert "What people wrote" not in shown
    fake_slack.wait_for("files.completeUploadExternal")
    _, table = fake_slack.uploads
    assert_no_small_counts(row[3] for row in csv.reader(io.StringIO(table.content.decode())))


def test_an_unknown_programme_gets_a_friendly_answer(slack: SlackDriver) -> None:
    new_programme(slack, "Spring")
    assert "can't find a programme" in slack.command(OWNER, "stats Autumn").json()["text"]


def test_admin_changes_are_recorded(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("U0CAROL", real_name="Carol")
    slack.submit_view(OWNER, view_id=open_admin(slack, fake_slack), values=settings_values())
    slack.submit_view(
        OWNER,
        view_id=open_admin(slack, fake_slack, "admin Spring pilot"),
        values=settings_values(owners={"type": "multi_users_select", "selected_users": []}),
    )
    assert trail(runtime) == [
        (OWNER, "programme_created", None, "Spring pilot"),
        (OWNER, "owner_added", "U0CAROL", "Spring pilot"),
        (OWNER, "programme_edited", None, "Spring pilot"),
        (OWNER, "owner_removed", "U0CAROL", "Spring pilot"),
    ]
    shown = text_of(slack.command(OWNER, "audit").json())
    assert "removed an owner <@U0CAROL>: Spring pilot" in shown


def test_confirming_a_round_is_recorded(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    fake_slack.wait_for_response()
    assert trail(runtime)[-1] == (OWNER, "round_confirmed", None, "Spring pilot: 6 proposals")


def test_leaving_removes_the_person_from_the_audit_trail(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    new_programme(slack, "Spring")
    fake_slack.add_user(ALICE, real_name="Alice")
    join(slack, fake_slack)
    slack.command(ALICE, "stats")
    slack.command(ALICE, "pause")
    assert rows_mentioning(runtime, ALICE)

    asked = slack.command(ALICE, "leave").json()
    confirm = button(asked, "leave_confirm")
    slack.click(ALICE, action_id="leave_confirm", value=confirm["value"])
    assert "personal data is deleted" in fake_slack.wait_for_response()[-1]["text"]
    assert rows_mentioning(runtime, ALICE) == []
    assert ("-", "refused", None, "/mentoring stats") in trail(runtime)
    assert "someone who has left was refused" in text_of(slack.command(OWNER, "audit").json())


def test_a_failed_upload_is_reported_kindly_after_the_figures(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seeded(slack, runtime)
    fake_slack.fail_next("files.getUploadURLExternal", status=200, error="invalid_auth")
    assert "Stats: Spring" in text_of(slack.command(OWNER, "stats").json())
    assert "couldn't send the chart" in fake_slack.wait_for_response()[-1]["text"]
    assert fake_slack.uploads == []
