"""Closing a programme period for stats: release answer blocks of k people, freeze snapshots.

One pass a tick over every programme, acting only when a period has closed since the last
pass, all in the caller's single transaction (see `bot.domain.anonymity` for the flow).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain import anonymity, stat_snapshots
from bot.domain.states import AnswerSide, RequestKind
from bot.store import ballots
from bot.store import round_end as surveys
from bot.store import stats as stats_store
from bot.store.models import AnswerRelease, Ballot, Programme

KINDS = tuple(RequestKind)


def anchor(programme: Programme) -> date:
    """The day the programme's periods are counted from."""
    return programme.created_at.date()


def period_of(programme: Programme, now: datetime) -> date:
    """The first day of the programme period `now` is in."""
    return anonymity.period_start(anchor(programme), programme.cadence_weeks, now.date())


def cast(
    *,
    session: Session,
    programme: Programme,
    kind: str,
    side: str,
    met: str | None = None,
    choice: str | None = None,
    usefulness: int | None,
    comment: str | None,
    now: datetime,
) -> date:
    """Put an answer in the ballot box of the open period; that period's first day."""
    period = period_of(programme, now)
    ballots.add(
        session=session,
        ballot=Ballot(
            id=ballots.new_id(),
            team_id=programme.team_id,
            programme_id=programme.id,
            kind=kind,
            period=period,
            side=side,
            met=met,
            choice=choice,
            usefulness=usefulness,
            comment=comment,
            fresh=True,
        ),
    )
    return period


@dataclass(frozen=True)
class Closed:
    """What one pass released."""

    programmes: int = 0
    blocks: int = 0
    answers: int = 0
    snapshots: int = 0


def close_periods(*, session: Session, now: datetime) -> Closed:
    """For every programme whose period closed since the last pass: release what may be."""
    done = blocks = answers = shots = 0
    for programme in surveys.every_programme(session=session):
        current = period_of(programme, now)
        if programme.closed_through is not None and programme.closed_through >= current:
            continue
        minimum = anonymity.minimum_group(programme.min_group_size)
        for kind in KINDS:
            moved = _release(session=session, programme=programme, kind=kind, end=current)
            blocks += moved is not None
            answers += moved or 0
        shots += _snapshot(session=session, programme=programme, minimum=minimum, day=current)
        programme.closed_through = current
        done += 1
    return Closed(programmes=done, blocks=blocks, answers=answers, snapshots=shots)


def _release(*, session: Session, programme: Programme, kind: str, end: date) -> int | None:
    """Release the closed periods not yet released, if k people answered in them."""
    minimum = anonymity.minimum_group(programme.min_group_size)
    start = ballots.release_end(session=session, programme_id=programme.id, kind=kind)
    first = anchor(programme)
    start = start or anonymity.period_start(first, programme.cadence_weeks, first)
    if start >= end:
        return None
    people, most, by_side = ballots.people_answering(
        session=session, programme_id=programme.id, kind=kind, start=start, end=end
    )
    if not anonymity.block_ready(people, minimum=minimum):
        return None  # waits, and merges with the next period
    keep_side = all(
        by_side.get(side, 0) >= minimum for side in (AnswerSide.SHARE, AnswerSide.LEARN)
    )
    asked_unanswered = ballots.unanswered(
        session=session, programme_id=programme.id, kind=kind, start=start, end=end
    )
    comments = ballots.comments_waiting(
        session=session, programme_id=programme.id, kind=kind, end=end
    )
    moved = ballots.move(
        session=session,
        team_id=programme.team_id,
        programme_id=programme.id,
        kind=kind,
        end=end,
        starts_on=start,
        keep_side=keep_side,
    )
    ballots.record_release(
        session=session,
        release=AnswerRelease(
            id=ballots.new_id(),
            team_id=programme.team_id,
            programme_id=programme.id,
            kind=kind,
            starts_on=start,
            ends_on=end,
            people=people,
            most_per_person=max(1, most),
            answers=moved,
            unanswered=asked_unanswered,
            comments=comments,
        ),
    )
    return moved


def _snapshot(*, session: Session, programme: Programme, minimum: int, day: date) -> int:
    """Freeze each people figure that may be shown now; how many were."""
    now = stats_store.people_now(session=session, programme=programme)
    earlier = ballots.snapshots(session=session, programme_id=programme.id)
    taken = 0
    for figure, cells in stat_snapshots.snapshot(now, minimum=minimum).items():
        before = [stat_snapshots.compared(s.cells) for s in earlier.get(figure, [])]
        needed = stat_snapshots.change_needed(figure, minimum)
        if anonymity.may_release(stat_snapshots.compared(cells), before, minimum=needed):
            ballots.add_snapshot(
                session=session,
                team_id=programme.team_id,
                programme_id=programme.id,
                figure=figure,
                taken_on=day,
                cells=cells,
            )
            taken += 1
    return taken
