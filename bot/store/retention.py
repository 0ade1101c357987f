"""What retention looks at and deletes: programmes gone quiet, and old audit entries."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.domain.profile import GONE
from bot.domain.states import PairStatus, ProposalStatus
from bot.store.models import AuditEntry, CheckinRequest, Pair, Participant, Programme, Proposal


def quiet_programmes(*, session: Session) -> Sequence[tuple[Programme, datetime]]:
    """Programmes that have had a round and have nothing under way, with their last activity.

    The last activity is when the last pair ended, or a later sign-up or profile change, so a
    programme whose people are still waiting for a round is never quiet.
    """
    busy = (
        select(Pair.programme_id)
        .where(Pair.status == PairStatus.ACTIVE)
        .union(
            select(Proposal.programme_id).where(
                Proposal.status.in_([ProposalStatus.DRAFT, ProposalStatus.PENDING])
            )
        )
    )
    ended = (
        select(Pair.programme_id, func.max(Pair.ended_at).label("at"))
        .group_by(Pair.programme_id)
        .subquery()
    )
    rows = session.execute(
        select(Programme, ended.c.at)
        .join(ended, ended.c.programme_id == Programme.id)
        .where(Programme.id.not_in(busy))
    ).all()
    quiet = []
    for programme, last_ended in rows:
        changed = session.scalar(
            select(func.max(Participant.updated_at)).where(Participant.programme_id == programme.id)
        )
        quiet.append((programme, max(last_ended, changed) if changed else last_ended))
    return quiet


def archived_before(*, session: Session, before: datetime) -> Sequence[Programme]:
    """Programmes archived before `before`."""
    return session.scalars(
        select(Programme).where(Programme.archived_at < before).order_by(Programme.id)
    ).all()


def people_of(*, session: Session, programme_id: int) -> Sequence[str]:
    """The people still signed up to a programme."""
    return session.scalars(
        select(Participant.user_id).where(Participant.programme_id == programme_id)
    ).all()


def forget_programme_people(*, session: Session, programme_id: int) -> None:
    """Take every name and goal out of a programme's pairs, proposals and check-in requests."""
    for model in (Pair, Proposal):
        session.execute(
            update(model)
            .where(model.programme_id == programme_id)
            .values(mentor_id=GONE, mentee_id=GONE)
        )
    session.execute(update(Pair).where(Pair.programme_id == programme_id).values(goals=[]))
    session.execute(update(Programme).where(Programme.id == programme_id).values(champions=[]))
    session.execute(delete(CheckinRequest).where(CheckinRequest.programme_id == programme_id))


def prune_audit(*, session: Session, before: datetime) -> int:
    """Delete audit entries older than `before`; how many."""
    result = session.execute(delete(AuditEntry).where(AuditEntry.created_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
