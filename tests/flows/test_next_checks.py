"""A tick decides only for the pairs whose next check has come: every fact that can bring a
message sooner asks for one, and a fact stored while a tick decides is not overwritten."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.next_check import NEVER
from bot.domain.programme import defaults
from bot.flows import keep_going, participants, programmes
from bot.store import next_checks
from bot.store.models import Pair
from tests.support.constants import OWNER, TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme
from tests.support.notifier import RecordingNotifier

HOUR = 10
PROMPT_TIME = NOW + timedelta(hours=1)  # the first period's prompt moment


@pytest.fixture
def pair(sessions: sessionmaker[Session]) -> Pair:
    with sessions.begin() as session:
        return a_pair(session, a_programme(session))


def run(sessions: sessionmaker[Session], at: datetime) -> keep_going.Report:
    return keep_going.run(sessions, now=at, hour=HOUR, notifier=RecordingNotifier())


def next_check(sessions: sessionmaker[Session], pair: Pair) -> datetime | None:
    with sessions() as session:
        return session.scalar(select(Pair.next_check_at).where(Pair.id == pair.id))


def pause(sessions: sessionmaker[Session], pair: Pair, paused: bool, at: datetime) -> None:
    with sessions.begin() as session:
        participants.set_paused(
            session=session, team_id=TEAM_ID, user_id=pair.mentee_id, paused=paused, now=at
        )


def test_a_pair_with_nothing_due_is_looked_at_again_at_its_next_moment(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    assert next_check(sessions, pair) is None  # a new pair: decided at the next tick
    assert run(sessions, NOW) == keep_going.Report()
    assert next_check(sessions, pair) == PROMPT_TIME
    assert run(sessions, PROMPT_TIME) == keep_going.Report(prompts=1)
    assert next_check(sessions, pair) == PROMPT_TIME  # something was due: decided again
    run(sessions, PROMPT_TIME + timedelta(minutes=1))
    assert next_check(sessions, pair) == NOW + timedelta(weeks=2)  # the next period


def test_a_resume_brings_the_catch_up_at_the_next_tick(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    pause(sessions, pair, True, NOW)
    assert run(sessions, PROMPT_TIME) == keep_going.Report()
    assert next_check(sessions, pair) == NEVER
    resumed = PROMPT_TIME + timedelta(days=2)
    pause(sessions, pair, False, resumed)
    assert next_check(sessions, pair) == resumed
    assert run(sessions, resumed).prompts == 1


def test_a_new_time_zone_and_new_settings_ask_for_a_check(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    run(sessions, NOW)
    later = NOW + timedelta(minutes=5)
    with sessions.begin() as session:
        participants.set_timezone(
            session=session, team_id=TEAM_ID, user_id=pair.mentor_id,
            timezone="UTC", utc_offset_minutes=0, now=later,
        )  # fmt: skip
    assert next_check(sessions, pair) == PROMPT_TIME  # the same offset: nothing to retime
    with sessions.begin() as session:
        participants.set_timezone(
            session=session, team_id=TEAM_ID, user_id=pair.mentor_id,
            timezone="Asia/Kolkata", utc_offset_minutes=330, now=later,
        )  # fmt: skip
    assert next_check(sessions, pair) == later
    run(sessions, later)
    even_later = later + timedelta(minutes=5)
    with sessions.begin() as session:
        programmes.save(
            session=session, team_id=TEAM_ID, user_id=OWNER, programme_id=pair.programme_id,
            settings=replace(defaults("Spring"), cadence_weeks=1), owners=[],
            configured=[OWNER], now=even_later,
        )  # fmt: skip
    assert next_check(sessions, pair) == even_later


def test_a_fact_stored_while_a_tick_decides_stands(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    pause(sessions, pair, True, NOW)
    with sessions() as session:
        decision = keep_going.decide(session=session, now=PROMPT_TIME, hour=HOUR)
    assert decision.later == [(pair.id, None, NEVER)]
    # The mentee resumes after the tick read the pair paused, before it keeps the next check.
    pause(sessions, pair, False, PROMPT_TIME)
    with sessions.begin() as session:
        next_checks.store(session=session, checks=decision.later)
    assert next_check(sessions, pair) == PROMPT_TIME
    assert run(sessions, PROMPT_TIME).prompts == 1
