"""Keeping a pair going, end to end: prompts, a nudge, We met, check-ins, over signed HTTP.

Time is frozen (ticking, so Slack's request signatures stay fresh) and moved an hour at a time;
each tick is the real scheduler pass, and what it sends lands in the fake Slack.
"""

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time
from freezegun.api import StepTickTimeFactory
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import jobs
from bot.app import build_runtime
from bot.domain.cadence import is_good_moment, local
from bot.runtime import Runtime
from bot.store import programmes
from bot.store.models import (
    Ballot,
    CheckinRequest,
    Meeting,
    OutboxMessage,
    Pair,
    PairPrompt,
    Participant,
    Round,
)
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER, TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.inputs import selected, typed
from tests.support.keep_going import BERLIN, MAYA, NEW_YORK, SAM, START, Clock, click_in, start_pair
from tests.support.settings import make_settings


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        assert not isinstance(frozen, StepTickTimeFactory)
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


CLOSING_SURVEY = "Your mentoring round has ended: what would you like next?"


def kind(call: Call) -> str:
    text = str(call.args["text"])
    if "nudge" in text:
        return "nudge"
    if "check-in" in text:
        return "checkin"
    if "to talk about" in text:
        return "prompt"
    if "plan your first" in text:
        return "first_mover"
    return text


