"""Matching rounds: proposals, pairs, the one live engagement per person, past pairs."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.matching.model import Fit
from bot.domain.states import (
    ConsentAnswer,
    ControlKind,
    PairStatus,
    ProposalStatus,
    RoundStatus,
)
from bot.store.models.base import Base, Choice


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


class RoundControl(Base):
    """An owner's control over a previewed round: keep a pair (``first`` shares, ``second``
    learns), or never pair two people; every re-run of the preview honours them all."""

    __tablename__ = "round_controls"
    __table_args__ = (UniqueConstraint("round_id", "kind", "first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ControlKind] = mapped_column(Choice(ControlKind))
    first_id: Mapped[str] = mapped_column(String(32), index=True)
    second_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]


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
    fit: Mapped[Fit | None] = mapped_column(Choice(Fit))  # None: proposed before fit labels
    kept: Mapped[bool] = mapped_column(server_default=false())  # the owner kept this pair
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
    __table_args__ = (Index("ix_pairs_next_check", "status", "next_check_at"),)

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
    # When the scheduler next decides for this pair (none: at the next tick); see
    # `bot.domain.next_check`.
    next_check_at: Mapped[datetime | None]


class Engagement(Base):
    """A person's one live commitment in a programme: a pending proposal or an active pair.

    One row per person and place, unique, so the database itself refuses a second proposal or
    pair for someone, whatever two web processes decide at the same moment. Everyone has one
    place (0), except a learner of a programme with several partners per person, who takes
    places 0, 1, ... one per partner.
    """

    __tablename__ = "engagements"
    __table_args__ = (
        UniqueConstraint("team_id", "programme_id", "user_id", "place"),
        CheckConstraint("(proposal_id IS NULL) <> (pair_id IS NULL)", name="one_of"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    place: Mapped[int] = mapped_column(server_default="0")
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
