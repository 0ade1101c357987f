"""What stats read: released blocks of answers, shown snapshots, and the present for snapshots.

Stats read only released data: each query is a GROUP BY over one programme's rows.
"""

import secrets
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.stat_snapshots import PeopleNow
from bot.domain.states import MeetingStatus, RequestKind
from bot.domain.stats import NO_SCORE, Block, Counts
from bot.store import ballots, ghosts, tallies
from bot.store.models import (
    AnswerRelease,
    CheckinAnswer,
    ClosingAnswer,
    Meeting,
    Pair,
    PairPrompt,
    Participant,
    Programme,
    Proposal,
)

COMMENT_SAMPLE = 10  # free-text answers drawn at random for the owner to read


def counts(*, session: Session, programme: Programme) -> Counts:
    """Everything released for a programme, counted by the database."""
    team_id, programme_id = programme.team_id, programme.id
    released = ballots.releases(session=session, programme_id=programme_id)
    topics = (
        select(PairPrompt.topic, func.count())
        .join(Pair, Pair.id == PairPrompt.pair_id)
        .where(Pair.team_id == team_id, Pair.programme_id == programme_id)
        .group_by(PairPrompt.topic)
    )
    shown = ballots.snapshots(session=session, programme_id=programme_id)
    return Counts(
        name=programme.name,
        pilot=programme.pilot,
        minimum_group=programme.min_group_size,
        role_words=(programme.share_word, programme.learn_word),
        checkins=_checkin_blocks(
            session, programme, [r for r in released if r.kind == RequestKind.CHECKIN]
        ),
        closings=_closing_blocks(
            session, programme, [r for r in released if r.kind == RequestKind.CLOSING]
        ),
        snapshots={
            figure: [(s.taken_on, s.cells) for s in found] for figure, found in shown.items()
        },
        waiting=ballots.waiting(session=session, programme_id=programme_id),
        topics=dict(session.execute(topics).all()),
        comment_sample=(
            _comment_sample(session=session, team_id=team_id, programme_id=programme_id)
            if any(r.comments for r in released)
            else ()
        ),
    )


def _block(
    release: AnswerRelease, cells: dict[str, dict[object, int]], score: tuple[int, int]
) -> Block:
    return Block(
        starts_on=release.starts_on,
        ends_on=release.ends_on,
        people=release.people,
        most_per_person=release.most_per_person,
        answers=release.answers,
        unanswered=release.unanswered,
        comments=release.comments,
        cells=cells,
        score_sum=score[0],
        scored=score[1],
    )


def _checkin_blocks(
    session: Session, programme: Programme, released: list[AnswerRelease]
) -> list[Block]:
    """Each released check-in block's meeting and usefulness counts, in one pass."""
    if not released:
        return []
    query = (
        select(CheckinAnswer.week, CheckinAnswer.met, CheckinAnswer.usefulness, func.count())
        .where(
            CheckinAnswer.team_id == programme.team_id,
            CheckinAnswer.programme_id == programme.id,
        )
        .group_by(CheckinAnswer.week, CheckinAnswer.met, CheckinAnswer.usefulness)
    )
    met: dict[date, Counter[object]] = {}
    scores: dict[date, Counter[object]] = {}
    sums: Counter[date] = Counter()
    scored: Counter[date] = Counter()
    for week, did_meet, score, n in session.execute(query):
        met.setdefault(week, Counter())[did_meet] += n
        scores.setdefault(week, Counter())[NO_SCORE if score is None else score] += n
        sums[week] += (score or 0) * n
        scored[week] += n if score is not None else 0
    return [
        _block(
            r,
            {
                "met": dict(met.get(r.starts_on, {})),
                "usefulness": dict(scores.get(r.starts_on, {})),
            },
            (sums[r.starts_on], scored[r.starts_on]),
        )
        for r in released
    ]


def _closing_blocks(
    session: Session, programme: Programme, released: list[AnswerRelease]
) -> list[Block]:
    """Each released closing-survey block's choices."""
    if not released:
        return []
    query = (
        select(ClosingAnswer.week, ClosingAnswer.choice, func.count())
        .where(
            ClosingAnswer.team_id == programme.team_id,
            ClosingAnswer.programme_id == programme.id,
        )
        .group_by(ClosingAnswer.week, ClosingAnswer.choice)
    )
    choices: dict[date, Counter[object]] = {}
    for week, choice, n in session.execute(query):
        choices.setdefault(week, Counter())[choice] += n
    return [_block(r, {"choice": dict(choices.get(r.starts_on, {}))}, (0, 0)) for r in released]


def people_now(*, session: Session, programme: Programme) -> PeopleNow:
    """The present state of a programme, for the snapshot taken at a period close."""
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
    proposals = (
        select(Proposal.status, func.count())
        .where(Proposal.team_id == team_id, Proposal.programme_id == programme_id)
        .group_by(Proposal.status)
    )
    active = (Pair.team_id == team_id, Pair.programme_id == programme_id, Pair.status == "active")
    met = (
        select(func.count(func.distinct(Meeting.pair_id)))
        .join(Pair, Pair.id == Meeting.pair_id)
        .where(Meeting.status == MeetingStatus.HELD)  # a planned meeting is not one held
    )
    return PeopleNow(
        sides=dict(sides),
        stages=dict(stages),
        paused_now=paused_now,
        proposals=dict(session.execute(proposals).all()),
        active_pairs=session.scalar(select(func.count()).where(*active)) or 0,
        pairs_met=session.scalar(met.where(*active)) or 0,
        events=tallies.by_kind(session=session, team_id=team_id, programme_id=programme_id),
        pairs_at_risk=ghosts.pairs_at_risk(
            session=session, team_id=team_id, programme_id=programme_id
        ),
    )


def _comment_sample(*, session: Session, team_id: str, programme_id: int) -> list[str]:
    """A random handful of released free-text answers (check-ins and closing), nothing else.

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