def count(runtime: Runtime, model: type[Any]) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_pair_through_its_round(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=6)  # three two-week periods
    offsets = (BERLIN, NEW_YORK)

    # Weeks 1-3: the first prompt, the first check-ins, then a nudge (no meeting recorded).
    sent = clock.hourly(START + timedelta(hours=1), datetime(2027, 1, 25, 16, tzinfo=UTC))
    prompts = [(t, c) for t, c in sent if kind(c) == "prompt"]
    checkins = [(t, c) for t, c in sent if kind(c) == "checkin"]
    nudges = [(t, c) for t, c in sent if kind(c) == "nudge"]
    # Nothing planned five working days after the kick-off: Sam, the learner, is reminded once
    # (the shared survey answers work every day, around the clock).
    reminders = [(t, c.args["channel"]) for t, c in sent if kind(c) == "first_mover"]
    assert reminders == [(datetime(2027, 1, 10, 5, tzinfo=UTC), SAM)]
    assert len(sent) == len(prompts) + len(checkins) + len(nudges) + len(reminders)
    # Prompt: 10:00 in New York (16:00 in Berlin) on the first working day of each period.
    assert [t for t, _ in prompts] == [datetime(2027, 1, 4, 15, tzinfo=UTC)] + [
        datetime(2027, 1, 18, 15, tzinfo=UTC)
    ]
    for moment, call in prompts:
        assert call.args["channel"] == pair.channel_id
        assert is_good_moment(moment, offsets)
        assert 10 in {local(moment, o).hour for o in offsets}
    assert "Getting started" in str(prompts[0][1].args["blocks"])
    # Check-ins: privately, each at 10:00 of their own Monday after the period ends.
    assert [(c.args["channel"], t) for t, c in checkins] == [
        (MAYA, datetime(2027, 1, 18, 9, tzinfo=UTC)),
        (SAM, datetime(2027, 1, 18, 15, tzinfo=UTC)),
    ]
    # One nudge, three weeks without a recorded meeting, at a good moment for both.
    assert [(t, c.args["channel"]) for t, c in nudges] == [
        (datetime(2027, 1, 25, 15, tzinfo=UTC), pair.channel_id)
    ]
    assert "since you were paired on Mon 4 Jan" in str(nudges[0][1].args["blocks"])

    # Maya answers her check-in; a second form for the same check-in is refused.
    maya_checkin = checkins[0][1]
    click_in(slack, MAYA, maya_checkin, "checkin_open")
    click_in(slack, MAYA, maya_checkin, "checkin_open")
    first, second = fake_slack.wait_for("views.open", count=2)
    response = slack.submit_view(
        MAYA,
        view_id=first.response["view"]["id"],
        values={
            "met": {"met": selected("yes", "radio_buttons")},
            "usefulness": {"usefulness": selected("4", "radio_buttons")},
            "comment": {"comment": typed("Great talk <!channel>\u202e")},
        },
    )
    assert "noted on your pair's record that you met" in str(response.json()["view"])
    again = slack.submit_view(
        MAYA,
        view_id=second.response["view"]["id"],
        values={"met": {"met": selected("no", "radio_buttons")}},
    )
    assert "already answered" in str(again.json()["view"])
    with runtime.sessions() as session:
        # In the ballot box until the period closes: nothing in it points at Maya's request.
        (stored,) = session.scalars(select(Ballot)).all()
        asked = session.scalars(select(CheckinRequest).order_by(CheckinRequest.id)).all()
    assert (stored.kind, stored.side, stored.met, stored.usefulness) == (
        "checkin",
        "share",
        "yes",
        4,
    )
    assert stored.period <= date(2027, 1, 25)
    assert stored.comment == "Great talk <!channel>" and len(stored.id) == 32
    assert [(r.user_id, r.answered) for r in asked] == [(MAYA, True), (SAM, False)]
    assert asked[0].answered_in == stored.period

    # Maya's "yes" noted today's meeting on the pair; Sam's *We met* on the nudge and Maya's
    # on the prompt are the same day: one day recorded.
    assert count(runtime, Meeting) == 1
    click_in(slack, SAM, nudges[0][1], "we_met")
    assert "Already noted" in fake_slack.wait_for_response(count=1)[-1]["text"]
    click_in(slack, MAYA, prompts[-1][1], "we_met")
    assert "Already noted" in fake_slack.wait_for_response(count=2)[-1]["text"]
    assert "Already noted" in slack.command(MAYA, "met").json()["text"]
    assert count(runtime, Meeting) == 1

    # Weeks 4-6: the closing prompt and the second check-ins; no second nudge, nothing repeats.
    rest = clock.hourly(datetime(2027, 1, 25, 16, tzinfo=UTC), datetime(2027, 2, 22, tzinfo=UTC))
    assert [(kind(c), c.args["channel"], t) for t, c in rest] == [
        ("checkin", MAYA, datetime(2027, 2, 1, 9, tzinfo=UTC)),
        ("prompt", pair.channel_id, datetime(2027, 2, 1, 15, tzinfo=UTC)),
        ("checkin", SAM, datetime(2027, 2, 1, 15, tzinfo=UTC)),
        # The round is over: the end-of-round survey (bot.flows.round_end), in working hours:
        # at once for Maya (10:00 in Berlin), at 10:00 in New York for Sam.
        (CLOSING_SURVEY, MAYA, datetime(2027, 2, 15, 9, tzinfo=UTC)),
        (CLOSING_SURVEY, SAM, datetime(2027, 2, 15, 15, tzinfo=UTC)),
    ]
    assert "Wrapping up" in str(rest[1][1].args["blocks"])
    with runtime.sessions() as session:
        chosen = session.scalars(select(PairPrompt).order_by(PairPrompt.period)).all()
    assert [p.period for p in chosen] == [0, 1, 2]
    assert len({p.prompt_id for p in chosen}) == 3
    assert chosen[0].topic == "kickoff" and chosen[2].topic == "closing"
    assert chosen[1].topic in {"digital_tools", "leadership"}  # what one shares, the other learns


