"""Every row that names one person, for their My data export."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.domain.states import MeetingStatus, OutboxStatus
from bot.store.models import (
    AuditEntry,
    CheckinRequest,
    Meeting,
    OutboxMessage,
    Owner,
    Pair,
    Participant,
    Programme,
    Proposal,
)


@dataclass(frozen=True)
class PersonRows:
    """The rows about one person (and the days their pairs met)."""

    participant: Participant | None
    programme: Programme | None
    pairs: Sequence[Pair]
    met_on: dict[int, list[date]]
    proposals: Sequence[Proposal]
    checkins: Sequence[CheckinRequest]
    pending: Sequence[OutboxMessage]
    actions: Sequence[AuditEntry]
    owner: bool
    champion_of: Sequence[str] = ()  # the programmes naming them as a senior champion
    # Meetings picked from suggested times and not (yet) confirmed: start and status.
    planned: dict[int, list[tuple[datetime, MeetingStatus]]] = field(default_factory=dict)


def person_rows(*, session: Session, team_id: str, user_id: str) -> PersonRows:
    """Every row of the workspace that is about the person."""
    participant = session.scalar(
        select(Participant).where(Participant.team_id == team_id, Participant.user_id == user_id)
    )
    programme = (
        session.get(Programme, participant.programme_id) if participant is not None else None
    )
    pairs = session.scalars(
        select(Pair)
        .where(Pair.team_id == team_id, or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id))
        .order_by(Pair.started_at)
    ).all()
    met_on = {
        pair.id: list(
            session.scalars(
                select(Meeting.met_on)
                .where(Meeting.pair_id == pair.id, Meeting.status == MeetingStatus.HELD)
                .order_by(Meeting.met_on)
            )
        )
        for pair in pairs
    }
    proposals = session.scalars(
        select(Proposal)
        .where(
            Proposal.team_id == team_id,
            or_(Proposal.mentor_id == user_id, Proposal.mentee_id == user_id),
        )
        .order_by(Proposal.created_at)
    ).all()
    checkins = session.scalars(
        select(CheckinRequest)
        .where(CheckinRequest.team_id == team_id, CheckinRequest.user_id == user_id)
        .order_by(CheckinRequest.asked_at)
    ).all()
    pending = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.user_id == user_id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .order_by(OutboxMessage.not_before)
    ).all()
    actions = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.team_id == team_id, AuditEntry.actor_id == user_id)
        .order_by(AuditEntry.created_at)
    ).all()
    owner = session.scalar(
        select(Owner.id).where(Owner.team_id == team_id, Owner.user_id == user_id)
    )
    return PersonRows(
        participant,
        programme,
        pairs,
        met_on,
        proposals,
        checkins,
        pending,
        actions,
        owner is not None,
        champion_of=[
            p.name
            for p in session.scalars(select(Programme).where(Programme.team_id == team_id))
            if user_id in p.champions
        ],
        planned={
            pair.id: [
                (row.starts_at, row.status)
                for row in session.execute(
                    select(Meeting.starts_at, Meeting.status)
                    .where(
                        Meeting.pair_id == pair.id,
                        Meeting.status != MeetingStatus.HELD,
                        Meeting.starts_at.is_not(None),
                    )
                    .order_by(Meeting.starts_at)
                )
            ]
            for pair in pairs
        },
    )
