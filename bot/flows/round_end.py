"""The end of a round: a private closing survey each, then the pair carries on or ends.

Outcome: both choose *continue* -> the same pair starts its next round (same row, group DM and
goals); anyone chooses *new partner* or *stop* -> the pair ends and both are back in the pool,
never paired again (recorded when they accepted); *stop* also pauses that person. A survey left
unanswered for one meeting cadence counts as *new partner*.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from bot.domain import cadence, feedback
from bot.domain.cadence import PROMPT_HOUR
from bot.domain.pairs import partner_of, side_of
from bot.domain.round_end import (
    CHOICES,
    outcome,
    round_ends_at,
    survey_closes_at,
)
from bot.domain.states import ClosingChoice, PairStatus, RequestKind
from bot.flows import ballots
from bot.flows import participants as participant_flows
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.pair_exit import close_pair
from bot.store import participants, programmes
from bot.store import round_end as surveys
from bot.store.models import CheckinRequest, Pair, Programme

NOT_YOURS = "That survey is out of date or not yours, so nothing was changed."
ANSWERED = "You've already answered this survey, thank you. Nothing was changed."
CLOSED = "Sorry, this survey has closed, so nothing was changed."

# After a burst (a whole cohort's rounds end together) one pass does this many pairs, so a tick
# stays short; the next tick carries on from the database.
PAIRS_PER_PASS = 500

# continue: a new round begins; wait: the partner hasn't answered; end: this answer ended the
# pair; over: the pair had already ended (the answer still counts, anonymously).
Result = Literal["continue", "wait", "end", "over"]


@dataclass(frozen=True)
class OpenSurvey:
    """A closing survey the person may still answer."""

    pair: Pair
    programme: Programme
    request: CheckinRequest
    partner: str
    closes_at: datetime


@dataclass(frozen=True)
class Answered:
    """What a closing answer led to, for the person's private confirmation."""

    choice: ClosingChoice
    result: Result
    partner: str


def send_surveys(
    *,
    session: Session,
    now: datetime,
    notifier: Notifier,
    hour: int = PROMPT_HOUR,
    limit: int = PAIRS_PER_PASS,
) -> int:
    """Ask both people of every pair whose round has ended; each survey is stored once and
    goes out now if it is working hours for the person, else at `hour` on their next working day.
    """
    sent, room = 0, limit
    for programme in surveys.every_programme(session=session):
        past = surveys.pairs_past_first_round(session=session, programme=programme, now=now)
        # Rounds follow one another: the next survey is for the round after those asked.
        due = [
            (pair, asked)
            for pair, asked in past
            if round_ends_at(pair.started_at, round_weeks=programme.round_weeks, round_index=asked)
            <= now
        ][:room]
        room -= len(due)
        added = surveys.add_requests(session=session, due=due, now=now)
        closes_at = survey_closes_at(now, cadence_weeks=programme.cadence_weeks)
        people = [(p.team_id, u) for p, _ in due for u in (p.mentor_id, p.mentee_id)]
        offsets = surveys.utc_offsets(session=session, users=people)
        for pair, asked in due:
            for user_id in (pair.mentor_id, pair.mentee_id):
                if (pair.id, user_id) in added:
                    notifier.closing_survey(
                        session=session,
                        pair=pair,
                        user_id=user_id,
                        round_index=asked,
                        send_at=cadence.working_moment(
                            now, [offsets.get((pair.team_id, user_id), 0)], hour=hour
                        ),
                        closes_at=closes_at,
                        now=now,
                    )
                    sent += 1
    return sent


def open_survey(
    *, session: Session, team_id: str, user_id: str, pair_id: int, now: datetime
) -> OpenSurvey:
    """The person's unanswered closing survey for this pair, or a polite refusal."""
    request = surveys.latest_request(
        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id
    )
    pair = session.get(Pair, pair_id)
    if request is None or pair is None:
        raise Refusal(NOT_YOURS)
    if request.answered:
        raise Refusal(ANSWERED)
    programme = programmes.get(session=session, team_id=team_id, programme_id=pair.programme_id)
    assert programme is not None  # pairs are deleted with their programme
    closes_at = survey_closes_at(request.asked_at, cadence_weeks=programme.cadence_weeks)
    if now >= closes_at:
        raise Refusal(CLOSED)
    return OpenSurvey(
        pair=pair,
        programme=programme,
        request=request,
        partner=partner_of(pair, user_id),
        closes_at=closes_at,
    )


def answer(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    choice: str,
    usefulness: int | None,
    comment: str,
    now: datetime,
    notifier: Notifier,
) -> Answered:
    """Record one closing answer anonymously and act on the pair's outcome."""
    # Locked first, so two answers arriving together see each other.
    surveys.lock_pair(session=session, team_id=team_id, pair_id=pair_id)
    survey = open_survey(
        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id, now=now
    )
    chosen = next((c for c in CHOICES if c == choice), None)
    if chosen is None:
        raise Refusal("Please choose what you'd like next.")
    given = feedback.feedback(usefulness, comment)
    if (wrong := feedback.problem(given)) is not None:
        field, why = wrong
        raise Refusal(why, field=field)
    text = given.comment
    pair, request = survey.pair, survey.request
    request.answered = True
    # Into the open period's ballot box: nothing ties it to the request just marked.
    request.answered_in = ballots.cast(
        session=session,
        programme=survey.programme,
        kind=RequestKind.CLOSING,
        side=side_of(pair, user_id),
        choice=chosen,
        usefulness=usefulness,
        comment=text or None,
        now=now,
    )
    if chosen == ClosingChoice.STOP:
        _pause(session=session, team_id=team_id, user_id=user_id, now=now)
    if pair.status != PairStatus.ACTIVE:
        return Answered(choice=chosen, result="over", partner=survey.partner)
    theirs = surveys.request_of(
        session=session, pair_id=pair.id, user_id=survey.partner, round_index=request.period
    )
    # A partner who answered while the pair is still active chose to continue: any other
    # choice would have ended it. So their answer itself need not be kept with their name.
    partner_choice: ClosingChoice | None = (
        ClosingChoice.CONTINUE if theirs is not None and theirs.answered else None
    )
    result = outcome([chosen, partner_choice])
    if result == "end":
        close_pair(session=session, pair=pair, now=now, notifier=notifier)
        notifier.round_over(session=session, pair=pair, user_id=survey.partner, now=now)
    elif result == "continue":
        pair.next_check_at = now  # a new round of prompts: decide for it at the next tick
        notifier.round_continues(
            session=session, pair=pair, round_index=request.period + 1, now=now
        )
    return Answered(choice=chosen, result=result, partner=survey.partner)


def _pause(*, session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """Stopping after a round pauses the person, exactly as `/mentoring pause` does."""
    if participants.get(session=session, team_id=team_id, user_id=user_id) is not None:
        participant_flows.set_paused(
            session=session, team_id=team_id, user_id=user_id, paused=True, now=now
        )


def close_overdue(
    *, session: Session, now: datetime, notifier: Notifier, limit: int = PAIRS_PER_PASS
) -> int:
    """End pairs whose closing survey went unanswered too long: as if a new partner was chosen."""
    ended = 0
    for programme in surveys.every_programme(session=session):
        late = surveys.overdue_pairs(
            session=session, programme=programme, now=now, limit=limit - ended
        )
        for pair in late:
            close_pair(session=session, pair=pair, now=now, notifier=notifier)
            for user_id in (pair.mentor_id, pair.mentee_id):
                notifier.round_over(session=session, pair=pair, user_id=user_id, now=now)
            ended += 1
    return ended
