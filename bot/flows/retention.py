"""Retention: a quiet programme's personal data deleted after RETENTION_MONTHS, old audit pruned.

A programme is quiet once it has had a round and nothing is under way (no active pair, no open
proposal); its last activity is when its last pair ended, or a later sign-up or profile change.
RETENTION_MONTHS after that, or RETENTION_MONTHS after an owner archived it (whatever was under
way then was ended by the archiving), each person still signed up to it is deleted as `leave`
deletes them, and the programme's pairs, proposals and champions keep no names or goals. The
anonymous answers and tallies stay. Audit entries older than AUDIT_RETENTION_MONTHS are deleted.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.retention import expired, months_before
from bot.store import participants, retention


@dataclass(frozen=True)
class RetentionReport:
    """What one pass deleted."""

    programmes: int
    people: int
    audit_entries: int


def apply(*, session: Session, now: datetime, months: int, audit_months: int) -> RetentionReport:
    """Delete what is past its retention time; safe to run on every tick."""
    due = {
        programme.id: programme
        for programme, last_activity in retention.quiet_programmes(session=session)
        if expired(last_activity, now=now, months=months)
    }
    archived = retention.archived_before(session=session, before=months_before(now, months))
    due |= {programme.id: programme for programme in archived}
    people = 0
    for programme in due.values():
        named = retention.people_of(session=session, programme_id=programme.id)
        for user_id in named:
            participants.delete_person(session=session, team_id=programme.team_id, user_id=user_id)
        retention.forget_programme_people(session=session, programme_id=programme.id)
        people += len(named)
    programmes = len(due)
    pruned = retention.prune_audit(session=session, before=months_before(now, audit_months))
    return RetentionReport(programmes=programmes, people=people, audit_entries=pruned)
