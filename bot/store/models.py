"""Typed SQLAlchemy models; every row carries its Slack team id, so workspaces can share a DB."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain.states import (
    AnswerSide,
    ClosingChoice,
    ConsentAnswer,
    CrossDepartment,
    Kind,
    MetAnswer,
    OutboxStatus,
    PairStatus,
    ProposalStatus,
    RequestKind,
    RoundStatus,
    Side,
    Style,
    TallyKind,
)
from bot.domain.states import (
    Meeting as MeetingMode,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        return None if value is None else value.replace(tzinfo=UTC)


E = TypeVar("E", bound=StrEnum)


class Choice(TypeDecorator[E]):
    """A StrEnum stored as its string: rows read back as members, and a stray value fails."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:  # noqa: ARG002
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:  # noqa: ARG002
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Owner(Base):
    """A programme owner added in Slack (owners named in PROGRAMME_OWNERS need no row)."""

    __tablename__ = "owners"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """One outgoing Slack call, stored with the state change that caused it and sent once by key."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    # The person the message is for, so their pending messages go when they leave.
    user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    method: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[OutboxStatus] = mapped_column(Choice(OutboxStatus), index=True)
    not_before: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # When a sender took it: a claim older than the lease is a dead sender's, and is taken back.
    claimed_at: Mapped[datetime | None]


class Workspace(Base):
    """A Slack workspace using Upward, with the secret that keys its pseudonymous references."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # Keys the HMAC of people's ids in reporting lines, so a manager who leaves is deleted
    # while the "never pair across a reporting line" rule still knows them if they rejoin.
    pepper: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Programme(Base):
    """A mentoring programme (a cohort): how it runs and what its roles are called."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[Kind] = mapped_column(Choice(Kind))
    share_word: Mapped[str] = mapped_column(String(24))
    learn_word: Mapped[str] = mapped_column(String(24))
    signup_open: Mapped[bool]
    signup_deadline: Mapped[date | None]
    pilot: Mapped[bool]
    cadence_weeks: Mapped[int]
    round_weeks: Mapped[int]
    cross_department: Mapped[CrossDepartment] = mapped_column(Choice(CrossDepartment))
    min_group_size: Mapped[int]
    consent_expiry_days: Mapped[int]
    # The first day of the programme period not yet closed for stats (None: none closed yet).
    closed_through: Mapped[date | None]
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class Participant(Base):
    """A person in a programme, with their intake-survey answers. Deleted when they leave."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    side: Mapped[Side] = mapped_column(Choice(Side, 8))
    stage: Mapped[int]
    department: Mapped[str] = mapped_column(String(80))
    # Shown back in the survey; cleared when the manager leaves (manager_ref stays).
    manager_id: Mapped[str | None] = mapped_column(String(32), index=True)
    manager_ref: Mapped[str | None] = mapped_column(String(64))
    shares: Mapped[list[str]] = mapped_column(JSON)
    share_other: Mapped[str] = mapped_column(String(300))
    learns: Mapped[list[str]] = mapped_column(JSON)
    learn_other: Mapped[str] = mapped_column(String(300))
    style: Mapped[Style] = mapped_column(Choice(Style))
    meeting: Mapped[MeetingMode] = mapped_column(Choice(MeetingMode))
    meetings_per_month: Mapped[int]
    goal: Mapped[str] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64))
    utc_offset_minutes: Mapped[int]
    paused: Mapped[bool]
    # Left over in the last round: first in line (a bonus in matching) next time.
    waited: Mapped[bool] = mapped_column(default=False)
    ground_rules_version: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Round(Base):
    """A matching round of a programme: previewed by an owner, then confirmed."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    status: Mapped[RoundStatus] = mapped_column(Choice(RoundStatus))
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class Proposal(Base):
    """A proposed pair waiting for both people's private consent."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    mentor_id: Mapped[str] = mapped_column(String(32), index=True)
    mentee_id: Mapped[str] = mapped_column(String(32), index=True)
    score: Mapped[float]
    # Structured reasons from the matching engine, rendered for each viewer when sent.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[ProposalStatus] = mapped_column(Choice(ProposalStatus), index=True)
    mentor_answer: Mapped[ConsentAnswer | None] = mapped_column(Choice(ConsentAnswer))
    mentee_answer: Mapped[ConsentAnswer | None] = mapped_column(Choice(ConsentAnswer))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class Pair(Base):
    """Two people who both accepted: they meet, get prompts and check-ins."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    mentor_id: Mapped[str] = mapped_column(String(32), index=True)
    mentee_id: Mapped[str] = mapped_column(String(32), index=True)
    channel_id: Mapped[str | None] = mapped_column(String(32))  # the pair's group DM
    status: Mapped[PairStatus] = mapped_column(Choice(PairStatus), index=True)
    goals: Mapped[list[str]] = mapped_column(JSON)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Engagement(Base):
    """A person's one live commitment in a programme: a pending proposal or an active pair.

    One row per person, unique, so the database itself refuses a second proposal or pair for
    someone, whatever two web processes decide at the same moment.
    """

    __tablename__ = "engagements"
    __table_args__ = (
        UniqueConstraint("team_id", "programme_id", "user_id"),
        CheckConstraint("(proposal_id IS NULL) <> (pair_id IS NULL)", name="one_of"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairs.id", ondelete="CASCADE"), index=True
    )


class PastPair(Base):
    """Two people who must not be proposed again, by pseudonym, so it outlives leaving."""

    __tablename__ = "past_pairs"
    __table_args__ = (UniqueConstraint("team_id", "first_ref", "second_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    first_ref: Mapped[str] = mapped_column(String(64))  # the smaller of the two refs
    second_ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Meeting(Base):
    """A day on which a pair says it met (*We met* or `/mentoring met`); one row a day."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("pair_id", "met_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    met_on: Mapped[date]
    created_at: Mapped[datetime]


