"""Keeping pairs going: scheduled prompts, nudges and check-ins, decided only for the pairs whose
next check has come."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session, sessionmaker

from bot.domain import schedule
from bot.domain.next_check import next_check
from bot.domain.prompt_files import default_library
from bot.domain.prompts import choose_prompt
from bot.flows import find_time
from bot.flows.notify import Notifier
from bot.store import keep_going as store
from bot.store import meetings as meetings_store
from bot.store import next_checks, outbox_keys, programmes
from bot.store.db import one_snapshot

NOT_ASKED = (-1, -1)
NOT_PROMPTED: tuple[int, datetime | None] = (-1, None)
CHUNK = 200  # due items per transaction: a big first tick commits as it goes
LATER_CHUNK = 2000  # next checks per transaction


@dataclass(frozen=True)
class Report:
    """What one pass stored to send."""

    prompts: int = 0
    nudges: int = 0
    checkins: int = 0


class Decision(NamedTuple):
    """What is due now, and when to decide next for the pairs with nothing due: (pair, next
    check as read, next check)."""

    due: schedule.Due
    later: list[tuple[int, datetime | None, datetime]]


def decide(*, session: Session, now: datetime, hour: int) -> Decision:
    """Load the pairs whose next check has come in a few set-based queries and decide what is
    due now, and when each of the others needs a look next."""
    # The history loads pick their pairs by the same condition as the pairs themselves: one
    # snapshot, so another tick keeping next checks meanwhile can't leave a pair without its
    # meetings (its nudge would count from the start).
    one_snapshot(session)
    pairs = store.pairs_to_check(session=session, now=now)
    if not pairs:
        return Decision(schedule.Due(), [])
    checked = next_checks.to_check(now)
    meetings = meetings_store.last_meetings(session=session, pairs=checked)
    prompted = store.last_prompts(session=session, pairs=checked)
    asked = store.last_checkin_periods(session=session, pairs=checked)
    # A pair that carried on keeps its periods counting: its round is as many rounds longer.
    continued = store.continued_rounds(session=session, pairs=checked)
    rhythms = {
        programme_id: (timedelta(weeks=cadence), timedelta(weeks=length))
        for programme_id, (cadence, length) in store.rhythms(session=session).items()
    }
    states = []
    seen = {}
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
        next_check_at,
    ) in pairs:
        cadence, length = rhythms[programme_id]
        mentor_asked, mentee_asked = asked.get(pair_id, NOT_ASKED)
        last_period, last_prompt_at = prompted.get(pair_id, NOT_PROMPTED)
        seen[pair_id] = next_check_at
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
                last_period,
                mentor_asked,
                mentee_asked,
                meetings.get(pair_id),
                _later(mentor_resumed_at, mentee_resumed_at),
                last_prompt_at,
            )
        )
    due = schedule.decide(states, now, hour=hour)
    # A nudge leaves no record but its message, so the outbox says which were already stored.
    sent = store.stored_keys(
        session=session,
        keys=[(n.team_id, outbox_keys.nudge(n.pair_id, n.since)) for n in due.nudges],
    )
    nudged = {
        n.pair_id for n in due.nudges if (n.team_id, outbox_keys.nudge(n.pair_id, n.since)) in sent
    }
    due.nudges = [n for n in due.nudges if n.pair_id not in nudged]
    # A pair with something due is decided again at the next tick, after it was stored.
    busy = {d.pair_id for d in due.prompts} | {d.pair_id for d in due.nudges}
    busy |= {d.pair_id for d in due.checkins}
    later = [
        (s.pair_id, seen[s.pair_id], next_check(s, now, hour=hour, nudged=s.pair_id in nudged))
        for s in states
        if s.pair_id not in busy
    ]
    return Decision(due, later)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def run(sessions: sessionmaker[Session], *, now: datetime, hour: int, notifier: Notifier) -> Report:
    """Decide what is due and store each message once (safe with two schedulers at once), and
    when to look at every other pair again."""
    with sessions() as session:
        due, later = decide(session=session, now=now, hour=hour)
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
    for start in range(0, len(later), LATER_CHUNK):
        with sessions.begin() as session:
            next_checks.store(session=session, checks=later[start : start + LATER_CHUNK])
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
