"""Who takes part: workspaces, owners, programmes and their participants."""

import secrets
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.matching.model import Fit
from bot.domain.states import (
    CrossDepartment,
    FirstMover,
    Kind,
    Side,
    Style,
)
from bot.domain.states import (
    Meeting as MeetingMode,
)
from bot.store.models.base import Base, Choice


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


class Owner(Base):
    """A programme owner added in Slack (owners named in PROGRAMME_OWNERS need no row)."""

    __tablename__ = "owners"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    # None: configured at install, owns every programme; else owns this programme only.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class Programme(Base):
    """A mentoring programme (a cohort): how it runs and what its roles are called."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # On an org-wide Grid install (team_id is the organisation's `E…`): the one workspace whose
    # people may join it. None: joinable from every workspace of the installation.
    workspace_id: Mapped[str | None] = mapped_column(String(32))
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
    quality_floor: Mapped[Fit | None] = mapped_column(Choice(Fit))  # None: no floor
    partners_per_person: Mapped[int] = mapped_column(server_default="1")
    session_minutes: Mapped[int] = mapped_column(server_default="30")  # 30, 45 or 60
    # Who proposes a pair's first meeting (and gets the reminder if nobody has).
    first_mover: Mapped[FirstMover] = mapped_column(
        Choice(FirstMover), server_default=FirstMover.LEARN.value
    )
    # The least working time a pair must share each week to be proposed (0: no such rule).
    min_overlap_minutes: Mapped[int] = mapped_column(server_default="60")
    # The pilot this programme follows, chosen by an owner: stats compare the two.
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"))
    # The first day of the programme period not yet closed for stats (None: none closed yet).
    closed_through: Mapped[date | None]
    # What the programme is for, in the owners' words: shown in announcements and welcomes.
    objective: Mapped[str] = mapped_column(String(300), server_default="")
    # Senior champions whose names an announcement shows (Slack user ids).
    champions: Mapped[list[str]] = mapped_column(JSON, server_default="[]")
    # When an owner archived it: out of every menu, and its personal data on the retention clock.
    archived_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class Participant(Base):
    """A person in a programme, with their intake-survey answers. Deleted when they leave."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    # How logs name this person instead of their Slack id: random, gone with the row.
    log_id: Mapped[str] = mapped_column(
        String(16), unique=True, default=lambda: "p" + secrets.token_hex(6)
    )
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
    # Usual working hours (minutes after local midnight, in `timezone`) and days ("01234":
    # Monday to Friday); messages go out only then, and pairs must share enough of them.
    work_start_minute: Mapped[int] = mapped_column(server_default="540")
    work_end_minute: Mapped[int] = mapped_column(server_default="1020")
    work_days: Mapped[str] = mapped_column(String(7), server_default="01234")
    # Whose public holidays are days off: "GB", "US-CA"; None for none.
    holiday_country: Mapped[str | None] = mapped_column(String(16))
    paused: Mapped[bool]
    # Resumed by the `resume_paused` job on this day's morning, in the person's zone.
    paused_until: Mapped[date | None]
    # When the one "are you still in?" DM went out after two silent periods (None: no question
    # open). Unanswered for one more period, the person is paused and their pair ends.
    still_in_asked_at: Mapped[datetime | None]
    still_in_pair_id: Mapped[int | None]  # the pair the question is about (one may have several)
    # When they last resumed: their pair's first message after it is one catch-up, not a burst.
    resumed_at: Mapped[datetime | None]
    # Left over in the last round: first in line (a bonus in matching) next time.
    waited: Mapped[bool] = mapped_column(default=False)
    ground_rules_version: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
