"""Anonymous answers and figures: ballots, released answers, snapshots, tallies."""

from datetime import date
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.states import (
    AnswerSide,
    ClosingChoice,
    MetAnswer,
    RequestKind,
    TallyKind,
)
from bot.store.models.base import Base, Choice


class Ballot(Base):
    """An answer waiting for its period to close: no request, person, pair, time or order.

    The transaction that casts one also marks its request answered, so until the next tick
    mixes its block (new ids, new random order, rewritten by the tick's own transaction) the
    row's place and PostgreSQL's `xmin` could still line up with that request. Moved to
    `checkin_answers` / `closing_answers` in random order once its block is released (see
    `bot.domain.anonymity`).
    """

    __tablename__ = "ballots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RequestKind] = mapped_column(Choice(RequestKind))
    period: Mapped[date]  # the first day of the programme period it was given in
    side: Mapped[AnswerSide] = mapped_column(Choice(AnswerSide, 8))
    met: Mapped[MetAnswer | None] = mapped_column(Choice(MetAnswer))  # check-ins
    choice: Mapped[ClosingChoice | None] = mapped_column(Choice(ClosingChoice))  # closing surveys
    usefulness: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(String(1000))
    # Cast since its block was last mixed (`bot.store.ballots.mix`).
    fresh: Mapped[bool] = mapped_column(server_default=false())


class CheckinAnswer(Base):
    """One anonymised check-in answer: a random id, no person, pair, Slack id or fine time."""

    __tablename__ = "checkin_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    side: Mapped[AnswerSide] = mapped_column(Choice(AnswerSide, 8))
    week: Mapped[date]  # the Monday of the week answered, nothing finer
    met: Mapped[MetAnswer] = mapped_column(Choice(MetAnswer))
    usefulness: Mapped[int | None]  # 1-5
    comment: Mapped[str | None] = mapped_column(String(1000))


class ClosingAnswer(Base):
    """One anonymised end-of-round answer: what the person chose next and how it went."""

    __tablename__ = "closing_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    side: Mapped[AnswerSide] = mapped_column(Choice(AnswerSide, 8))
    week: Mapped[date]
    choice: Mapped[ClosingChoice] = mapped_column(Choice(ClosingChoice))
    usefulness: Mapped[int | None]  # 1-5, the round as a whole
    comment: Mapped[str | None] = mapped_column(String(1000))


class AnswerRelease(Base):
    """One released block of closed periods: how many people its answers rest on. Never changed."""

    __tablename__ = "answer_releases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RequestKind] = mapped_column(Choice(RequestKind))
    starts_on: Mapped[date]  # the answers' `week`
    ends_on: Mapped[date]  # the first day after the block
    people: Mapped[int]  # distinct people who answered in it
    most_per_person: Mapped[int]  # the most answers one of them gave in it
    answers: Mapped[int]
    unanswered: Mapped[int]  # requests asked in it that were not answered
    comments: Mapped[int]  # answers with a comment


class StatSnapshot(Base):
    """A people figure (sign-ups, stages, pairs, consent, leavers) frozen at a period close."""

    __tablename__ = "stat_snapshots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    figure: Mapped[str] = mapped_column(String(24))
    taken_on: Mapped[date]
    cells: Mapped[dict[str, Any]]


class Tally(Base):
    """That someone left or paused, counted anonymously: no person, only programme and week."""

    __tablename__ = "tallies"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TallyKind] = mapped_column(Choice(TallyKind))
    week: Mapped[date]  # the Monday of the week, nothing finer


# Stats group a programme's check-in answers by week, meeting and score: with this index
# PostgreSQL reads the answer from the index alone (see benchmarks/stats.py).
Index(
    "ix_checkin_answers_stats",
    CheckinAnswer.team_id,
    CheckinAnswer.programme_id,
    CheckinAnswer.week,
    CheckinAnswer.met,
    CheckinAnswer.usefulness,
)
