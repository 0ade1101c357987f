"""Keeping pairs going: meetings, the prompts posted, check-in and survey requests."""

from datetime import date, datetime

from sqlalchemy import (
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.states import (
    MeetingStatus,
    RequestKind,
)
from bot.store.models.base import Base, Choice


class Meeting(Base):
    """A day on which a pair met or plans to meet; one row a day.

    *We met*, `/mentoring met` and a check-in's yes store it held; a picked suggested time
    stores it planned, with its start, until "Did it happen?" is answered.
    """

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("pair_id", "met_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    met_on: Mapped[date]
    status: Mapped[MeetingStatus] = mapped_column(
        Choice(MeetingStatus), server_default=MeetingStatus.HELD.value, index=True
    )
    starts_at: Mapped[datetime | None]  # a planned meeting's start (UTC)
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
