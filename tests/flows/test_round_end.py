"""The end of a round on a real session: a private survey each, then carry on or end."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows import round_end
from bot.flows.errors import Refusal
from bot.store import participants
from bot.store.models import Ballot, Pair
from tests.support.constants import TEAM_ID
from tests.support.factories import NOW, a_pair, a_programme
from tests.support.notifier import RecordingNotifier

ROUND_OVER = NOW + timedelta(weeks=12, hours=1)  # a Monday at 10:00, in working hours


@pytest.fixture
def pair(session: Session, notifier: RecordingNotifier) -> Pair:
    """A pair whose first round has just ended, both asked; what was said so far forgotten."""
    pair = a_pair(session, a_programme(session))
    assert round_end.send_surveys(session=session, now=ROUND_OVER, notifier=notifier) == 2
    notifier.clear()
    return pair


def answer(
    session: Session,
    notifier: RecordingNotifier,
    pair: Pair,
    user_id: str,
    choice: str,
    *,
    usefulness: int | None = 4,
    comment: str = "",
) -> round_end.Answered:
    return round_end.answer(
        session=session,
        team_id=TEAM_ID,
        user_id=user_id,
        pair_id=pair.id,
        choice=choice,
        usefulness=usefulness,
        comment=comment,
        now=ROUND_OVER + timedelta(days=1),
        notifier=notifier,
    )


def test_both_are_asked_once_when_the_round_ends(
    session: Session, notifier: RecordingNotifier
) -> None:
    pair = a_pair(session, a_programme(session))
    assert (
        round_end.send_surveys(
            session=session, now=ROUND_OVER - timedelta(hours=2), notifier=notifier
        )
        == 0
    )
    assert round_end.send_surveys(session=session, now=ROUND_OVER, notifier=notifier) == 2
    assert round_end.send_surveys(session=session, now=ROUND_OVER, notifier=notifier) == 0
    asked = notifier.of("closing_survey")
    assert sorted(n.args["user_id"] for n in asked) == sorted([pair.mentor_id, pair.mentee_id])
    assert {(n.args["round_index"], n.args["send_at"]) for n in asked} == {(0, ROUND_OVER)}


def test_both_choosing_to_continue_starts_the_next_round(
    session: Session, notifier: RecordingNotifier, pair: Pair
) -> None:
    first = answer(session, notifier, pair, pair.mentor_id, "continue")
    assert (first.result, notifier.notices) == ("wait", [])
    second = answer(session, notifier, pair, pair.mentee_id, "continue")
    assert second.result == "continue" and pair.status == "active"
    (carried_on,) = notifier.notices
    assert (carried_on.method, carried_on.args["round_index"]) == ("round_continues", 1)


def test_a_new_partner_ends_the_pair_and_the_other_hears_kindly(
    session: Session, notifier: RecordingNotifier, pair: Pair
) -> None:
    answer(session, notifier, pair, pair.mentor_id, "continue")
    done = answer(session, notifier, pair, pair.mentee_id, "new_partner", comment="Thanks!")
    assert (done.result, done.partner, pair.status) == ("end", pair.mentor_id, "ended")
    closed, told = notifier.notices
    assert (closed.method, closed.args["pair"]) == ("pair_closed", pair)
    assert (told.method, told.args["user_id"]) == ("round_over", pair.mentor_id)
    # The answers wait in the ballot box: a side and a period, no person or pair.
    answers = sorted(session.scalars(select(Ballot)), key=lambda a: a.side)
    assert [(a.side, a.choice, a.comment) for a in answers] == [
        ("learn", "new_partner", "Thanks!"),
        ("share", "continue", None),
    ]


def test_stop_also_pauses_the_person(
    session: Session, notifier: RecordingNotifier, pair: Pair
) -> None:
    assert answer(session, notifier, pair, pair.mentor_id, "stop").result == "end"
    mentor = participants.get(session=session, team_id=TEAM_ID, user_id=pair.mentor_id)
    mentee = participants.get(session=session, team_id=TEAM_ID, user_id=pair.mentee_id)
    assert mentor is not None and mentor.paused
    assert mentee is not None and not mentee.paused
    # The partner's answer afterwards still counts, and changes nothing more.
    assert answer(session, notifier, pair, pair.mentee_id, "continue").result == "over"
    assert notifier.methods() == ["pair_closed", "round_over"]


def test_odd_or_repeated_answers_are_refused(
    session: Session, notifier: RecordingNotifier, pair: Pair
) -> None:
    with pytest.raises(Refusal, match="choose what you'd like"):
        answer(session, notifier, pair, pair.mentor_id, "maybe")
    with pytest.raises(Refusal, match="1 to 5") as refused:
        answer(session, notifier, pair, pair.mentor_id, "continue", usefulness=9)
    assert refused.value.field == "usefulness"
    with pytest.raises(Refusal, match="out of date or not yours"):
        answer(session, notifier, pair, "U0STRANGER", "continue")
    answer(session, notifier, pair, pair.mentor_id, "continue")
    with pytest.raises(Refusal, match="already answered"):
        answer(session, notifier, pair, pair.mentor_id, "continue")
    assert len(session.scalars(select(Ballot)).all()) == 1


def test_a_survey_left_unanswered_ends_the_pair_and_tells_both(
    session: Session, notifier: RecordingNotifier, pair: Pair
) -> None:
    closes = ROUND_OVER + timedelta(weeks=2)
    assert (
        round_end.close_overdue(
            session=session, now=closes - timedelta(minutes=1), notifier=notifier
        )
        == 0
    )
    assert round_end.close_overdue(session=session, now=closes, notifier=notifier) == 1
    assert pair.status == "ended"
    told = [n.args["user_id"] for n in notifier.of("round_over")]
    assert sorted(told) == sorted([pair.mentor_id, pair.mentee_id])
    with pytest.raises(Refusal, match="closed"):
        round_end.open_survey(
            session=session, team_id=TEAM_ID, user_id=pair.mentor_id, pair_id=pair.id, now=closes
        )
