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
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.inputs import button, selected, typed
from tests.support.keep_going import MAYA, SAM, START, Clock, click_in, start_pair
from tests.support.participants import join
from tests.support.rounds import JUNIORS, SENIORS, answer, consent_dms, preview
from tests.support.rounds import sign_up_dozen as sign_up

DOZEN = JUNIORS + SENIORS
CHECKINS_OUT = datetime(2027, 1, 18, 10, tzinfo=UTC)  # the Monday after the first period
FIRST_CLOSE = datetime(2027, 2, 1, 10, tzinfo=UTC)  # the programme's period with them closes
SECOND_CLOSE = datetime(2027, 2, 15, 10, tzinfo=UTC)


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def start_dozen(slack: SlackDriver, fake: FakeSlack, bot: BotServer) -> None:
    """Twelve people sign up, six pairs are proposed, confirmed and accepted, kick-offs out."""
    fake.add_user(OWNER, real_name="Owner")
    sign_up(slack, fake)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(fake, 12)
    for user in DOZEN:
        answer(slack, user, dms[f"D{user[1:]}"], accept=True)
    fake.wait_for("chat.postMessage", count=6, where=lambda c: "starts here" in c.args["text"])
    bot.settle()
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
        "usefulness": {"usefulness": selected(useful, "radio_buttons")},
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
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    """Scenario 1: ten answer, the owner looks, an eleventh answers, the owner looks again."""
    start_dozen(slack, fake_slack, bot)
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
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    """Scenario 2: one pair, five check-ins each: nothing about their answers is shown."""
    fake_slack.add_user(OWNER, real_name="Owner")
    start_pair(slack, fake_slack, bot, round_weeks=12)
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


def stored_order(runtime: Runtime) -> list[str]:
    """The comments of the stored answers in the order the database keeps the rows."""
    with runtime.sessions() as session:
        physical = "rowid" if session.get_bind().dialect.name == "sqlite" else "ctid"
        query = text(f"SELECT comment FROM checkin_answers ORDER BY {physical}")  # noqa: S608
        return [str(c) for c in session.scalars(query)]


