"""Aggregate counts for a programme's stats, each a single GROUP BY query (no per-row loops)."""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Float, func, select
from sqlalchemy.orm import Session

from bot.domain.anonymity import FREE_TEXT_MINIMUM
from bot.domain.states import PairStatus, RequestKind
from bot.domain.stats import Counts
from bot.store import tallies
from bot.store.models import (
    CheckinAnswer,
    CheckinRequest,
    ClosingAnswer,
    Meeting,
    Pair,
    PairPrompt,
    Participant,
    Programme,
    Proposal,
)

COMMENT_SAMPLE = 10  # free-text answers drawn at random for the owner to read
SECONDS_PER_WEEK = 7 * 24 * 3600


def _epoch(session: Session, column: Any) -> ColumnElement[float]:
    """Seconds since 1970 of a stored (naive UTC) timestamp, in the dialect's own arithmetic."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return func.extract("epoch", column).cast(Float)


def _day(column: Any) -> ColumnElement[date]:
    """The calendar day of a stored timestamp (SQLite and PostgreSQL both have date())."""
    return func.date(column, type_=Date)


def counts(*, session: Session, programme: Programme, now: datetime) -> Counts:
    """Everything the figures need, counted by the database."""
    team_id, programme_id = programme.team_id, programme.id
    sides: Counter[str] = Counter()
    stages: Counter[int] = Counter()
    paused_now = 0
    people = (
        select(Participant.side, Participant.stage, Participant.paused, func.count())
        .where(Participant.team_id == team_id, Participant.programme_id == programme_id)
        .group_by(Participant.side, Participant.stage, Participant.paused)
    )
    for side, stage, paused, n in session.execute(people):
        sides[side] += n
        stages[stage] += n
        paused_now += n if paused else 0
    signups = (
        select(_day(Participant.created_at), func.count())
        .where(Participant.team_id == team_id, Participant.programme_id == programme_id)
        .group_by(_day(Participant.created_at))
    )
    proposals = (
        select(Proposal.status, func.count())
        .where(Proposal.team_id == team_id, Proposal.programme_id == programme_id)
        .group_by(Proposal.status)
    )
    pairs, periods, active = _pairs(session=session, programme=programme, now=now)
    meetings = (
        select(Meeting.met_on, func.count())
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(Pair.team_id == team_id, Pair.programme_id == programme_id)
        .group_by(Meeting.met_on)
    )
    topics = (
        select(PairPrompt.topic, func.count())
        .join(Pair, Pair.id == PairPrompt.pair_id)
        .where(Pair.team_id == team_id, Pair.programme_id == programme_id)
        .group_by(PairPrompt.topic)
    )
    requests = (
        select(CheckinRequest.answered, func.count())
        .where(
            CheckinRequest.team_id == team_id,
            CheckinRequest.programme_id == programme_id,
            CheckinRequest.kind == RequestKind.CHECKIN,
        )
        .group_by(CheckinRequest.answered)
    )
    asked = dict(session.execute(requests).all())
    answers = _checkin_answers(session=session, team_id=team_id, programme_id=programme_id)
    comments_given = _comments_given(session=session, team_id=team_id, programme_id=programme_id)
    meetings_by_day = dict(session.execute(meetings).all())
    return Counts(
        name=programme.name,
        pilot=programme.pilot,
        minimum_group=programme.min_group_size,
        role_words=(programme.share_word, programme.learn_word),
        sides=dict(sides),
        stages=dict(stages),
        paused_now=paused_now,
        proposals=dict(session.execute(proposals).all()),
        active_pairs=active,
        pairs_ever=pairs,
        pair_periods=periods,
        meetings=sum(meetings_by_day.values()),
        checkins_asked=sum(asked.values()),
        checkins_answered=asked.get(True, 0),
        met=answers.met,
        usefulness=answers.usefulness,
        usefulness_sum=answers.usefulness_sum,
        choices=_closing_choices(session=session, team_id=team_id, programme_id=programme_id),
        topics=dict(session.execute(topics).all()),
        events=tallies.by_kind(session=session, team_id=team_id, programme_id=programme_id),
        comments_given=comments_given,
        comment_sample=(
            _comment_sample(session=session, team_id=team_id, programme_id=programme_id)
            if comments_given >= FREE_TEXT_MINIMUM
            else ()
        ),
        signups_by_day=dict(session.execute(signups).all()),
        checkins_by_week=answers.weeks,
        meetings_by_day=meetings_by_day,
    )


def _pairs(*, session: Session, programme: Programme, now: datetime) -> tuple[int, float, int]:
    """Pairs ever formed, cadence periods they spent together, and pairs active now."""
    started = _epoch(session, Pair.started_at)
    ended = _epoch(session, Pair.ended_at)
    query = select(
        func.count(),
        func.count(Pair.ended_at),
        func.coalesce(func.sum(started), 0.0),
        func.coalesce(func.sum(ended), 0.0),
        func.count().filter(Pair.status == PairStatus.ACTIVE),
    ).where(Pair.team_id == programme.team_id, Pair.programme_id == programme.id)
    total, finished, start_sum, end_sum, active = session.execute(query).one()
    # Pairs still together count up to now.
    seconds = float(end_sum) + (total - finished) * now.timestamp() - float(start_sum)
    periods = max(0.0, seconds) / (programme.cadence_weeks * SECONDS_PER_WEEK)
    return int(total), periods, int(active)


@dataclass(frozen=True)
class _Answers:
    weeks: dict[date, int]
    met: dict[str, int]
    usefulness: dict[int | None, int]
    usefulness_sum: int


def _checkin_answers(*, session: Session, team_id: str, programme_id: int) -> _Answers:
    """Check-in answers by week, meeting and usefulness, in one pass over the table."""
    query = (
        select(CheckinAnswer.week, CheckinAnswer.met, CheckinAnswer.usefulness, func.count())
        .where(CheckinAnswer.team_id == team_id, CheckinAnswer.programme_id == programme_id)
        .group_by(CheckinAnswer.week, CheckinAnswer.met, CheckinAnswer.usefulness)
    )
    weeks: Counter[date] = Counter()
    met: Counter[str] = Counter()
    usefulness: Counter[int | None] = Counter()
    total_score = 0
    for week, did_meet, score, n in session.execute(query):
        weeks[week] += n
        met[did_meet] += n
        usefulness[score] += n
        total_score += (score or 0) * n
    return _Answers(dict(weeks), dict(met), dict(usefulness), total_score)


def _closing_choices(*, session: Session, team_id: str, programme_id: int) -> dict[str, int]:
    """End-of-round choices."""
    query = (
        select(ClosingAnswer.choice, func.count())
        .where(ClosingAnswer.team_id == team_id, ClosingAnswer.programme_id == programme_id)
        .group_by(ClosingAnswer.choice)
    )
    return dict(session.execute(query).all())


def _comments_given(*, session: Session, team_id: str, programme_id: int) -> int:
    """How many free-text answers there are, counted only up to the number that allows showing.

    Stopping there lets the database stop reading early instead of counting every answer.
    """
    given = 0
    for model in (CheckinAnswer, ClosingAnswer):
        some = (
            select(model.id)
            .where(
                model.team_id == team_id,
                model.programme_id == programme_id,
                model.comment.is_not(None),
                model.comment != "",
            )
            .limit(FREE_TEXT_MINIMUM)
            .subquery()
        )
        given += session.scalar(select(func.count()).select_from(some)) or 0
    return min(given, FREE_TEXT_MINIMUM)


def _comment_sample(*, session: Session, team_id: str, programme_id: int) -> list[str]:
    """A random handful of free-text answers (check-ins and closing), without anything else.

    Answer ids are random, so the answers that follow a random id in id order are a random
    sample; reading them walks the primary key instead of sorting the whole table by random().
    """
    sample: list[str] = []
    start = secrets.token_hex(16)
    for model in (CheckinAnswer, ClosingAnswer):
        base = select(model.comment).where(
            model.team_id == team_id,
            model.programme_id == programme_id,
            model.comment.is_not(None),
        )
        after = session.scalars(
            base.where(model.id >= start).order_by(model.id).limit(COMMENT_SAMPLE)
        )
        found = [c for c in after if c]
        if len(found) < COMMENT_SAMPLE:  # wrap around to the start of the id order
            before = base.where(model.id < start).order_by(model.id)
            found += [c for c in session.scalars(before.limit(COMMENT_SAMPLE - len(found))) if c]
        sample += found
    return sample
