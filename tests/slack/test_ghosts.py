"""Ghosts, with dignity, end to end: one private question after two silent periods, never
earlier; its three answers; and the pause one more silent period later."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time
from freezegun.api import StepTickTimeFactory

from bot.domain.pause import long_date
from bot.runtime import Runtime
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.ghosts import ASKED, PAUSED, go_quiet, person, questions, the_pair
from tests.support.keep_going import MAYA, SAM, START, Clock, start_pair


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        assert not isinstance(frozen, StepTickTimeFactory)
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def asked_sam(slack: SlackDriver, fake: FakeSlack, bot: BotServer, clock: Clock) -> Call:
    """Sam silent for two periods: nothing before the moment, then the one question."""
    start_pair(slack, fake, bot, round_weeks=12)
    sent = go_quiet(slack, fake, clock, until=ASKED - timedelta(hours=1))
    assert questions(sent) == []
    assert questions(clock.tick(ASKED - timedelta(minutes=1))) == []
    (question,) = questions(clock.tick(ASKED))
    assert question.args["channel"] == SAM
    return question


def click(
    slack: SlackDriver, user: str, message: Call, action_id: str, value: str | None = None
) -> None:
    slack.click(
        user, action_id=action_id, value=value,
        channel_id=message.response["channel"], message_ts=message.response["ts"],
    )  # fmt: skip


def updates_of(fake: FakeSlack, message: Call) -> list[str]:
    return [
        str(c.args["text"]) + str(c.args.get("blocks"))
        for c in fake.calls_to("chat.update")
        if c.args["ts"] == message.response["ts"]
    ]


def test_silent_for_two_periods_asked_once_then_paused_one_period_later(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    question = asked_sam(slack, fake_slack, bot, clock)
    blocks = str(question.args["blocks"])
    assert "Still in" in blocks and "Pause until" in blocks and "Leave the programme" in blocks
    assert "datepicker" in blocks
    assert f"by {long_date(date(2027, 2, 16))} (your time)" in blocks
    # Maya, who answered her check-ins, is never asked; Sam once, however often the tick runs.
    assert questions(clock.tick(ASKED + timedelta(minutes=1))) == []
    assert questions(clock.tick(ASKED + timedelta(days=3))) == []
    stored = person(runtime)
    assert stored is not None and stored.still_in_asked_at == ASKED
    assert not stored.paused

    # One minute short of a whole period: still waiting for Sam.
    clock.tick(PAUSED - timedelta(minutes=1))
    assert person(runtime).paused is False  # type: ignore[union-attr]
    assert the_pair(runtime).status == "active"

    sent = clock.tick(PAUSED)
    stored = person(runtime)
    assert stored is not None and stored.paused and stored.still_in_asked_at is None
    assert the_pair(runtime).status == "ended"
    # Maya hears kindly, with no reasons, and is first in line for someone new.
    (to_maya,) = [c for c in sent if c.args["channel"] == MAYA]
    assert (
        "pairing has ended" in to_maya.args["text"]
        and "says nothing about you" in to_maya.args["text"]
    )
    assert "silent" not in str(to_maya.args).lower() and "Sam" not in str(to_maya.args)
    maya = person(runtime, MAYA)
    assert maya is not None and maya.waited and not maya.paused
    (to_sam,) = [c for c in sent if c.args["channel"] == SAM]
    assert "paused you" in to_sam.args["text"] and "/mentoring resume" in to_sam.args["text"]
    assert any(c.args["text"] == "This pairing has ended." for c in sent)
    # The question's buttons are retired.
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == question.response["ts"])
    (retired,) = updates_of(fake_slack, question)
    assert "didn't hear back" in retired and "still_in" not in retired
    # Nothing more, however often the tick runs.
    assert clock.tick(PAUSED + timedelta(minutes=1)) == []


def test_still_in_keeps_the_pair_and_retires_the_buttons(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    question = asked_sam(slack, fake_slack, bot, clock)
    pair = the_pair(runtime)
    click(slack, SAM, question, "still_in", value=str(pair.id))
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == question.response["ts"])
    (retired,) = updates_of(fake_slack, question)
    assert "great, thank you" in retired and "still_in" not in retired
    stored = person(runtime)
    assert stored is not None and stored.still_in_asked_at is None and not stored.paused
    # A stale copy of the button (another device) changes nothing.
    slack.click(SAM, action_id="still_in", value=str(pair.id))
    assert "already noted" in fake_slack.wait_for_response()[-1]["text"]
    clock.tick(PAUSED)
    clock.tick(PAUSED + timedelta(days=1))
    assert the_pair(runtime).status == "active"
    assert not person(runtime).paused  # type: ignore[union-attr]


def test_pause_until_a_picked_day_rests_the_pair(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    question = asked_sam(slack, fake_slack, bot, clock)
    # A day in the past is refused kindly, and changes nothing.
    click(slack, SAM, question, "still_in_pause", value="2027-01-01")
    assert "isn't after today" in fake_slack.wait_for_response()[-1]["text"]
    stored = person(runtime)
    assert stored is not None and not stored.paused and stored.still_in_asked_at == ASKED

    click(slack, SAM, question, "still_in_pause", value="2027-03-15")
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == question.response["ts"])
    (retired,) = updates_of(fake_slack, question)
    assert f"Paused until {long_date(date(2027, 3, 15))}" in retired
    stored = person(runtime)
    assert stored is not None and stored.paused and stored.paused_until == date(2027, 3, 15)
    assert stored.still_in_asked_at is None
    # The pair rests rather than ends; no one is told anything.
    assert clock.tick(PAUSED) == []
    assert the_pair(runtime).status == "active"


def test_leave_the_programme_from_the_question(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    question = asked_sam(slack, fake_slack, bot, clock)
    click(slack, SAM, question, "still_in_leave", value=str(the_pair(runtime).id))
    assert "you've left mentoring" in fake_slack.wait_for_response()[-1]["text"]
    assert person(runtime) is None
    fake_slack.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == MAYA and "pairing has ended" in c.args["text"],
    )


def test_a_check_in_answer_after_the_question_settles_it(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    from tests.support.ghosts import answer_checkin

    question = asked_sam(slack, fake_slack, bot, clock)
    checkins = [
        c for c in fake_slack.calls_to("chat.postMessage")
        if c.args["channel"] == SAM and "check-in" in c.args["text"]
    ]  # fmt: skip
    answer_checkin(slack, fake_slack, SAM, checkins[-1])
    clock.tick(ASKED + timedelta(hours=1))
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == question.response["ts"])
    (retired,) = updates_of(fake_slack, question)
    assert "heard from you since" in retired
    clock.tick(PAUSED)
    assert the_pair(runtime).status == "active"


def test_after_downtime_nobody_is_asked_for_silence_they_were_not_asked_about(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    # The bot was down for five weeks: nobody was sent a check-in they could leave unanswered.
    for moment in (
        datetime(2027, 2, 9, 15, tzinfo=UTC),
        datetime(2027, 2, 10, 15, tzinfo=UTC),
        datetime(2027, 2, 16, 15, tzinfo=UTC),
    ):
        assert questions(clock.tick(moment)) == []
    assert person(runtime).still_in_asked_at is None  # type: ignore[union-attr]
