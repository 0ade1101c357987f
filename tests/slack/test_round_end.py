"""The end of a round and a second round after rematching, end to end through the fake Slack."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import func, inspect, select

from bot import jobs
from bot.domain import cadence
from bot.flows import round_end
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.outbox.notifier import SlackNotifier
from bot.store.models import (
    Ballot,
    CheckinRequest,
    ClosingAnswer,
    OutboxMessage,
    Pair,
    PairPrompt,
    Participant,
)
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.inputs import modal_text, selected, typed
from tests.support.pairs import opened_modal, pair, pairs
from tests.support.pairs import start_six_pairs as start_pairs
from tests.support.rounds import preview

SURVEY = "Your mentoring round has ended: what would you like next?"
MONDAY_MORNING = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def working_hours() -> Iterator[None]:
    """Pairs start on a Monday morning, so their round ends (twelve weeks and an hour later)
    in working hours and the surveys go out at once, whatever the wall clock says."""
    with freeze_time(MONDAY_MORNING, tick=True):
        yield


def survey_dm(fake: FakeSlack, user: str) -> Call:
    calls = fake.wait_for(
        "chat.postMessage",
        where=lambda c: c.args["channel"] == user and c.args["text"].startswith(SURVEY),
    )
    return calls[-1]


def open_survey(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    dm = survey_dm(fake, user)
    return opened_modal(
        fake,
        lambda: slack.click(
            user,
            action_id="closing_survey",
            channel_id=dm.response["channel"],
            message_ts=dm.response["ts"],
        ),
    )


def submit(
    slack: SlackDriver, user: str, form: dict[str, Any], choice: str, comment: str = ""
) -> str:
    """Answer an opened closing survey; the confirmation the person sees."""
    values = {
        "choice": {"choice": selected(choice, "radio_buttons")},
        "usefulness": {"usefulness": selected("4", "radio_buttons")},
        "comment": {"comment": typed(comment)},
    }
    body = slack.submit_view(user, view_id=form["id"], values=values).json()
    assert body["response_action"] == "update"
    return modal_text(body["view"])


def answer_survey(
    slack: SlackDriver, fake: FakeSlack, user: str, choice: str, comment: str = ""
) -> str:
    return submit(slack, user, open_survey(slack, fake, user), choice, comment)


def told(fake: FakeSlack, text: str) -> list[str]:
    """Who got a DM containing `text`."""
    return sorted(
        c.args["channel"] for c in fake.calls_to("chat.postMessage") if text in c.args["text"]
    )


@pytest.fixture
def round_over(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> datetime:
    """Six accepted pairs whose round has ended; the surveys are out. The moment it happened."""
    start_pairs(slack, fake_slack, bot)
    started = max(p.started_at for p in pairs(runtime))
    # The round ends twelve weeks after the pairs started (on the real clock): the moment it is
    # looked at is the first working moment after that, so the surveys go out on that tick
    # whatever the time of day the suite runs.
    end = cadence.working_moment(started + timedelta(weeks=12, hours=1), [0])
    jobs.tick(runtime, now=started + timedelta(weeks=12, hours=-1))
    assert fake_slack.calls_to("chat.postMessage", include_failed=True)[-1].args["text"] != SURVEY
    jobs.tick(runtime, now=end)
    jobs.tick(runtime, now=end)  # a double tick sends each survey once
    fake_slack.wait_for(
        "chat.postMessage", count=12, where=lambda c: c.args["text"].startswith(SURVEY)
    )
    assert len(told(fake_slack, SURVEY)) == 12
    return end


def test_a_round_ends_and_a_second_round_rematches(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, round_over: datetime
) -> None:
    a, b, c, *rest = pairs(runtime)

    # Pair A: both carry on. The first hears it waits for the other; no one learns an answer.
    form = open_survey(slack, fake_slack, a.mentor_id)
    twice = open_survey(slack, fake_slack, a.mentor_id)  # a second form, open at the same time
    assert "will carry on" not in (waiting := submit(slack, a.mentor_id, form, "continue"))
    assert "I'll let you know" in waiting
    assert "already answered" in submit(slack, a.mentor_id, twice, "new_partner")
    assert "starts now" in answer_survey(slack, fake_slack, a.mentee_id, "continue")
    carried = fake_slack.wait_for(
        "chat.postMessage",
        where=lambda m: m.args["channel"] == a.channel_id and "carry on" in m.args["text"],
    )
    assert "round 2 starts now" in json.dumps(carried[0].args["blocks"])
    assert pair(runtime, a.id).status == "active"

    # Pair B: the mentor wants someone new; the mentee is told kindly, without whose choice.
    assert "back in the pool" in answer_survey(slack, fake_slack, b.mentor_id, "new_partner")
    assert pair(runtime, b.id).status == "ended"
    fake_slack.wait_for("chat.postMessage", where=lambda m: "won't carry on" in m.args["text"])
    assert told(fake_slack, "won't carry on") == [b.mentee_id]
    assert "back in the pool" in answer_survey(slack, fake_slack, b.mentee_id, "continue")

    # Pair C: the mentor stops for now: paused, told how to resume or leave.
    stopped = answer_survey(slack, fake_slack, c.mentor_id, "stop", "Great round <!channel>")
    assert "/mentoring resume" in stopped and "/mentoring leave" in stopped
    with runtime.sessions() as session:
        person = session.scalar(select(Participant).where(Participant.user_id == c.mentor_id))
        assert person is not None and person.paused

    # The others never answer: one cadence later they are back in the pool.
    jobs.tick(runtime, now=round_over + timedelta(weeks=2, hours=1))
    assert {pair(runtime, p.id).status for p in rest} == {"ended"}
    assert pair(runtime, a.id).status == "active"
    fake_slack.wait_for(
        "chat.postMessage", count=8, where=lambda m: "won't carry on" in m.args["text"]
    )
    with runtime.sessions() as session, pytest.raises(Refusal, match="closed"):
        round_end.open_survey(
            session=session,
            team_id=TEAM_ID,
            user_id=rest[0].mentor_id,
            pair_id=rest[0].id,
            now=round_over + timedelta(weeks=2, hours=1),
        )

    # Five anonymous answers (in the ballot box, or released once their period closed with
    # five people in it), none carrying who, which pair or when exactly.
    with runtime.sessions() as session:
        in_box = list(session.scalars(select(Ballot).where(Ballot.kind == "closing")))
        released = list(session.scalars(select(ClosingAnswer)))
        asked = list(session.scalars(select(CheckinRequest)))
    assert sorted([str(a.choice) for a in in_box] + [a.choice for a in released]) == [
        "continue", "continue", "continue", "new_partner", "stop",
    ]  # fmt: skip
    assert {a.period.weekday() for a in in_box} | {a.week.weekday() for a in released} == {0}
    assert len([r for r in asked if r.kind == "closing"]) == 12
    assert {c.name for c in inspect(ClosingAnswer).columns} == {
        "id", "team_id", "programme_id", "side", "week", "choice", "usefulness",
        "comment",
    }  # fmt: skip

    # The owner matches again: those who want someone new meet someone new, never their past
    # partner; the pair carrying on and the person who stopped are left out.
    shown = preview(slack)
    text = json.dumps(shown["blocks"])
    past = {frozenset((p.mentor_id, p.mentee_id)) for p in pairs(runtime)}
    proposed = {
        frozenset((m, n))
        for m in (p.mentor_id for p in pairs(runtime))
        for n in (p.mentee_id for p in pairs(runtime))
        if f"<@{m}> (mentor) with <@{n}> (mentee)" in text
    }
    assert "4 pairs proposed" in text and len(proposed) == 4
    assert not proposed & past
    matched = set().union(*proposed)
    assert b.mentor_id in matched
    assert not {a.mentor_id, a.mentee_id, c.mentor_id} & matched

    # A carries on: its prompts go on into the second round, on the same cadence.
    moment = a.started_at + timedelta(weeks=14)
    while moment < a.started_at + timedelta(weeks=14, days=4):
        jobs.tick(runtime, now=moment)
        moment += timedelta(hours=1)
    with runtime.sessions() as session:
        periods = session.scalars(select(PairPrompt.period).where(PairPrompt.pair_id == a.id))
        assert 7 in set(periods)  # weeks 14-16: the second period of the second round
    fake_slack.wait_for(
        "chat.postMessage",
        where=lambda m: (
            m.args["channel"] == a.channel_id
            and m.args["text"].startswith("Something to talk about")
        ),
    )

    # A's second round ends in its turn, with its own survey.
    later = cadence.working_moment(a.started_at + timedelta(weeks=24, hours=1), [0])
    jobs.tick(runtime, now=later)
    second = fake_slack.wait_for(
        "chat.postMessage", count=14, where=lambda m: m.args["text"].startswith(SURVEY)
    )
    assert {m.args["channel"] for m in second[12:]} == {a.mentor_id, a.mentee_id}


@pytest.mark.usefixtures("round_over")
def test_ending_a_pair_during_the_survey_and_leaving_afterwards(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    first = pairs(runtime)[0]
    assert "won't" not in answer_survey(slack, fake_slack, first.mentor_id, "continue")
    # The mentee chooses *This isn't working* instead: the pair ends, as with any exit.
    asked = opened_modal(fake_slack, lambda: slack.command(first.mentee_id, "rematch"))
    slack.submit_view(first.mentee_id, view_id=asked["id"], values={})
    assert pair(runtime, first.id).status == "ended"
    assert "back in the pool" in answer_survey(slack, fake_slack, first.mentee_id, "new_partner")

    # Leaving removes the person's id from every table, survey records included.
    slack.command(first.mentor_id, "leave")
    slack.click(first.mentor_id, action_id="leave_confirm", value="leave")
    fake_slack.wait_for_response()
    bot.settle()
    assert rows_mentioning(runtime, first.mentor_id) == []
    with runtime.sessions() as session:
        assert session.scalar(select(Pair).where(Pair.id == first.id)) is not None
        kept = session.scalar(select(func.count()).select_from(Ballot)) or 0
        assert kept + len(list(session.scalars(select(ClosingAnswer)))) == 2


def test_two_ticks_at_once_send_each_survey_once(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    start_pairs(slack, fake_slack, bot)
    end = max(p.started_at for p in pairs(runtime)) + timedelta(weeks=12, hours=1)
    together = threading.Barrier(2)

    def tick() -> None:
        together.wait()
        jobs.send_closing_surveys(runtime, end)

    ticks = [threading.Thread(target=tick) for _ in range(2)]
    for thread in ticks:
        thread.start()
    for thread in ticks:
        thread.join()
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CheckinRequest)) == 12
        stored = session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.key.startswith("closing:"))
        )
        assert len(list(stored)) == 12


def test_a_burst_of_rounds_ending_is_spread_over_ticks(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    start_pairs(slack, fake_slack, bot)
    end = max(p.started_at for p in pairs(runtime)) + timedelta(weeks=12, hours=1)
    asked = []
    for _ in range(3):
        with runtime.sessions.begin() as session:
            asked.append(
                round_end.send_surveys(session=session, now=end, notifier=SlackNotifier(), limit=4)
            )
    assert asked == [8, 4, 0]
    later = end + timedelta(weeks=2, hours=1)
    ended = []
    for _ in range(3):
        with runtime.sessions.begin() as session:
            ended.append(
                round_end.close_overdue(
                    session=session, now=later, notifier=SlackNotifier(), limit=4
                )
            )
    assert ended == [4, 2, 0]


@pytest.mark.usefixtures("round_over")
def test_odd_answers_are_refused_and_change_nothing(runtime: Runtime) -> None:
    first = pairs(runtime)[0]
    odd: list[dict[str, Any]] = [
        {"choice": "maybe"},
        {"usefulness": 9},
        {"comment": "x" * 1001},
        {"user_id": pairs(runtime)[1].mentor_id},  # someone else's survey
    ]
    for override in odd:
        given: dict[str, Any] = {
            "user_id": first.mentor_id,
            "choice": "continue",
            "usefulness": 3,
            "comment": "",
        } | override
        with pytest.raises(Refusal), runtime.sessions.begin() as session:
            round_end.answer(
                session=session,
                team_id=TEAM_ID,
                pair_id=first.id,
                now=datetime.now(UTC),
                notifier=SlackNotifier(),
                **given,
            )
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ballot)) == 0
        assert not any(r.answered for r in session.scalars(select(CheckinRequest)))