def test_stored_answers_do_not_link_back(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    """Scenario 3: storage order against the order people answered; the database alone."""
    start_dozen(slack, fake_slack, bot)
    dms = checkin_dms(clock, CHECKINS_OUT)
    # Six mentors and one mentee answer, in an order the attacker knows (e.g. from logs).
    answering = JUNIORS + SENIORS[:1]
    for n, user in enumerate(answering):
        answer_checkin(
            slack, fake_slack, user, dms[user], useful=str(1 + n % 5), comment=f"by {user}"
        )
    with runtime.sessions() as session:
        waiting = session.scalars(select(Ballot)).all()
        assert len(waiting) == 7 and session.scalar(select(CheckinAnswer).limit(1)) is None
        # The ballot names no request, person or time; its id is random.
        assert all(
            len(b.id) == 32 and b.period == START.date() + timedelta(weeks=2) for b in waiting
        )
    clock.tick(FIRST_CLOSE)
    order = stored_order(runtime)
    assert sorted(order) == sorted(f"by {user}" for user in answering)
    assert order != [f"by {user}" for user in answering]  # 1 chance in 5,040 of a false alarm
    with runtime.sessions() as session:
        assert session.scalar(select(Ballot).limit(1)) is None
        answers = session.scalars(select(CheckinAnswer)).all()
        # One mentee answered: a side of one would be theirs, so no answer keeps its side; and
        # every answer carries the block's first day, not the week it was given.
        assert {(a.side, a.week) for a in answers} == {("any", START.date())}
        marks = session.scalars(select(CheckinRequest).where(CheckinRequest.answered)).all()
        assert {m.answered_in for m in marks} == {START.date() + timedelta(weeks=2)}
        assert not [c.name for c in CheckinRequest.__table__.columns if "answer_id" in c.name]


def every_string(runtime: Runtime) -> str:
    """Every string value of every row of every table, as one text to search."""
    found: list[str] = []
    with runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            for row in session.execute(select(*columns)) if columns else []:
                found += [str(v) for v in row if v is not None]
    return "\n".join(found)


@pytest.mark.usefixtures("clock")
def test_after_leave_hashing_member_ids_finds_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    """Scenario 5: the stored pepper, every member id, the pair's group DM."""
    start_dozen(slack, fake_slack, bot)
    leaver = JUNIORS[0]
    fake_slack.add_user("U0LATE", real_name="Late")
    join(slack, fake_slack, "U0LATE", manager={"type": "users_select", "selected_user": leaver})
    with runtime.sessions() as session:
        workspace = session.scalar(select(Workspace))
        assert workspace is not None
        pepper = workspace.pepper
        (pair,) = session.scalars(select(Pair).where(Pair.mentor_id == leaver)).all()
        assert pair.channel_id is not None
    ref = hmac.new(pepper.encode(), leaver.encode(), hashlib.sha256).hexdigest()
    assert ref in every_string(runtime)  # past_pairs and Late's manager_ref name them today

    slack.command(leaver, "leave")
    slack.click(leaver, action_id="leave_confirm", value="leave")
    fake_slack.wait_for("chat.postMessage", where=lambda c: "pairing has ended" in c.args["text"])
    members = [*DOZEN, OWNER, "U0LATE"]
    stored = every_string(runtime)
    hashes = {m: hmac.new(pepper.encode(), m.encode(), hashlib.sha256).hexdigest() for m in members}
    assert hashes[leaver] not in stored and leaver not in stored
    assert hashes[SENIORS[0]] in stored or any(h in stored for h in hashes.values())  # others kept
    with runtime.sessions() as session:
        ended = session.get(Pair, pair.id)
        assert ended is not None and ended.status == "ended" and ended.channel_id is None
        late = session.scalar(select(Participant).where(Participant.user_id == "U0LATE"))
        assert late is not None and late.manager_ref is None


def survey_dms(clock: Clock, at: datetime) -> dict[str, Call]:
    sent = clock.tick(at)
    return {c.args["channel"]: c for c in sent if "round has ended" in str(c.args["text"])}


def test_the_preview_does_not_tell_stop_from_pause_and_one_leaver_changes_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    """Scenario 6: "stop" in the closing survey, a pause, the next preview; a single leaver."""
    start_dozen(slack, fake_slack, bot)
    with runtime.sessions.begin() as session:
        session.execute(update(Programme).values(round_weeks=2))
    surveys = survey_dms(clock, datetime(2027, 1, 18, 10, tzinfo=UTC))
    stopper = JUNIORS[1]
    assert stopper in surveys
    with runtime.sessions() as session:
        pair = session.scalar(select(Pair).where(Pair.mentor_id == stopper))
        assert pair is not None
        pauser = pair.mentee_id  # free once "stop" ends the pair; then pauses themself
    seen = len(fake_slack.calls_to("views.open"))
    slack.click(
        stopper,
        action_id=button_in(surveys[stopper]),
        channel_id=surveys[stopper].response["channel"],
        message_ts=surveys[stopper].response["ts"],
    )
    form = fake_slack.wait_for("views.open", count=seen + 1)[seen]
    slack.submit_view(
        stopper,
        view_id=form.response["view"]["id"],
        values={"choice": {"choice": selected("stop", "radio_buttons")}},
    )
    slack.command(pauser, "pause")
    with runtime.sessions() as session:
        paused = session.scalars(select(Participant.user_id).where(Participant.paused)).all()
        assert set(paused) == {stopper, pauser}
    shown = str(preview(slack)["blocks"])
    away = next(line for line in shown.split("\\n") if "away this round" in line)
    assert f"<@{stopper}>" in away and f"<@{pauser}>" in away  # one group, one label
    assert "paused" not in shown and "stop" not in shown

    # A single leaver: the stage counts an owner sees do not move by one.
    clock.tick(FIRST_CLOSE)
    before, _, _ = owner_stats(slack, fake_slack)
    slack.command(SENIORS[5], "leave")
    slack.click(SENIORS[5], action_id="leave_confirm", value="leave")
    fake_slack.wait_for_response()
    clock.tick(SECOND_CLOSE)
    after, _, _ = owner_stats(slack, fake_slack)
    assert after.split("*Consent")[0] == before.split("*Consent")[0]
    assert "*Sign-ups:* 12" in after  # frozen until 5 people have joined or left


def button_in(message: Call) -> str:
    """The action id of the first button in a message."""
    for block in message.args.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                return str(element["action_id"])
    raise AssertionError("no button")


def test_a_twelve_person_pilot_at_the_end_of_its_first_round_shows_what_worked(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    """Item 8: sign-ups, consent, active pairs, meetings and usefulness, in some form."""
    start_dozen(slack, fake_slack, bot)
    with runtime.sessions.begin() as session:
        session.execute(update(Programme).values(round_weeks=4))
    for user in JUNIORS[:5]:
        assert "Noted" in slack.command(user, "met").json()["text"]
    dms = checkin_dms(clock, CHECKINS_OUT)
    for n, user in enumerate(DOZEN[:11]):
        answer_checkin(
            slack,
            fake_slack,
            user,
            dms[user],
            met="yes" if n < 9 else "no",
            useful="4" if n % 3 else "5",
        )
    clock.tick(FIRST_CLOSE)
    figures, table, _ = owner_stats(slack, fake_slack)
    assert "*Sign-ups:* 12 (mentor 6 · mentee 6" in figures
    assert "*Consent rate:* 100%" in figures
    # Five pairs said so with `/mentoring met`, the sixth in its check-in: a "yes" is a meeting.
    assert "*Active pairs:* 6 · pairs that have met: 100%" in figures
    assert "*Check-in response rate:* 80–100% · met: 80–100%" in figures  # 11 of 12; 9 of 11
    assert "*Usefulness (1–5):* average 4.4" in figures or "between 4 and 5" in figures
    assert "withheld" not in figures.split("*End of round")[0]
    cells = {(r[1], r[2]): r[3] for r in csv.reader(io.StringIO(table))}
    assert cells["active pairs", ""] == "6" and cells["consent rate", ""] == "1.0"
