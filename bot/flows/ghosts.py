"""Ghosts, with dignity: one private question to someone quiet for two periods, and what their
answer (or one more silent period) does. The rules are in bot.domain.ghosts."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain import ghosts
from bot.domain.cadence import PairClock
from bot.domain.pairs import partner_of
from bot.domain.states import StillIn
from bot.flows import participants as people
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.pair_exit import close_pair
from bot.store import ghosts as store
from bot.store import keep_going, meetings, next_checks, participants, rounds
from bot.store.models import Pair

SETTLED = "Thanks, that's already noted, so nothing more was changed."


@dataclass(frozen=True)
class Report:
    """What one pass did."""

    asked: int = 0
    paused: int = 0
    settled: int = 0


def run(*, session: Session, now: datetime, hour: int, notifier: Notifier) -> Report:
    """Ask the quiet once, settle questions a sign of life overtook, pause the still silent."""
    pairs = store.quiet_candidates(session=session)
    if not pairs:
        return Report()
    oldest = pairs[0][0]
    met = meetings.last_meetings(session=session, pairs=next_checks.active_ids())
    answered = store.answered_periods(session=session, from_pair_id=oldest)
    unanswered = store.first_unanswered(session=session, from_pair_id=oldest)
    continued = keep_going.continued_rounds(session=session, pairs=next_checks.active_ids())
    rhythms = keep_going.rhythms(session=session)
    asked = paused = settled = 0
    for (
        pair_id, team_id, programme_id, started_at, mentor, mentee,
        mentor_offset, mentor_changed, mentor_asked, mentee_offset, mentee_changed, mentee_asked,
    ) in pairs:  # fmt: skip
        cadence, length = rhythms[programme_id]
        rounds_before = continued.get(pair_id, 0)
        clock = PairClock(
            started_at,
            timedelta(weeks=cadence),
            timedelta(weeks=length) * (1 + rounds_before),
        )
        round_started = started_at + timedelta(weeks=length) * rounds_before
        since = ghosts.anchor(round_started, mentor_changed, mentee_changed)
        for user_id, offset, asked_at in (
            (mentor, mentor_offset, mentor_asked),
            (mentee, mentee_offset, mentee_asked),
        ):
            quiet = ghosts.Quiet(
                clock,
                since,
                offset,
                met.get(pair_id),
                answered.get((pair_id, user_id)),
                unanswered.get((pair_id, user_id)),
                asked_at,
            )
            if ghosts.pause_due(quiet, now) and asked_at is not None:
                _pause_silent(session, team_id, pair_id, user_id, asked_at, now, notifier)
                paused += 1
                break  # the pair has ended
            if ghosts.answered_meanwhile(quiet) and asked_at is not None:
                if store.settle(
                    session=session, team_id=team_id, user_id=user_id, asked_at=asked_at, now=None
                ):
                    notifier.still_in_settled(
                        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id,
                        asked_at=asked_at, outcome=StillIn.ACTIVE, until=None, now=now,
                    )  # fmt: skip
                    settled += 1
                continue
            send_at = ghosts.ask_at(quiet, now, hour=hour)
            if send_at is not None and store.mark_asked(
                session=session, team_id=team_id, user_id=user_id, pair_id=pair_id, since=since,
                asked_at=send_at,
            ):  # fmt: skip
                notifier.still_in_question(
                    session=session, team_id=team_id, user_id=user_id, pair_id=pair_id,
                    asked_at=send_at, expires_at=send_at + clock.cadence, now=now,
                )  # fmt: skip
                asked += 1
    return Report(asked=asked, paused=paused, settled=settled)


def _pause_silent(
    session: Session,
    team_id: str,
    pair_id: int,
    user_id: str,
    asked_at: datetime,
    now: datetime,
    notifier: Notifier,
) -> None:
    """No answer for a whole period: pause them, end the pair the way pair_exit does, tell the
    partner kindly (no reasons) and put them first in line for a new partner."""
    pair = rounds.get_pair(session=session, team_id=team_id, pair_id=pair_id)
    if pair is None:
        return
    if not store.settle(
        session=session, team_id=team_id, user_id=user_id, asked_at=asked_at, now=None
    ):
        return  # answered or paused meanwhile
    people.set_paused(session=session, team_id=team_id, user_id=user_id, paused=True, now=now)
    # The pair ends first: closing it withdraws its pending messages, which must not include
    # the updates that retire these questions' buttons.
    _end_for_partner(session, pair, user_id, now, notifier)
    notifier.still_in_settled(
        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id, asked_at=asked_at,
        outcome=StillIn.SILENT, until=None, now=now,
    )  # fmt: skip
    notifier.paused_for_silence(
        session=session, team_id=team_id, user_id=user_id, pair=pair, now=now
    )


def _end_for_partner(
    session: Session, pair: Pair, user_id: str, now: datetime, notifier: Notifier
) -> None:
    close_pair(session=session, pair=pair, now=now, notifier=notifier)
    partner_id = partner_of(pair, user_id)
    partner = participants.get(session=session, team_id=pair.team_id, user_id=partner_id)
    if partner is None:
        return
    partner.waited = True  # first in line in the next round
    asked_at = partner.still_in_asked_at
    if asked_at is not None and partner.still_in_pair_id == pair.id:
        # Both had gone quiet: the partner's question about this pair closes too.
        partner.still_in_asked_at = partner.still_in_pair_id = None
        notifier.still_in_settled(
            session=session, team_id=pair.team_id, user_id=partner_id, pair_id=pair.id,
            asked_at=asked_at, outcome=StillIn.CLOSED, until=None, now=now,
        )  # fmt: skip
    notifier.pairing_ended(
        session=session, team_id=pair.team_id, user_id=partner_id, pair_id=pair.id, now=now
    )


def _open_question(*, session: Session, team_id: str, user_id: str, pair_id: int) -> datetime:
    """When the open question about `pair_id` was asked; a click on an older one is refused."""
    participant = participants.get(session=session, team_id=team_id, user_id=user_id)
    if participant is None:
        raise Refusal(people.NOT_JOINED)
    asked_at = participant.still_in_asked_at
    if asked_at is None or participant.still_in_pair_id != pair_id:
        raise Refusal(SETTLED)
    return asked_at


def still_in(
    *, session: Session, team_id: str, user_id: str, pair_id: int, now: datetime, notifier: Notifier
) -> None:
    """*Still in*: the question closes, and silence counts afresh from now."""
    asked_at = _open_question(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if not store.settle(
        session=session, team_id=team_id, user_id=user_id, asked_at=asked_at, now=now
    ):
        raise Refusal(SETTLED)
    notifier.still_in_settled(
        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id, asked_at=asked_at,
        outcome=StillIn.STILL_IN, until=None, now=now,
    )  # fmt: skip


def pause_until(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    until: date,
    now: datetime,
    notifier: Notifier,
) -> None:
    """*Pause until…*: a dated pause (checked as `/mentoring pause until` checks it); the pair
    stays, resting, and both carry on when the person is back."""
    asked_at = _open_question(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    # Refuses a date in the past or too far ahead, changing nothing; clears the question.
    people.set_paused(
        session=session, team_id=team_id, user_id=user_id, paused=True, until=until, now=now
    )
    notifier.still_in_settled(
        session=session, team_id=team_id, user_id=user_id, pair_id=pair_id, asked_at=asked_at,
        outcome=StillIn.PAUSED, until=until, now=now,
    )  # fmt: skip
