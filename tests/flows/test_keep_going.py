"""Keeping pairs going on a real session: prompts, check-ins, nudges, meetings, answers.

The pair starts on a Monday at 09:00 UTC (both people on UTC), meets every two weeks, and is
prompted at 10:00.
"""

from datetime import datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.feedback import MAX_COMMENT
from bot.flows import ballots, checkins, keep_going, meetings, participants
from bot.flows.errors import Refusal
from bot.store import keep_going as store
from bot.store.models import Ballot, Meeting, Pair, Programme
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme
from tests.support.notifier import RecordingNotifier

HOUR = 10
PROMPT_TIME = NOW + timedelta(hours=1)  # the first period's prompt moment
PERIOD = timedelta(weeks=2)


@pytest.fixture
def pair(sessions: sessionmaker[Session]) -> Pair:
    with sessions.begin() as session:
        return a_pair(session, a_programme(session))


def run(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, at: datetime
) -> keep_going.Report:
    return keep_going.run(sessions, now=at, hour=HOUR, notifier=notifier)


def test_a_pair_gets_one_prompt_a_period(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    assert run(sessions, notifier, NOW) == keep_going.Report()  # before the prompt hour
    assert run(sessions, notifier, PROMPT_TIME) == keep_going.Report(prompts=1)
    assert run(sessions, notifier, PROMPT_TIME + timedelta(minutes=5)) == keep_going.Report()
    (prompt,) = notifier.of("prompt")
    assert (prompt.args["pair"].id, prompt.args["period"]) == (pair.id, 0)
    assert prompt.args["send_at"] == PROMPT_TIME and prompt.args["expires_at"] == NOW + PERIOD


def test_each_person_is_asked_once_the_period_is_over(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    run(sessions, notifier, PROMPT_TIME)
    later = PROMPT_TIME + PERIOD
    assert run(sessions, notifier, later).checkins == 2
    assert run(sessions, notifier, later + timedelta(minutes=5)).checkins == 0
    asked = [(n.args["request"].user_id, n.args["request"].period) for n in notifier.of("checkin")]
    assert sorted(asked) == sorted([(pair.mentor_id, 0), (pair.mentee_id, 0)])


def test_a_paused_persons_pair_is_left_alone(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    with sessions.begin() as session:
        participants.set_paused(
            session=session, team_id=TEAM_ID, user_id=pair.mentee_id, paused=True, now=NOW
        )
    for at in (PROMPT_TIME, PROMPT_TIME + PERIOD, PROMPT_TIME + timedelta(weeks=3)):
        assert run(sessions, notifier, at) == keep_going.Report()
    assert notifier.notices == []


def test_a_pair_that_has_not_met_is_nudged_once_for_the_gap(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    gap = PROMPT_TIME + timedelta(weeks=3)  # one and a half periods without a meeting
    # The second period's prompt goes on time (a nudge keeps two working days from a prompt).
    assert run(sessions, notifier, PROMPT_TIME + PERIOD).prompts == 1
    assert run(sessions, notifier, gap - timedelta(days=1)).nudges == 0
    assert run(sessions, notifier, gap).nudges == 1
    assert run(sessions, notifier, gap + timedelta(minutes=5)).nudges == 0
    assert {n.args["since"] for n in notifier.of("nudge")} == {NOW.date()}
    assert {n.args["pair"].id for n in notifier.of("nudge")} == {pair.id}


def test_a_meeting_is_recorded_once_a_day_and_only_by_the_pair(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    with sessions.begin() as session:
        a_week_in = NOW + timedelta(weeks=1)
        met = partial(
            meetings.record_meeting, session=session, team_id=TEAM_ID, pair_id=None, now=a_week_in
        )
        assert met(user_id=pair.mentor_id) is True
        assert met(user_id=pair.mentee_id) is False  # same day
        with pytest.raises(Refusal, match="not in an active mentoring pair"):
            met(user_id="U0STRANGER")
    # Having met a week in, the pair is not nudged three weeks after it started.
    assert run(sessions, notifier, PROMPT_TIME + timedelta(weeks=3)).nudges == 0


def checkin_of(session: Session, pair: Pair, user_id: str) -> int:
    request = store.record_checkin_request(
        session=session,
        team_id=TEAM_ID,
        user_id=user_id,
        pair_id=pair.id,
        programme_id=pair.programme_id,
        period=0,
        now=NOW,
    )
    assert request is not None
    return request.id


def answer(session: Session, pair: Pair, user_id: str, met: str) -> None:
    checkins.answer_checkin(
        session=session,
        team_id=TEAM_ID,
        user_id=user_id,
        request_id=checkin_of(session, pair, user_id),
        met=met,
        usefulness=3,
        comment="",
        now=NOW + PERIOD,
    )


def test_a_checkin_yes_records_the_meeting_on_the_pair(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    with sessions.begin() as session:
        answer(session, pair, pair.mentee_id, "no")
        assert session.scalars(select(Meeting)).all() == []
        answer(session, pair, pair.mentor_id, "yes")
        (met,) = session.scalars(select(Meeting)).all()
        assert (met.pair_id, met.met_on) == (pair.id, (NOW + PERIOD).date())
        # The ballots stay as they were: nothing in them names the meeting, pair or person.
        assert {b.met for b in session.scalars(select(Ballot))} == {"yes", "no"}
        assert set(Ballot.__table__.columns.keys()) == {
            "id", "team_id", "programme_id", "kind", "period", "side", "met", "choice",
            "usefulness", "comment", "fresh",
        }  # fmt: skip
    # Having met two weeks in, the pair is not nudged at three weeks, as a pair that never met is.
    assert run(sessions, notifier, PROMPT_TIME + timedelta(weeks=3)).nudges == 0


def test_after_a_checkin_yes_the_nudge_counts_from_that_meeting(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    with sessions.begin() as session:
        answer(session, pair, pair.mentor_id, "yes")
    # One and a half periods after the meeting, not after the start.
    gap = PROMPT_TIME + PERIOD + timedelta(weeks=3)
    assert run(sessions, notifier, PROMPT_TIME + 2 * PERIOD).prompts == 1  # on time
    assert run(sessions, notifier, gap - timedelta(days=1)).nudges == 0
    assert run(sessions, notifier, gap).nudges == 1
    assert [n.args["since"] for n in notifier.of("nudge")] == [(NOW + PERIOD).date()]


def test_a_checkin_answer_is_stored_once_without_the_person(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    with sessions.begin() as session:
        request = store.record_checkin_request(
            session=session,
            team_id=TEAM_ID,
            user_id=pair.mentee_id,
            pair_id=pair.id,
            programme_id=pair.programme_id,
            period=0,
            now=NOW,
        )
        assert request is not None
        answer = partial(
            checkins.answer_checkin,
            session=session,
            team_id=TEAM_ID,
            user_id=pair.mentee_id,
            request_id=request.id,
            usefulness=4,
            now=NOW + PERIOD,
        )
        # Each refusal names its field, so the form shows it there (never a dead end).
        with pytest.raises(Refusal, match="whether you met") as refused:
            answer(met="maybe", comment="")
        assert refused.value.field == "met"
        with pytest.raises(Refusal, match=f"under {MAX_COMMENT}") as refused:
            answer(met="yes", comment="x" * (MAX_COMMENT + 1))
        assert refused.value.field == "comment"
        answer(met="yes", comment=" Good\u200b ")
        with pytest.raises(Refusal, match="already answered"):
            answer(met="no", comment="")
        # Into the period's ballot box: no request, person, pair or time finer than the period.
        (stored,) = session.scalars(select(Ballot))
        assert (stored.side, stored.met, stored.usefulness, stored.comment) == (
            "learn",
            "yes",
            4,
            "Good",
        )
        programme = session.get(Programme, pair.programme_id)
        assert programme is not None
        assert stored.period == ballots.period_of(programme, NOW + PERIOD)
        assert pair.mentee_id not in str([getattr(stored, c) for c in ("id", "team_id", "side")])
