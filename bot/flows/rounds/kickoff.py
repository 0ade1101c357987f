"""Kick-off: a new pair's group DM, its introduction, and the goals only the pair sees."""

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.domain.text import clean
from bot.flows import find_time
from bot.flows.errors import Refusal
from bot.flows.notify import GroupDMs, Notifier
from bot.store import programmes, rounds
from bot.store.models import Pair

log = logging.getLogger(__name__)

MAX_GOALS = 3
MAX_GOAL_LENGTH = 200


def kick_off(
    *, session: Session, pair: Pair, channel_id: str, now: datetime, notifier: Notifier
) -> None:
    """Record the pair's group DM and introduce them there, with suggested first-meeting times."""
    pair.channel_id = channel_id
    pair.next_check_at = now  # its prompts and nudges can start: decide for it at the next tick
    programme = programmes.get(
        session=session, team_id=pair.team_id, programme_id=pair.programme_id
    )
    assert programme is not None
    hours = find_time.pair_hours(session=session, pair=pair)
    times = find_time.suggested(pair=pair, programme=programme, hours=hours, period=0, now=now)
    notifier.kickoff(session=session, pair=pair, programme=programme, now=now, times=times)


def start_pairs(
    sessions: sessionmaker[Session], *, group_dms: GroupDMs, now: datetime, notifier: Notifier
) -> int:
    """Open a group DM for every new pair and store its kick-off; safe to run twice."""
    with sessions() as session:
        waiting = [
            (p.id, p.team_id, p.mentor_id, p.mentee_id)
            for p in rounds.pairs_without_channel(session=session)
        ]
    started = 0
    for pair_id, team_id, mentor, mentee in waiting:
        # Outside any transaction: Slack may be slow, and returns the same group DM for the
        # same people, so a retry is harmless.
        channel = group_dms.open_group(team_id=team_id, users=[mentor, mentee])
        if channel is None:
            log.warning("could not open a pair's group DM: pair=%d", pair_id)
            continue
        with sessions.begin() as session:
            pair = rounds.get_pair(session=session, team_id=team_id, pair_id=pair_id)
            if pair is not None and pair.channel_id is None:
                kick_off(session=session, pair=pair, channel_id=channel, now=now, notifier=notifier)
                started += 1
    return started


def pair_for_member(*, session: Session, team_id: str, pair_id: int, user_id: str) -> Pair:
    """A pair, for one of its two members only."""
    pair = rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if pair is None:
        raise Refusal("Only the two people in an active pair can set its goals.")
    return pair


def set_goals(
    *,
    session: Session,
    team_id: str,
    pair_id: int,
    user_id: str,
    goals: Sequence[str],
    now: datetime,
    notifier: Notifier,
) -> Pair:
    """Store a pair's 1–3 shared goals (only the two of them can)."""
    pair = pair_for_member(session=session, team_id=team_id, pair_id=pair_id, user_id=user_id)
    cleaned = [clean(g) for g in goals if clean(g)]
    if not cleaned:
        raise Refusal("Write at least one goal.", field="goal_1")
    too_long = [n for n, goal in enumerate(goals, start=1) if len(clean(goal)) > MAX_GOAL_LENGTH]
    if len(cleaned) > MAX_GOALS or too_long:
        raise Refusal(
            f"Up to {MAX_GOALS} goals, each under {MAX_GOAL_LENGTH} characters.",
            field=f"goal_{too_long[0]}" if too_long else None,
        )
    if cleaned != pair.goals:
        pair.goals = cleaned
        notifier.goals_set(session=session, pair=pair, set_by=user_id, now=now)
    return pair
