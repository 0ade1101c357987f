"""The org chart through the real app: a CSV upload is the authority on reporting lines."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.domain.org_csv import MAX_ROWS
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.org_chart.loading import lookup_emails, read_upload
from bot.store.models import Owner, Participant, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin
from tests.support.bot import BotServer
from tests.support.constants import OWNER, SIGNING_SECRET, TOKEN
from tests.support.inputs import many, selected, typed
from tests.support.org_chart import chart, email_of, open_from_admin, upload_chart
from tests.support.participants import join, new_programme
from tests.support.process import base_env
from tests.support.rounds import preview, proposals

# C manages B manages A; D, E and F report to nobody in the programme.
A, B, C, D, E, F = (f"U0ORG{x}" for x in "ABCDEF")
CHAIN = {A, B, C}
THREE_LEVELS = (
    "person,manager,department\n"
    f"{email_of(A)},{email_of(B)},Sales\n"
    f"{email_of(B)},{C},Sales\n"
    f"{C},,Board\n"
    f"{D},,Ops\n"
)


def join_six(slack: SlackDriver, fake: FakeSlack, **answers: dict[str, Any]) -> None:
    """A, D share; B either way; C, E, F learn. Nobody names a manager unless told to."""
    fake.add_user(OWNER, real_name="Owner")
    new_programme(slack)
    roles = {A: ("share", "0"), D: ("share", "0"), B: ("either", "2")}
    for user in (A, B, C, D, E, F):
        fake.add_user(user, real_name=user.title())
        side, stage = roles.get(user, ("learn", "4"))
        answered = join(
            slack,
            fake,
            user,
            side=selected(side, "radio_buttons"),
            stage=selected(stage),
            department=typed("Same"),
            manager=answers.get(user, {"type": "users_select", "selected_user": None}),
            shares=many("digital_tools") if side != "learn" else many(),
            learns=many("digital_tools") if side == "learn" else many("leadership"),
        )
        assert answered.status == 200 and not answered.body.strip(), answered.body


def crossing(runtime: Runtime) -> list[tuple[str, str]]:
    """Proposed pairs with both people in the chain C > B > A."""
    return [
        (p.mentor_id, p.mentee_id)
        for p in proposals(runtime)
        if {p.mentor_id, p.mentee_id} <= CHAIN
    ]


def test_a_three_level_chain_is_never_crossed(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    join_six(slack, fake_slack)
    report = upload_chart(slack, fake_slack, bot, THREE_LEVELS)
    assert "loaded: 4 people, 2 with a manager" in report.args["text"]
    assert chart(runtime) == {A: B, B: C, C: None, D: None}
    trail = str(slack.command(OWNER, "audit").json()["blocks"])
    assert "loaded the org chart" in trail and "4 people, 2 with a manager" in trail
    assert {c.args["email"] for c in fake_slack.calls_to("users.lookupByEmail")} == {
        email_of(A),
        email_of(B),
    }

    shown = preview(slack)
    pairs = proposals(runtime)
    assert len(pairs) == 3  # everyone is paired, around the chain
    assert crossing(runtime) == []
    assert "org chart" not in str(shown["blocks"])  # no answer disagrees with the chart


def test_a_survey_answer_that_disagrees_is_flagged_and_neither_line_is_crossed(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    # A says D is their manager; the chart says B.
    join_six(slack, fake_slack, **{A: {"type": "users_select", "selected_user": D}})
    upload_chart(slack, fake_slack, bot, THREE_LEVELS)
    notes = [str(b) for b in preview(slack)["blocks"] if "org chart" in str(b)]
    assert len(notes) == 1
    assert "1 person named a line manager in the survey who is not their manager" in notes[0]
    assert "<@" not in notes[0]  # the note names nobody
    pairs = {frozenset((p.mentor_id, p.mentee_id)) for p in proposals(runtime)}
    assert frozenset((A, D)) not in pairs and crossing(runtime) == []


def test_the_programme_settings_modal_loads_the_chart_too(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(OWNER)
    fake_slack.add_user(A)
    view_id = open_from_admin(slack, fake_slack, bot)
    report = upload_chart(slack, fake_slack, bot, f"person,manager\n{A},{OWNER}\n", view_id=view_id)
    assert "loaded: 1 person, 1 with a manager" in report.args["text"]
    assert chart(runtime) == {A: OWNER}


def test_a_malformed_csv_changes_nothing_and_reports_each_bad_row(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(A)
    fake_slack.add_user(B)
    upload_chart(slack, fake_slack, bot, f"person,manager\n{A},{B}\n{B},\n")
    before = chart(runtime)
    bad = (
        "person,manager,department\n"
        f"{A},{B},Sales\n"  # line 2: fine
        "not-an-address,,\n"  # line 3
        f"{B},{B},\n"  # line 4: their own manager
        f"nobody@example.com,{A},\n"  # line 5: no such Slack user
        f"{A},,\n"  # line 6: A again
        "<!channel>,,\n"  # line 7: not a person, and must not ping
        f"{D},{A},{'x' * 81}\n"  # line 8: department too long
    )
    report = upload_chart(slack, fake_slack, bot, bad)
    text = str(report.args["blocks"])
    assert "The org chart was not changed: the file has 6 problems" in report.args["text"]
    for line in (3, 4, 5, 6, 7, 8):
        assert f"Line {line}:" in text
    assert "Line 2:" not in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert chart(runtime) == before


def test_a_long_report_comes_as_a_file_too(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    rows = "".join(f"bad{n},\n" for n in range(30))
    report = upload_chart(slack, fake_slack, bot, "person,manager\n" + rows)
    assert "30 problems" in report.args["text"]
    (upload,) = fake_slack.uploads
    content = upload.content.decode()
    assert all(f"Line {n + 2}: person “bad{n}”" in content for n in range(30))
    assert chart(runtime) == {}


def test_a_header_without_the_columns_is_refused(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    report = upload_chart(slack, fake_slack, bot, "name,boss\nU0X1,U0X2\n")
    text = str(report.args["blocks"])
    assert "Line 1: the header has no “person” column" in text
    assert chart(runtime) == {}


def test_someone_gone_from_a_full_import_is_erased_as_by_leave(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    join_six(slack, fake_slack)
    upload_chart(slack, fake_slack, bot, THREE_LEVELS)
    without_a = THREE_LEVELS.replace(f"{email_of(A)},{email_of(B)},Sales\n", "")
    report = upload_chart(slack, fake_slack, bot, without_a)
    assert "1 person no longer in it left every programme" in report.args["text"]
    assert chart(runtime) == {B: C, C: None, D: None}
    with runtime.sessions() as session:
        assert session.scalar(select(Participant).where(Participant.user_id == A)) is None
        assert session.scalar(select(Participant).where(Participant.user_id == B)) is not None


@pytest.mark.usefixtures("runtime")
def test_only_owners_of_everything_load_the_chart(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.add_user(A)
    answer = slack.command(A, "orgchart").json()
    assert "Only programme owners" in answer["text"]
    assert not fake_slack.calls_to("views.open")


def import_people(database_url: str, api_url: str, path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot import-people FILE.csv`, as an operator runs it."""
    env = base_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "import-people", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_imports_reports_and_erases(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    runtime: Runtime,
    database_url: str,
    tmp_path: Path,
) -> None:
    join_six(slack, fake_slack)
    good = tmp_path / "people.csv"
    good.write_text(THREE_LEVELS)
    done = import_people(database_url, fake_slack.base_url, good)
    assert done.returncode == 0, done.stderr
    assert "The org chart is loaded: 4 people, 2 with a manager" in done.stdout
    assert chart(runtime) == {A: B, B: C, C: None, D: None}

    bad = tmp_path / "bad.csv"
    bad.write_text(f"person,manager\n{A},{A}\nnobody@example.com,\n")
    refused = import_people(database_url, fake_slack.base_url, bad)
    assert refused.returncode == 1
    assert "Line 2: " in refused.stdout and "Line 3: no Slack user" in refused.stdout
    assert chart(runtime) == {A: B, B: C, C: None, D: None}

    good.write_text(THREE_LEVELS.replace(f"{email_of(A)},{email_of(B)},Sales\n", ""))
    assert import_people(database_url, fake_slack.base_url, good).returncode == 0
    missing = import_people(database_url, fake_slack.base_url, tmp_path / "nope.csv")
    assert missing.returncode == 2 and missing.stderr.startswith("upward: cannot read")
    with runtime.sessions() as session:
        assert session.scalar(select(Participant).where(Participant.user_id == A)) is None


