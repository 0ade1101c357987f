"""Owners set up programmes: create, edit, and choose who else owns them."""

from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.programme import Settings
from bot.domain.slack_ids import is_user_id
from bot.flows import audit
from bot.flows.errors import Refusal
from bot.store import programmes
from bot.store.models import Programme

NOT_PEOPLE = (
    "Some of those owners aren't people in this workspace, so nothing was saved. "
    "Choose the owners from the list again."
)


def create(*, session: Session, team_id: str, user_id: str, name: str, now: datetime) -> Programme:
    """A new programme with default settings, open for sign-up (`/mentoring programme new`)."""
    if not name:
        raise Refusal("Give the programme a name: `/mentoring programme new Spring pilot`.")
    if len(name) > 80:
        raise Refusal("Keep the programme's name under 80 characters.")
    if programmes.by_name(session=session, team_id=team_id, name=name) is not None:
        raise Refusal("A programme with that name already exists.")
    created = programmes.create(
        session=session, team_id=team_id, name=name, created_by=user_id, now=now
    )
    audit.record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=audit.Action.PROGRAMME_CREATED,
        detail=name,
        now=now,
    )
    return created


def save(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    programme_id: int | None,
    settings: Settings,
    owners: Collection[str],
    configured: Collection[str],
    now: datetime,
) -> Programme:
    """Create or update a programme from validated settings, and set the owners added in Slack."""
    # Text where a list belongs would otherwise be read letter by letter, as owners U, A, B, C.
    if isinstance(owners, str) or not all(is_user_id(u) for u in owners):
        raise Refusal(NOT_PEOPLE)
    same_name = programmes.by_name(session=session, team_id=team_id, name=settings.name)
    if programme_id is None:
        if same_name is not None:
            raise Refusal("A programme with that name already exists.")
        programme = programmes.create(
            session=session, team_id=team_id, name=settings.name, created_by=user_id, now=now
        )
    else:
        found = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
        if found is None:
            raise Refusal("That programme doesn't exist any more.")
        if same_name is not None and same_name.id != found.id:
            raise Refusal("Another programme already has that name.")
        programme = found
    for field, value in asdict(settings).items():
        setattr(programme, field, value)
    before = programmes.store_owners(session=session, team_id=team_id)
    after = set(owners) - set(configured)
    programmes.set_owners(
        session=session, team_id=team_id, user_ids=after, added_by=user_id, now=now
    )
    _audit_save(
        session=session,
        team_id=team_id,
        user_id=user_id,
        programme=programme,
        created=programme_id is None,
        owners_before=before,
        owners_after=after,
        now=now,
    )
    return programme


def _audit_save(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    programme: Programme,
    created: bool,
    owners_before: set[str],
    owners_after: set[str],
    now: datetime,
) -> None:
    """Record the programme change and each owner added or removed."""
    change = audit.Action.PROGRAMME_CREATED if created else audit.Action.PROGRAMME_EDITED
    changes: list[tuple[audit.Action, str | None]] = [(change, None)]
    changes += [(audit.Action.OWNER_ADDED, u) for u in sorted(owners_after - owners_before)]
    changes += [(audit.Action.OWNER_REMOVED, u) for u in sorted(owners_before - owners_after)]
    for action, subject in changes:
        audit.record(
            session=session,
            team_id=team_id,
            user_id=user_id,
            action=action,
            detail=programme.name,
            now=now,
            subject_id=subject,
        )
