"""A pause with an end date: set through the participants flow, ended by the resume job."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.flows import participants, pause_until
from bot.flows.errors import Refusal
from bot.store.models import Participant
from tests.support.constants import ALICE, TEAM_ID
from tests.support.factories import NOW, a_programme, joined
from tests.support.notifier import RecordingNotifier

UNTIL = date(2027, 1, 15)


def paused_until(session: Session, until: date, *, timezone: str = "UTC") -> Participant:
    """Alice, in `timezone`, paused until `until`."""
    alice = joined(session, a_programme(session), ALICE)
    alice.timezone = timezone
    session.flush()
    assert participants.set_paused(
        session=session, team_id=TEAM_ID, user_id=ALICE, paused=True, until=until, now=NOW
    )
    session.refresh(alice)
    return alice


def test_pausing_until_a_date_stores_it_and_resume_clears_it(session: Session) -> None:
    alice = paused_until(session, UNTIL)
    assert (alice.paused, alice.paused_until) == (True, UNTIL)
    assert participants.set_paused(
        session=session, team_id=TEAM_ID, user_id=ALICE, paused=False, now=NOW
    )
    session.refresh(alice)
    assert (alice.paused, alice.paused_until) == (False, None)


@pytest.mark.parametrize("until", [date(2027, 1, 4), date(2027, 1, 1), date(2028, 1, 5)])
def test_today_the_past_and_over_a_year_ahead_are_refused(session: Session, until: date) -> None:
    alice = joined(session, a_programme(session), ALICE)
    with pytest.raises(Refusal, match="nothing changed"):
        participants.set_paused(
            session=session, team_id=TEAM_ID, user_id=ALICE, paused=True, until=until, now=NOW
        )
    session.refresh(alice)
    assert (alice.paused, alice.paused_until) == (False, None)


def test_nobody_is_resumed_before_the_date(session: Session, notifier: RecordingNotifier) -> None:
    alice = paused_until(session, UNTIL)
    eve = datetime(2027, 1, 14, 23, 59, tzinfo=UTC)
    assert pause_until.resume_due(session=session, now=eve, notifier=notifier) == 0
    session.refresh(alice)
    assert alice.paused and notifier.notices == []


def test_resumed_on_the_dates_morning_in_their_own_zone_and_told_once(
    session: Session, notifier: RecordingNotifier
) -> None:
    alice = paused_until(session, UNTIL, timezone="Asia/Tokyo")  # UTC+9
    # 07:30 in Tokyo on the 15th: not yet morning there.
    early = datetime(2027, 1, 14, 22, 30, tzinfo=UTC)
    assert pause_until.resume_due(session=session, now=early, notifier=notifier) == 0
    # 08:00 in Tokyo on the 15th, though still the 14th in UTC.
    morning = datetime(2027, 1, 14, 23, 0, tzinfo=UTC)
    assert pause_until.resume_due(session=session, now=morning, notifier=notifier) == 1
    assert pause_until.resume_due(session=session, now=morning, notifier=notifier) == 0
    session.refresh(alice)
    assert (alice.paused, alice.paused_until) == (False, None)
    assert [(n.args["user_id"], n.args["until"]) for n in notifier.of("resumed")] == [
        (ALICE, UNTIL)
    ]


def test_a_zone_behind_utc_waits_for_its_own_morning(
    session: Session, notifier: RecordingNotifier
) -> None:
    alice = paused_until(session, UNTIL, timezone="America/New_York")  # UTC-5 in January
    utc_morning = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)  # 03:00 in New York
    assert pause_until.resume_due(session=session, now=utc_morning, notifier=notifier) == 0
    ny_morning = datetime(2027, 1, 15, 13, 0, tzinfo=UTC)  # 08:00 in New York
    assert pause_until.resume_due(session=session, now=ny_morning, notifier=notifier) == 1
    session.refresh(alice)
    assert not alice.paused


def test_a_plain_pause_is_never_ended_by_the_job(
    session: Session, notifier: RecordingNotifier
) -> None:
    alice = joined(session, a_programme(session), ALICE)
    participants.set_paused(session=session, team_id=TEAM_ID, user_id=ALICE, paused=True, now=NOW)
    later = datetime(2028, 6, 1, 12, 0, tzinfo=UTC)
    assert pause_until.resume_due(session=session, now=later, notifier=notifier) == 0
    session.refresh(alice)
    assert alice.paused
