"""A whole workspace at once: everyone it holds data about, and ending what is under way there."""

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.domain.profile import GONE
from bot.domain.states import PairStatus, ProposalStatus
from bot.store.models import (
    AuditEntry,
    CheckinRequest,
    OrgPerson,
    OutboxMessage,
    Owner,
    Pair,
    Participant,
    Programme,
    Proposal,
    Round,
)


def people(*, session: Session, team_id: str) -> set[str]:
    """Every Slack user id the workspace's rows still name."""
    columns = (
        Participant.user_id,
        Participant.manager_id,
        Pair.mentor_id,
        Pair.mentee_id,
        Proposal.mentor_id,
        Proposal.mentee_id,
        Owner.user_id,
        CheckinRequest.user_id,
        OutboxMessage.user_id,
        AuditEntry.actor_id,
        AuditEntry.subject_id,
    )
    found: set[str] = set()
    for column in columns:
        table = column.class_
        found.update(
            v for v in session.scalars(select(column).where(table.team_id == team_id)) if v
        )
    return found - {GONE}


def end_everything(*, session: Session, team_id: str, now: datetime) -> None:
    """End active pairs and open proposals, and drop every stored call and owner of a workspace."""
    session.execute(
        update(Pair)
        .where(Pair.team_id == team_id, Pair.status == PairStatus.ACTIVE)
        .values(status=PairStatus.ENDED, ended_at=now)
    )
    session.execute(
        update(Proposal)
        .where(
            Proposal.team_id == team_id,
            Proposal.status.in_([ProposalStatus.DRAFT, ProposalStatus.PENDING]),
        )
        .values(status=ProposalStatus.CANCELLED, decided_at=now)
    )
    # What was queued there can never be sent, and may hold what people wrote.
    session.execute(delete(OutboxMessage).where(OutboxMessage.team_id == team_id))
    session.execute(delete(Owner).where(Owner.team_id == team_id))
    session.execute(delete(OrgPerson).where(OrgPerson.team_id == team_id))
    # Who set things up: nobody there is left to be named.
    for model in (Programme, Round):
        session.execute(update(model).where(model.team_id == team_id).values(created_by=GONE))
