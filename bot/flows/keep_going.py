"""Keeping pairs going: scheduled prompts, nudges and check-ins; meetings; check-in answers."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.domain import feedback, schedule
from bot.domain.pairs import side_of
from bot.domain.prompt_files import default_library
from bot.domain.prompts import choose_prompt
from bot.domain.states import MetAnswer, RequestKind
from bot.flows import ballots, find_time, meetings
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import keep_going as store
from bot.store import meetings as meetings_store
from bot.store import outbox_keys, programmes, rounds
from bot.store.models import CheckinRequest

MET_ANSWERS = tuple(MetAnswer)
NOT_ASKED = (-1, -1)
CHUNK = 200  # due items per transaction: a big first tick commits as it goes
ANSWERED = "You've already answered this check-in, thank you! Nothing was changed."
STALE_CHECKIN = "That check-in isn't open any more, so nothing was changed."


@dataclass(frozen=True)
class Report:
    """What one pass stored to send."""

    prompts: int = 0
    nudges: int = 0
    checkins: int = 0


def decide(*, session: Session, now: datetime, hour: int) -> schedule.Due:
    """Load every active pair in a few set-based queries and decide what is due now."""
    pairs = store.active_pairs(session=session)
    if not pairs:
        return schedule.Due()
    oldest = pairs[0].pair_id
    meetings = meetings_store.last_meetings(session=session, from_pair_id=oldest)
    prompted = store.last_prompted_periods(session=session, from_pair_id=oldest)
    asked = store.last_checkin_periods(session=session, from_pair_id=oldest)
    prompted_at = store.last_prompt_times(session=session, from_pair_id=oldest)
    # A pair that carried on keeps its periods counting: its round is as many rounds longer.
    continued = store.continued_rounds(session=session, from_pair_id=oldest)
    rhythms = {
        programme_id: (timedelta(weeks=cadence), timedelta(weeks=length))
        for programme_id, (cadence, length) in store.rhythms(session=session).items()
    }
    states = []
    # Unpacked by position: name lookups on 20,000 rows cost more than the decision itself.
    for (
        pair_id,
        team_id,
        programme_id,
        started_at,
        mentor,
        mentee,
        mentor_offset,
        mentee_offset,
        paused,
        has_channel,
        mentor_resumed_at,
        mentee_resumed_at,
    ) in pairs:
        cadence, length = rhythms[programme_id]
        mentor_asked, mentee_asked = asked.get(pair_id, NOT_ASKED)
        states.append(
            schedule.PairState(
                pair_id,
                team_id,
                started_at,
                cadence,
                length * (1 + continued.get(pair_id, 0)),
                mentor,
                mentee,
                mentor_offset,
                mentee_offset,
                paused,
                has_channel,
                prompted.get(pair_id, -1),
                mentor_asked,
                mentee_asked,
                meetings.get(pair_id),
                _later(mentor_resumed_at, mentee_resumed_at),
                prompted_at.get(pair_id),
            )
        )
    due = schedule.decide(states, now, hour=hour)
    # A nudge leaves no record but its message, so the outbox says which were already stored.
    sent = store.stored_keys(
        session=session,
        keys=[(n.team_id, outbox_keys.nudge(n.pair_id, n.since)) for n in due.nudges],
    )
    due.nudges = [
        n for n in due.nudges if (n.team_id, outbox_keys.nudge(n.pair_id, n.since)) not in sent
    ]
    return due


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def run(sessions: sessionmaker[Session], *, now: datetime, hour: int, notifier: Notifier) -> Report:
    """Decide what is due and store each message once (safe with two schedulers at once)."""
    with sessions() as session:
        due = decide(session=session, now=now, hour=hour)
    prompts = nudges = checkins = 0
    for start in range(0, len(due.prompts), CHUNK):
        with sessions.begin() as session:
            prompts += _prompts(session, due.prompts[start : start + CHUNK], now, notifier)
    for start in range(0, len(due.nudges), CHUNK):
        with sessions.begin() as session:
            nudges += _nudges(session, due.nudges[start : start + CHUNK], now, notifier)
    for start in range(0, len(due.checkins), CHUNK):
        with sessions.begin() as session:
            checkins += _checkins(session, due.checkins[start : start + CHUNK], now, notifier)
    return Report(prompts=prompts, nudges=nudges, checkins=checkins)


def _prompts(
    session: Session, due: Sequence[schedule.PromptDue], now: datetime, notifier: Notifier
) -> int:
    library = default_library()
    pairs = store.active_pairs_by_id(session=session, pair_ids=[d.pair_id for d in due])
    people = store.members(session=session, pairs=pairs.values())
    histories = store.prompt_histories(session=session, pair_ids=pairs)
    times_for = find_time.TimesForPairs(session, pairs.values())
    stored = 0
    for item in due:
        pair = pairs.get(item.pair_id)
        if pair is None or pair.channel_id is None:
            continue  # ended since the decision
        mentor = people.get((pair.team_id, pair.mentor_id))
        mentee = people.get((pair.team_id, pair.mentee_id))
        if mentor is None or mentee is None:
            continue
        interests = schedule.pair_topics(mentor.shares, mentor.learns, mentee.shares, mentee.learns)
        prompt = choose_prompt(
            library,
            used=histories.get(pair.id, []),
            interests=interests,
            stage=item.stage,
            seed=pair.id,
        )
        if prompt is None:
            continue
        # The unique (pair, period) row decides which of two concurrent ticks posts.
        if store.record_prompt(
            session=session,
            team_id=pair.team_id,
            pair_id=pair.id,
            period=item.period,
            prompt_id=prompt.id,
            topic=prompt.topic,
            now=now,
        ):
            notifier.prompt(
                session=session,
                pair=pair,
                prompt=prompt,
                period=item.period,
                stage=item.stage,
                send_at=item.send_at,
                expires_at=item.expires_at,
                now=now,
                times=times_for(pair, item.period, now=item.send_at),
            )
            stored += 1
    return stored


def _nudges(
    session: Session, due: Sequence[schedule.NudgeDue], now: datetime, notifier: Notifier
) -> int:
    pairs = store.active_pairs_by_id(session=session, pair_ids=[d.pair_id for d in due])
    stored = 0
    for item in due:
        pair = pairs.get(item.pair_id)
        if pair is None or pair.channel_id is None:
            continue
        stored += notifier.nudge(
            session=session,
            pair=pair,
            since=item.since,
            send_at=item.send_at,
            expires_at=item.expires_at,
            now=now,
        )
    return stored


def _checkins(
    session: Session, due: Sequence[schedule.CheckinDue], now: datetime, notifier: Notifier
) -> int:
    pairs = store.active_pairs_by_id(session=session, pair_ids=[d.pair_id for d in due])
    stored = 0
    for item in due:
        pair = pairs.get(item.pair_id)
        if pair is None:
            continue
        programme = programmes.get(
            session=session, team_id=pair.team_id, programme_id=pair.programme_id
        )
        if programme is None:
            continue
        request = store.record_checkin_request(
            session=session,
            team_id=pair.team_id,
            user_id=item.user_id,
            pair_id=pair.id,
            programme_id=pair.programme_id,
            period=item.period,
            now=now,
        )
        if request is None:
            continue  # another tick asked first
        notifier.checkin(
            session=session,
            request=request,
            cadence_weeks=programme.cadence_weeks,
            send_at=item.send_at,
            expires_at=item.expires_at,
            now=now,
        )
        stored += 1
    return stored


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
