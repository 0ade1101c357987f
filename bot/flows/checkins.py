"""Check-in answers: a person's private answer about a period, into the ballot box."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import feedback
from bot.domain.pairs import side_of
from bot.domain.states import MetAnswer, RequestKind
from bot.flows import ballots, meetings
from bot.flows.errors import Refusal
from bot.store import keep_going as store
from bot.store import programmes, rounds
from bot.store.models import CheckinRequest

MET_ANSWERS = tuple(MetAnswer)
ANSWERED = "You've already answered this check-in, thank you! Nothing was changed."
STALE_CHECKIN = "That check-in isn't open any more, so nothing was changed."


def open_checkin(
    *, session: Session, team_id: str, user_id: str, request_id: int
) -> CheckinRequest:
    """The person's own check-in, if it is still waiting for an answer."""
    request = store.get_checkin_request(session=session, team_id=team_id, request_id=request_id)
    if request is None or request.user_id != user_id:
        raise Refusal(STALE_CHECKIN)
    if request.answered:
        raise Refusal(ANSWERED)
    return request


def answer_checkin(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    request_id: int,
    met: str,
    usefulness: int | None,
    comment: str,
    now: datetime,
) -> None:
    """Put a check-in answer in the ballot box (no link to the person) and mark it given; a
    "yes" is also noted on the pair's record of meetings, as the form says."""
    request = open_checkin(session=session, team_id=team_id, user_id=user_id, request_id=request_id)
    if met not in MET_ANSWERS:
        raise Refusal("Please say whether you met: yes, no or rescheduled.", field="met")
    given = feedback.feedback(usefulness, comment)
    if (wrong := feedback.problem(given)) is not None:
        field, why = wrong
        raise Refusal(why, field=field)
    text = given.comment
    pair = rounds.get_pair(session=session, team_id=team_id, pair_id=request.pair_id)
    if pair is None:
        raise Refusal(STALE_CHECKIN)
    programme = programmes.get(session=session, team_id=team_id, programme_id=pair.programme_id)
    if programme is None:
        raise Refusal(STALE_CHECKIN)
    # Only the update that flips `answered` stores an answer: a double submit stores one.
    if not store.mark_answered(
        session=session, request_id=request.id, period=ballots.period_of(programme, now)
    ):
        raise Refusal(ANSWERED)
    # Into the open period's ballot box: nothing ties it to the request just marked.
    ballots.cast(
        session=session,
        programme=programme,
        kind=RequestKind.CHECKIN,
        side=side_of(pair, user_id),
        met=met,
        usefulness=usefulness,
        comment=text or None,
        now=now,
    )
    # Whether they met is a fact about the pair, and the form says so; the ballot above stays
    # as it was: it gains no link to the person, the pair or this meeting row.
    if met == MetAnswer.YES:
        meetings.record_for_pair(session=session, pair=pair, user_id=user_id, now=now)
