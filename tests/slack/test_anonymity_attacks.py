"""Issue 13's attacks, run against the real bot process: a curious owner and a database reader.

Each test plays one scenario end to end over signed HTTP against the fake Slack, with the
scheduler ticked at chosen moments, and checks that it reveals nothing.
"""

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import String, select, text, update

from bot.runtime import Runtime
from bot.store.models import (
    Ballot,
    Base,
    CheckinAnswer,
    CheckinRequest,
    Pair,
    Participant,
    Programme,
    Workspace,
)
from tests.conftest import OWNER, settle
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.slack.test_keep_going import MAYA, SAM, START, Clock, click_in, start_pair
from tests.slack.test_participants import join, selected, typed
from tests.slack.test_rounds import JUNIORS, SENIORS, answer, button, consent_dms, preview
from tests.slack.test_rounds import sign_up_dozen as sign_up

DOZEN = JUNIORS + SENIORS
CHECKINS_OUT = datetime(2027, 1, 18, 10, tzinfo=UTC)  # the Monday after the first period
FIRST_CLOSE = datetime(2027, 2, 1, 10, tzinfo=UTC)  # the programme's period with them closes
SECOND_CLOSE = datetime(2027, 2, 15, 10, tzinfo=UTC)


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def start_dozen(slack: SlackDriver, fake: FakeSlack, runtime: Runtime) -> None:
    """Twelve people sign up, six pairs are proposed, confirmed and accepted, kick-offs out."""
    fake.add_user(OWNER, real_name="Owner")
    sign_up(slack, fake)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(fake, 12)
    for user in DOZEN:
        answer(slack, user, dms[f"D{user[1:]}"], accept=True)
    fake.wait_for("chat.postMessage", count=6, where=lambda c: "starts here" in c.args["text"])
    settle(runtime)
    fake.reset()


def checkin_dms(clock: Clock, at: datetime) -> dict[str, Call]:
    """Tick at `at`; each person's check-in DM by their Slack id."""
    sent = clock.tick(at)
    return {c.args["channel"]: c for c in sent if "check-in" in str(c.args["text"])}


def answer_checkin(
    slack: SlackDriver,
    fake: FakeSlack,
    user: str,
    dm: Call,
    *,
    met: str = "yes",
    useful: str = "4",
    comment: str = "",
) -> None:
    seen = len(fake.calls_to("views.open"))
    click_in(slack, user, dm, "checkin_open")
    form = fake.wait_for("views.open", count=seen + 1)[seen]
    values: dict[str, Any] = {
        "met": {"met": selected(met, "radio_buttons")},
        "usefulness": {"usefulness": selected(useful)},
    }
    if comment:
        values["comment"] = {"comment": typed(comment)}
    reply = slack.submit_view(user, view_id=form.response["view"]["id"], values=values)
    assert "Thank you" in str(reply.json()["view"])


def owner_stats(slack: SlackDriver, fake: FakeSlack) -> tuple[str, str, list[str]]:
    """The figures as shown (without the comments), the CSV, and the comments shown."""
    before = len(fake.uploads)
    body = slack.command(OWNER, "stats").json()
    figures = body["blocks"][2]["text"]["text"]
    comments = [
        b["text"]["text"]
        for b in body["blocks"]
        if b["type"] == "section" and b["text"]["type"] == "plain_text"
    ]
    fake.wait_for("files.completeUploadExternal", count=before // 2 + 1)
    table = fake.uploads[-1]
    assert table.filename.endswith(".csv")
    return figures, table.content.decode(), comments


def test_differencing_in_time_reads_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock
) -> None:
    """Scenario 1: ten answer, the owner looks, an eleventh answers, the owner looks again."""
    start_dozen(slack, fake_slack, runtime)
    dms = checkin_dms(clock, CHECKINS_OUT)
    assert set(dms) == set(DOZEN)
    for n, user in enumerate(DOZEN[:10]):
        answer_checkin(slack, fake_slack, user, dms[user], comment=f"fine {n}")
    clock.tick(FIRST_CLOSE)
    first, first_csv, first_comments = owner_stats(slack, fake_slack)
    assert (
        "*Check-in response rate:*" in first and "not shown yet" not in first.split("Usefulness")[0]
    )

    # The eleventh, "useful 2, did not meet", answers after the period has closed.
    clock.frozen.move_to(FIRST_CLOSE + timedelta(hours=2))
    eleventh = DOZEN[10]
    answer_checkin(slack, fake_slack, eleventh, dms[eleventh], met="no", useful="2", comment="bad")
    second, second_csv, second_comments = owner_stats(slack, fake_slack)
    assert second == first and second_csv == first_csv  # released figures never change
    assert "bad" not in second_comments and sorted(second_comments) == sorted(first_comments)

    # Its own period closes with one person in it: it waits, it is not shown alone.
    clock.tick(SECOND_CLOSE)
    third, third_csv, third_comments = owner_stats(slack, fake_slack)
    assert third.split("_People")[0] == first.split("_People")[0]
    assert "bad" not in third_comments
    for line in (first, third):
        assert "2 1" not in line and "did not meet" not in line
    with runtime.sessions() as session:
        (waiting,) = session.scalars(select(Ballot)).all()
        assert (waiting.met, waiting.usefulness) == ("no", 2)


def test_answers_are_counted_as_people_in_a_one_pair_programme(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock
) -> None:
    """Scenario 2: one pair, five check-ins each: nothing about their answers is shown."""
    fake_slack.add_user(OWNER, real_name="Owner")
    start_pair(slack, fake_slack, runtime, round_weeks=12)
    for n in range(5):
        monday = datetime(2027, 1, 18, 16, tzinfo=UTC) + timedelta(weeks=2 * n)
        dms = checkin_dms(clock, monday)
        for user in (MAYA, SAM):
            answer_checkin(
                slack,
                fake_slack,
                user,
                dms[user],
                useful="1" if user == MAYA else "5",
                comment=f"{user} {n}",
            )
    clock.tick(datetime(2027, 3, 29, 16, tzinfo=UTC))
    figures, table, comments = owner_stats(slack, fake_slack)
    assert comments == []
    assert "Check-ins and usefulness:* not shown yet" in figures
    assert "met 10" not in figures and "1 5" not in figures
    rows = list(csv.reader(io.StringIO(table)))
    answers = [r for r in rows if r[1].startswith(("check-ins", "average usefulness"))]
    assert answers and all(r[3] == "withheld" for r in answers), answers
    with runtime.sessions() as session:
        assert session.scalar(select(CheckinAnswer).limit(1)) is None  # still in the ballot box
