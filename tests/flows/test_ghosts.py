"""The ghost job on a real session: who is asked, who is paused, what owners can count."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.states import StillIn
from bot.flows import ghosts
from bot.store import ghosts as ghost_store
from bot.store import keep_going, meetings, participants, rounds, stats
from bot.store.models import Pair, Programme
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme
from tests.support.notifier import RecordingNotifier

MENTOR, MENTEE = "U0MENTOR", "U0MENTEE"
# Period 2 starts on Mon 1 Feb at 09:00 UTC; a day later, at the prompt hour (UTC people).
ASK = datetime(2027, 2, 2, 10, tzinfo=UTC)


def quiet_mentee(session: Session) -> tuple[Programme, Pair]:
    """The mentor answers the first check-in; the mentee answers nothing."""
    programme = a_programme(session, cadence_weeks=2, round_weeks=12)
    pair = a_pair(session, programme, MENTOR, MENTEE)
    for user_id in (MENTOR, MENTEE):
        request = keep_going.record_checkin_request(
            session=session, team_id=TEAM_ID, user_id=user_id, pair_id=pair.id,
            programme_id=programme.id, period=0, now=NOW + timedelta(weeks=2),
        )  # fmt: skip
        assert request is not None
        if user_id == MENTOR:
            keep_going.mark_answered(
                session=session, request_id=request.id, period=date(2027, 1, 18)
            )
    return programme, pair


def run(session: Session, notifier: RecordingNotifier, at: datetime) -> ghosts.Report:
    return ghosts.run(session=session, now=at, hour=10, notifier=notifier)


def test_only_the_quiet_person_is_asked_once_and_owners_count_one_pair_at_risk(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme, pair = quiet_mentee(session)
    assert run(session, notifier, ASK - timedelta(minutes=1)) == ghosts.Report()
    assert run(session, notifier, ASK).asked == 1
    assert run(session, notifier, ASK + timedelta(minutes=5)) == ghosts.Report()
    (asked,) = notifier.of("still_in_question")
    assert asked.args["user_id"] == MENTEE and asked.args["asked_at"] == ASK
    assert asked.args["expires_at"] == ASK + timedelta(weeks=2)
    count = ghost_store.pairs_at_risk(session=session, team_id=TEAM_ID, programme_id=programme.id)
    assert count == 1
    assert stats.people_now(session=session, programme=programme).pairs_at_risk == 1

    notifier.clear()
    assert run(session, notifier, ASK + timedelta(weeks=2)).paused == 1
    assert notifier.methods() == [
        "pair_closed", "pairing_ended", "still_in_settled", "paused_for_silence"
    ]  # fmt: skip
    assert notifier.of("pairing_ended")[0].args["user_id"] == MENTOR
    assert notifier.of("still_in_settled")[0].args["outcome"] == StillIn.SILENT
    mentee = participants.get(session=session, team_id=TEAM_ID, user_id=MENTEE)
    mentor = participants.get(session=session, team_id=TEAM_ID, user_id=MENTOR)
    assert mentee is not None and mentee.paused and mentee.still_in_asked_at is None
    assert mentor is not None and mentor.waited and not mentor.paused
    assert rounds.get_pair(session=session, team_id=TEAM_ID, pair_id=pair.id).status == "ended"  # type: ignore[union-attr]
    count = ghost_store.pairs_at_risk(session=session, team_id=TEAM_ID, programme_id=programme.id)
    assert count == 0


def test_a_meeting_after_the_question_settles_it(
    session: Session, notifier: RecordingNotifier
) -> None:
    _, pair = quiet_mentee(session)
    run(session, notifier, ASK)
    meetings.record_meeting(
        session=session, team_id=TEAM_ID, pair_id=pair.id, met_on=date(2027, 2, 5), now=ASK
    )
    notifier.clear()
    assert run(session, notifier, ASK + timedelta(days=4)).settled == 1
    (settled,) = notifier.of("still_in_settled")
    assert settled.args["outcome"] == StillIn.ACTIVE
    assert run(session, notifier, ASK + timedelta(weeks=2)) == ghosts.Report()


def test_a_learner_with_two_partners_is_asked_about_the_quiet_pair_only(
    session: Session, notifier: RecordingNotifier
) -> None:
    programme, quiet = quiet_mentee(session)
    lively = a_pair(session, programme, "U0OTHER", MENTEE)
    meetings.record_meeting(
        session=session, team_id=TEAM_ID, pair_id=lively.id, met_on=date(2027, 1, 25), now=NOW
    )
    assert run(session, notifier, ASK).asked == 1
    (asked,) = notifier.of("still_in_question")
    assert (asked.args["user_id"], asked.args["pair_id"]) == (MENTEE, quiet.id)
    # The meetings of the other pair neither settle it nor ask again.
    for later in (ASK + timedelta(days=1), ASK + timedelta(days=2)):
        assert run(session, notifier, later) == ghosts.Report()
    count = ghost_store.pairs_at_risk(session=session, team_id=TEAM_ID, programme_id=programme.id)
    assert count == 1