@pytest.mark.usefixtures("runtime")
def test_my_data_shows_the_person_s_line_in_the_chart_without_their_manager(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer
) -> None:
    fake_slack.add_user(A)
    fake_slack.add_user(B)
    upload_chart(slack, fake_slack, bot, f"person,manager,department\n{email_of(A)},{B},Sales\n")
    fake_slack.reset()
    slack.command(A, "mydata")
    fake_slack.wait_for("files.completeUploadExternal")
    by_name = {u.filename.rsplit(".", 1)[1]: u for u in fake_slack.uploads}
    export = json.loads(by_name["json"].content)
    assert export["org_chart"]["email"] == email_of(A)
    assert export["org_chart"]["department"] == "Sales"
    assert export["org_chart"]["manager_named"] is True
    assert B not in by_name["json"].content.decode() + by_name["txt"].content.decode()


@pytest.mark.usefixtures("runtime")
def test_email_look_ups_wait_out_slack_s_rate_limit(fake_slack: FakeSlack) -> None:
    fake_slack.add_user(A)
    fake_slack.fail_next("users.lookupByEmail", retry_after=7)
    waits: list[float] = []
    client = WebClient(base_url=fake_slack.base_url, token=TOKEN)
    found = lookup_emails(client, [email_of(A), "nobody@example.org"], sleep=waits.append)
    assert found == {email_of(A): A, "nobody@example.org": None}
    assert waits == [7.0]


