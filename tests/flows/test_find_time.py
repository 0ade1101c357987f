"""Planned meetings on a real session: picking plans one, only a confirmed one counts as met,
"Did it happen?" is asked once, a no frees the day. Both people work 09:00-17:00 UTC."""

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.states import MeetingStatus
from bot.flows import find_time, meetings, mydata
from bot.flows.errors import Refusal
from bot.store import meetings as store
from bot.store.models import Meeting, Pair
from bot.store.next_checks import active_ids
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme, joined
from tests.support.notifier import RecordingNotifier

TUESDAY_TEN = datetime(2027, 1, 5, 10, tzinfo=NOW.tzinfo)


@pytest.fixture
def pair(sessions: sessionmaker[Session]) -> Pair:
    """Two people at work 09:00-17:00 UTC, Monday to Friday, in a pair."""
    with sessions.begin() as session:
        programme = a_programme(session)
        for user, side in (("U0MENTOR", "share"), ("U0MENTEE", "learn")):
            joined(
                session, programme, user, side,
                work_start=time(9), work_end=time(17), work_days=(0, 1, 2, 3, 4),
            )  # fmt: skip
        return a_pair(session, programme)


def pick(sessions: sessionmaker[Session], pair: Pair, user: str, start: datetime) -> None:
    with sessions.begin() as session:
        find_time.pick_time(
            session=session, team_id=TEAM_ID, user_id=user, pair_id=pair.id, place_code="k0",
            start=start, now=NOW,
        )  # fmt: skip


def status(sessions: sessionmaker[Session]) -> list[MeetingStatus]:
    with sessions() as session:
        return [m.status for m in session.query(Meeting).order_by(Meeting.id)]


def test_a_planned_meeting_counts_as_met_only_once_confirmed(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    pick(sessions, pair, pair.mentee_id, TUESDAY_TEN)
    with sessions() as session:
        assert store.last_meetings(session=session, pairs=active_ids()) == {}
    after = TUESDAY_TEN + timedelta(minutes=30)
    for _ in range(2):  # asked once, however often the job runs
        with sessions.begin() as session:
            find_time.ask_did_it_happen(session=session, now=after, notifier=notifier)
    assert len(notifier.of("did_it_happen")) == 1 and status(sessions) == ["asked"]
    meeting_id = notifier.of("did_it_happen")[0].args["meeting"].id
    with sessions.begin() as session:
        assert find_time.answer_did_it_happen(
            session=session, team_id=TEAM_ID, user_id=pair.mentor_id, meeting_id=meeting_id,
            held=True, now=after, notifier=notifier,
        )  # fmt: skip
    with sessions.begin() as session:
        assert not find_time.answer_did_it_happen(
            session=session, team_id=TEAM_ID, user_id=pair.mentee_id, meeting_id=meeting_id,
            held=False, now=after, notifier=notifier,
        )  # fmt: skip
        assert store.last_meetings(session=session, pairs=active_ids()) == {
            pair.id: TUESDAY_TEN.date()
        }
    assert status(sessions) == ["held"] and len(notifier.of("meeting_answered")) == 1


def test_we_met_on_the_planned_day_confirms_it(sessions: sessionmaker[Session], pair: Pair) -> None:
    pick(sessions, pair, pair.mentor_id, TUESDAY_TEN)
    with sessions.begin() as session:
        assert meetings.record_meeting(
            session=session, team_id=TEAM_ID, user_id=pair.mentee_id, pair_id=None,
            now=TUESDAY_TEN + timedelta(hours=1),
        )  # fmt: skip
    assert status(sessions) == ["held"]


def test_a_no_frees_the_day_and_a_second_pick_waits_for_the_first(
    sessions: sessionmaker[Session], notifier: RecordingNotifier, pair: Pair
) -> None:
    pick(sessions, pair, pair.mentee_id, TUESDAY_TEN)
    with pytest.raises(Refusal, match="already has a meeting planned"):
        pick(sessions, pair, pair.mentor_id, TUESDAY_TEN + timedelta(days=1))
    after = TUESDAY_TEN + timedelta(hours=1)
    with sessions.begin() as session:
        find_time.ask_did_it_happen(session=session, now=after, notifier=notifier)
        meeting_id = notifier.of("did_it_happen")[0].args["meeting"].id
        find_time.answer_did_it_happen(
            session=session, team_id=TEAM_ID, user_id=pair.mentor_id, meeting_id=meeting_id,
            held=False, now=after, notifier=notifier,
        )  # fmt: skip
    assert status(sessions) == ["missed"]
    pick(sessions, pair, pair.mentor_id, TUESDAY_TEN + timedelta(hours=5))  # later that day
    assert status(sessions) == ["planned"]


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (NOW - timedelta(hours=1), "isn't free"),  # passed
        (datetime(2027, 1, 5, 16, 45, tzinfo=NOW.tzinfo), "isn't free"),  # ends after 17:00
        (datetime(2027, 1, 9, 10, tzinfo=NOW.tzinfo), "isn't free"),  # a Saturday
        (TUESDAY_TEN + timedelta(minutes=7), "isn't free"),  # not on a quarter hour
    ],
)
def test_a_pick_outside_both_hours_is_refused(
    sessions: sessionmaker[Session], pair: Pair, start: datetime, why: str
) -> None:
    with pytest.raises(Refusal, match=why):
        pick(sessions, pair, pair.mentee_id, start)
    assert status(sessions) == []


def test_only_the_pair_can_pick(sessions: sessionmaker[Session], pair: Pair) -> None:
    with pytest.raises(Refusal, match="Only the two people"):
        pick(sessions, pair, "U0NOSY", TUESDAY_TEN)


def test_my_data_shows_a_meeting_picked_and_not_yet_confirmed(
    sessions: sessionmaker[Session], pair: Pair
) -> None:
    pick(sessions, pair, pair.mentee_id, TUESDAY_TEN)
    with sessions() as session:
        (mine,) = mydata.gather(session=session, team_id=TEAM_ID, user_id=pair.mentor_id).pairs
    assert mine["met_on"] == []
    assert mine["meetings_not_confirmed"] == [
        {"starts_at": TUESDAY_TEN.isoformat(), "status": "planned"}
    ]
