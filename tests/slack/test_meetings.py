"""Meetings as facts about the pair, over signed HTTP: a check-in's yes, `/mentoring met`.

Maya (Berlin) and Sam (New York) meet every two weeks from Monday 4 January 2027; their first
check-ins arrive on Monday 18 January.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from freezegun.api import StepTickTimeFactory
from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Ballot, Meeting
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.inputs import selected, typed
from tests.support.keep_going import MAYA, SAM, START, Clock, click_in, start_pair

FIRST_CHECKINS = datetime(2027, 1, 18, 15, tzinfo=UTC)  # both asked, 16:00 Berlin, 10:00 NY


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        assert not isinstance(frozen, StepTickTimeFactory)
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def checkin_of(sent: list[Call], user: str) -> Call:
    (dm,) = [c for c in sent if c.args["channel"] == user and "check-in" in c.args["text"]]
    return dm


def nudges(sent: list[Call]) -> list[Call]:
    return [c for c in sent if "nudge" in c.args["text"]]


def meetings(runtime: Runtime) -> list[tuple[int, date]]:
    with runtime.sessions() as session:
        return [(m.pair_id, m.met_on) for m in session.scalars(select(Meeting))]


def test_a_checkin_yes_records_the_meeting_and_moves_the_nudge(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    sent = clock.tick(FIRST_CHECKINS)
    maya = checkin_of(sent, MAYA)
    # The DM and the form say plainly which answer is shared with the pair's record.
    assert "noted on your pair's record (not anonymous)" in str(maya.args["blocks"])
    click_in(slack, MAYA, maya, "checkin_open")
    (form,) = fake_slack.wait_for("views.open")
    shown = str(form.args["view"])
    assert "Did you two meet this period?" in shown and "Not anonymous" in shown
    response = slack.submit_view(
        MAYA,
        view_id=form.response["view"]["id"],
        values={
            "met": {"met": selected("yes", "radio_buttons")},
            "usefulness": {"usefulness": selected("5", "radio_buttons")},
            "comment": {"comment": typed("Lovely")},
        },
    )
    assert "noted on your pair's record that you met" in str(response.json()["view"])
    assert meetings(runtime) == [(pair.id, date(2027, 1, 18))]
    with runtime.sessions() as session:
        (ballot,) = session.scalars(select(Ballot)).all()
    assert (ballot.met, ballot.usefulness, ballot.comment) == ("yes", 5, "Lovely")
    # The anonymous ballot gains nothing that points at the pair, the person or the meeting.
    linked = {"pair_id", "user_id", "request_id", "meeting_id", "created_at"}
    assert not linked & set(Ballot.__table__.columns.keys())
    # A pair that never met is nudged on 25 January; this one, three weeks after meeting.
    assert nudges(clock.tick(datetime(2027, 1, 25, 15, tzinfo=UTC))) == []
    # (The third period's prompt on time: a nudge never shares a prompt's tick.)
    assert nudges(clock.tick(datetime(2027, 2, 1, 15, tzinfo=UTC))) == []
    (nudge,) = nudges(clock.tick(datetime(2027, 2, 8, 15, tzinfo=UTC)))
    assert nudge.args["channel"] == pair.channel_id
    assert "The last time you told me you had met was Mon 18 Jan" in str(nudge.args["blocks"])


def test_a_checkin_no_records_nothing_on_the_pair(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    sam = checkin_of(clock.tick(FIRST_CHECKINS), SAM)
    click_in(slack, SAM, sam, "checkin_open")
    (form,) = fake_slack.wait_for("views.open")
    response = slack.submit_view(
        SAM,
        view_id=form.response["view"]["id"],
        values={"met": {"met": selected("no", "radio_buttons")}},
    )
    assert "saved, anonymously" in str(response.json()["view"])
    assert meetings(runtime) == []
    assert nudges(clock.tick(datetime(2027, 1, 25, 15, tzinfo=UTC)))


def test_mentoring_met_records_a_meeting_for_the_active_pair(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    clock.frozen.move_to(datetime(2027, 1, 12, 11, tzinfo=UTC))
    assert "Noted: you met today" in slack.command(SAM, "met").json()["text"]
    assert "Already noted" in slack.command(MAYA, "met").json()["text"]
    assert meetings(runtime) == [(pair.id, date(2027, 1, 12))]
    assert "/mentoring met" in str(slack.command(SAM, "help").json())


@pytest.mark.usefixtures("clock")
def test_mentoring_met_without_a_pair_explains_why(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    text = slack.command(OWNER, "met").json()["text"]
    assert "not in an active mentoring pair" in text and "both of you have accepted" in text
    assert meetings(runtime) == []