def test_a_double_tick_sends_nothing_twice(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    moment = datetime(2027, 2, 1, 15, tzinfo=UTC)  # prompt, nudge and both check-ins are due
    first = clock.tick(moment)
    # The nudge never goes in a prompt's tick (nor within two working days of it); with nothing
    # planned since the kick-off, the first mover's reminder goes too.
    assert sorted(kind(c) for c in first) == ["checkin", "checkin", "first_mover", "prompt"]
    stored = count(runtime, OutboxMessage)
    assert clock.tick(moment) == [] and clock.tick(moment + timedelta(minutes=1)) == []
    assert count(runtime, OutboxMessage) == stored


def test_after_downtime_only_the_current_period(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    # Down from the start until a Tuesday night in period 3: 23:00 in Berlin, 17:00 in New York.
    night = clock.tick(datetime(2027, 2, 16, 22, tzinfo=UTC))
    # Sam's check-in, and (nothing planned since the kick-off) the first mover's one reminder.
    assert sorted((kind(c), c.args["channel"]) for c in night) == [
        ("checkin", SAM), ("first_mover", SAM),
    ]  # fmt: skip
    morning = clock.tick(datetime(2027, 2, 17, 9, tzinfo=UTC))
    assert [(kind(c), c.args["channel"]) for c in morning] == [("checkin", MAYA)]
    later = clock.tick(datetime(2027, 2, 17, 15, tzinfo=UTC))
    # The nudge waits two working days.
    assert sorted(kind(c) for c in later) == ["prompt"]
    with runtime.sessions() as session:
        periods = session.scalars(select(PairPrompt.period)).all()
        asked = session.scalars(select(CheckinRequest.period)).all()
    assert periods == [3] and asked == [2, 2]


def test_a_paused_person_gets_no_prompt_nudge_or_check_in(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    assert "paused" in slack.command(SAM, "pause").json()["text"].lower()
    assert clock.hourly(START + timedelta(hours=1), datetime(2027, 2, 2, tzinfo=UTC)) == []
    clock.frozen.move_to(datetime(2027, 2, 2, 8, tzinfo=UTC))
    slack.command(SAM, "resume")
    # Back: one catch-up message, the current period's prompt; not also a nudge and check-ins
    # about the period they were away for (issue #15 saw all four on one day).
    back = clock.hourly(datetime(2027, 2, 2, 15, tzinfo=UTC), datetime(2027, 2, 5, tzinfo=UTC))
    assert [kind(c) for _, c in back] == ["prompt"]


def test_we_met_is_only_for_the_pair(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    assert "not in an active mentoring pair" in slack.command(OWNER, "met").json()["text"]
    (prompt,) = clock.tick(datetime(2027, 1, 4, 15, tzinfo=UTC))
    fake_slack.add_user("U0NOSY", real_name="Nosy")
    click_in(slack, "U0NOSY", prompt, "we_met")
    assert "not in an active mentoring pair" in fake_slack.wait_for_response()[-1]["text"]
    assert count(runtime, Meeting) == 0


def test_leaving_deletes_the_check_in_record_but_not_the_anonymous_answer(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)
    sent = clock.tick(datetime(2027, 2, 1, 15, tzinfo=UTC))
    (sams,) = [c for c in sent if c.args["channel"] == SAM and kind(c) == "checkin"]
    click_in(slack, SAM, sams, "checkin_open")
    (form,) = fake_slack.wait_for("views.open")
    slack.submit_view(
        SAM,
        view_id=form.response["view"]["id"],
        values={"met": {"met": selected("no", "radio_buttons")}},
    )
    assert rows_mentioning(runtime, SAM)
    slack.command(SAM, "leave")
    slack.click(SAM, action_id="leave_confirm", value="leave")
    fake_slack.wait_for("chat.postMessage", where=lambda c: "pairing has ended" in c.args["text"])
    assert rows_mentioning(runtime, SAM) == []
    with runtime.sessions() as session:
        (kept,) = session.scalars(select(Ballot)).all()
        assert (kept.side, kept.met, kept.usefulness, kept.comment) == ("learn", "no", None, None)
        # Sam's answered request stays, under a random stand-in, only to count people until
        # the period is released.
        users = session.scalars(select(CheckinRequest.user_id)).all()
        assert sorted(u[0] for u in users) == ["-", "U"] and MAYA in users


def seed_pairs(runtime: Runtime, fake: FakeSlack, count: int, started_at: datetime) -> None:
    """`count` kicked-off pairs in one programme, with their group DMs open in the fake Slack."""
    with runtime.sessions.begin() as session:
        programme = programmes.create(
            session=session, team_id=TEAM_ID, name="Wide", created_by=OWNER, now=started_at
        )
        for n in range(count):
            mentor, mentee = f"U0M{n:04d}", f"U0E{n:04d}"
            for user, side in ((mentor, "share"), (mentee, "learn")):
                fake.add_user(user)
                session.add(participant_row(user, side, programme.id, started_at))
            client = runtime.clients.for_team(TEAM_ID)
            assert client is not None
            channel = client.conversations_open(users=[mentor, mentee])["channel"]["id"]
            session.add(
                Pair(
                    team_id=TEAM_ID,
                    programme_id=programme.id,
                    round_id=round_row(session, programme.id, started_at),
                    mentor_id=mentor,
                    mentee_id=mentee,
                    channel_id=channel,
                    status="active",
                    goals=[],
                    started_at=started_at,
                )
            )


def participant_row(user: str, side: str, programme_id: int, now: datetime) -> Participant:
    return Participant(
        team_id=TEAM_ID,
        user_id=user,
        programme_id=programme_id,
        side=side,
        stage=0 if side == "share" else 4,
        department="Sales",
        manager_id=None,
        manager_ref=None,
        shares=["digital_tools"] if side == "share" else [],
        share_other="",
        learns=["digital_tools"] if side == "learn" else ["leadership"],
        learn_other="",
        style="extrovert",
        meeting="video",
        meetings_per_month=2,
        goal="",
        timezone="Europe/London",
        utc_offset_minutes=0,
        paused=False,
        ground_rules_version="1",
        agreed_at=now,
        created_at=now,
        updated_at=now,
    )


def round_row(session: Session, programme_id: int, now: datetime) -> int:
    found = session.scalar(select(Round.id).where(Round.programme_id == programme_id))
    if found is not None:
        return found
    matched = Round(
        team_id=TEAM_ID,
        programme_id=programme_id,
        status="confirmed",
        created_by=OWNER,
        created_at=now,
        confirmed_at=now,
    )
    session.add(matched)
    session.flush()
    return matched.id


def test_two_schedulers_at_once_send_nothing_twice(
    database_url: str, fake_slack: FakeSlack, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("two scheduler processes need PostgreSQL; SQLite is the one-process default")
    caplog.set_level(logging.INFO, logger="bot.jobs")
    pairs = 30
    seed_pairs(runtime, fake_slack, pairs, started_at=datetime(2027, 1, 4, 9, tzinfo=UTC))
    # Period 2 has begun: its prompt and both people's check-ins about period 1 are due for
    # every pair (the nudge for three weeks without a meeting waits: never in a prompt's tick),
    # and the first mover's one reminder (nothing planned four weeks in).
    moment = datetime(2027, 2, 1, 10, tzinfo=UTC)
    others = [build_runtime(make_settings(database_url, fake_slack.base_url)) for _ in range(2)]
    start = threading.Barrier(len(others))

    def scheduler(process: Runtime) -> None:
        start.wait()
        jobs.tick(process, now=moment)

    threads = [threading.Thread(target=scheduler, args=(process,)) for process in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    jobs.tick(runtime, now=moment)  # a third pass finds nothing left
    for process in others:
        process.close()
    posted = [(c.args["channel"], c.args["text"]) for c in fake_slack.calls_to("chat.postMessage")]
    assert len(posted) == len(set(posted)) == 4 * pairs
    with runtime.sessions() as session:
        statuses = session.scalars(select(OutboxMessage.status)).all()
    assert statuses == ["sent"] * 4 * pairs
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    # Both schedulers found the same work due; between them they stored each message once.
    stored = [r.args for r in caplog.records if str(r.msg).startswith("keep pairs going")]
    assert len(stored) == 3
    assert [sum(counts) for counts in zip(*stored, strict=True)] == [pairs, 0, 2 * pairs]