class PairPrompt(Base):
    """A conversation prompt chosen for a pair in one cadence period (the rotation's history)."""

    __tablename__ = "pair_prompts"
    __table_args__ = (UniqueConstraint("pair_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    period: Mapped[int]
    prompt_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]


class CheckinRequest(Base):
    """That a person was asked a check-in (or the closing survey) and whether they answered.

    Needed for reminders and response rates; deleted when the person leaves. What they answered
    is in `checkin_answers` / `closing_answers`, which hold nothing that links back here.
    """

    __tablename__ = "checkin_requests"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "pair_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(Choice(RequestKind))
    period: Mapped[int]
    asked_at: Mapped[datetime]
    answered: Mapped[bool] = mapped_column(default=False)
    # The first day of the programme period the answer was given in: counts people per
    # period without saying which answer was theirs.
    answered_in: Mapped[date | None]


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


class Ballot(Base):
    """An answer waiting for its period to close: no request, person, pair, time or order.

    Moved to `checkin_answers` / `closing_answers` in random order once its block is released
    (see `bot.domain.anonymity`).
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


class AuditEntry(Base):
    """Who did what, when: every stats request (allowed or refused) and every admin change."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_id: Mapped[str] = mapped_column(String(32), index=True)  # GONE once they leave
    action: Mapped[str] = mapped_column(String(40))
    # The person the change was about (an owner added or removed); GONE once they leave.
    subject_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(String(200))  # no Slack ids here: they are not erasable
    created_at: Mapped[datetime] = mapped_column(index=True)


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


class SeenEvent(Base):
    """An Events API event already handled, so Slack's retries of it have no second effect."""

    __tablename__ = "seen_events"
    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(index=True)


class SeenSignature(Base):
    """A request signature already accepted, so a byte-for-byte replay inside the window fails."""

    __tablename__ = "seen_signatures"
    __table_args__ = (UniqueConstraint("signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(80))
    seen_at: Mapped[datetime] = mapped_column(index=True)