def test_a_programme_owner_of_one_programme_cannot_load_the_chart(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(OWNER)
    fake_slack.add_user(A)
    new_programme(slack)
    with runtime.sessions.begin() as session:
        programme = session.scalars(select(Programme)).one()
        session.add(
            Owner(
                team_id=programme.team_id,
                user_id=A,
                programme_id=programme.id,
                added_by=OWNER,
                created_at=programme.created_at,
            )
        )
    view_id = open_admin(slack, fake_slack, "admin Spring pilot", user=A)
    assert slack.click(A, action_id="org_chart", view_id=view_id).status == 200
    bot.settle()
    pushed = fake_slack.wait_for("views.push")[-1].args["view"]
    assert "Only owners of every programme" in json.dumps(pushed)
    assert "Only owners of every programme" in slack.command(A, "orgchart").json()["text"]


def test_an_uninstall_deletes_the_chart(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(A)
    upload_chart(slack, fake_slack, bot, f"person,manager,department\n{email_of(A)},{B},Sales\n")
    assert chart(runtime) == {A: B}
    assert slack.event({"type": "app_uninstalled"}).status == 200
    bot.settle()
    assert chart(runtime) == {}


def test_the_largest_bad_file_is_reported_inside_slack_s_limits(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    rows = "".join(f"<@U0X{n}> *bad*,\n" for n in range(MAX_ROWS + 5))
    report = upload_chart(slack, fake_slack, bot, "person,manager\n" + rows)
    assert f"the file has {MAX_ROWS + 1:,} problems" in report.args["text"]
    assert "<@" not in json.dumps(report.args["blocks"])  # the fake checked the limits too
    (upload,) = fake_slack.uploads
    assert f"more than {MAX_ROWS:,} rows" in upload.content.decode()
    assert chart(runtime) == {}


def test_slack_failing_during_the_look_ups_changes_nothing_and_says_so(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(A)
    fake_slack.fail_next("users.lookupByEmail", status=500, times=3)
    report = upload_chart(slack, fake_slack, bot, f"person,manager\n{email_of(A)},\n")
    assert "Slack stopped answering" in report.args["text"]
    assert "not changed" in report.args["text"]
    assert chart(runtime) == {}


@pytest.mark.usefixtures("runtime")
def test_the_bot_token_never_follows_a_redirect(fake_slack: FakeSlack) -> None:
    client = WebClient(base_url=fake_slack.base_url, token=TOKEN)
    kept = fake_slack.share_file(b"person,manager\n", user_id=OWNER)
    url = client.files_info(file=kept)["file"]["url_private_download"]
    assert read_upload(client, kept) == b"person,manager\n"
    # A redirect to a page that would serve the file to whoever carries the token.
    moved = fake_slack.share_file(b"", user_id=OWNER, redirect_to=url)
    with pytest.raises(Refusal):
        read_upload(client, moved)
    with pytest.raises(Refusal):
        read_upload(client, "F0NOPE")
