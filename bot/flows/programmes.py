"""Owners set up programmes: create, edit, and choose who else owns them."""

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.programme import (
    MAX_CHAMPIONS,
    ProgrammeSettings,
    defaults,
    problems,
)
from bot.domain.slack_ids import is_user_id
from bot.flows import audit
from bot.flows.errors import Refusal
from bot.store import next_checks, programmes
from bot.store.models import Pair, Programme

NOT_PEOPLE = (
    "Some of those owners aren't people in this workspace, so nothing was saved. "
    "Choose the owners from the list again."
)


NOT_CHAMPIONS = (
    "Some of those champions aren't people in this workspace, so nothing was saved. "
    "Choose them from the list again."
)
TOO_MANY_CHAMPIONS = f"Name up to {MAX_CHAMPIONS} senior champions."


NO_PROGRAMME = "There is no programme yet: `/mentoring programme new <name>` creates one."
UNKNOWN = "I can't find a programme with that name."
ARCHIVED = (
    "That programme is archived, so nothing was changed: it can't be matched, joined or announced."
)


def choose(
    *, session: Session, team_id: str, name: str, command: str, archived_ok: bool = False
) -> Programme:
    """The programme an owner means: the one named, or the only current one there is.

    With several and no name, the owner is asked which, rather than given one they did not mean.
    An archived programme is never the default; named, it is refused unless `archived_ok`.
    """
    if name:
        found = programmes.by_name(session=session, team_id=team_id, name=name)
        if found is None:
            raise Refusal(UNKNOWN)
        if found.archived_at is not None and not archived_ok:
            raise Refusal(ARCHIVED)
        return found
    every = programmes.current_of(session=session, team_id=team_id)
    if not every:
        raise Refusal(NO_PROGRAMME)
    if len(every) > 1:
        # Names are the owners' words and could format or ping: the reply does not quote them.
        raise Refusal(
            f"There are {len(every)} programmes: add the name, as in "
            f"`/mentoring {command} <programme name>`."
        )
    return every[0]


@dataclass(frozen=True)
class Form:
    """What the settings modal shows: the programme (None for a new one) and the owners added."""

    programme: Programme | None
    owners: set[str]
    pilots: list[Programme]  # the pilots this programme may follow


def form_of(*, session: Session, team_id: str, programme_id: int) -> Form:
    """The settings modal's contents for one programme, by its id (the owner's App Home)."""
    found = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
    if found is None:
        raise Refusal("That programme doesn't exist any more.")
    return form(session=session, team_id=team_id, name=found.name)


def name_of(*, session: Session, team_id: str, programme_id: int) -> str:
    """The name of a programme a button names (an App Home button may be out of date)."""
    found = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
    if found is None:
        raise Refusal("That programme doesn't exist any more.")
    return found.name


def form(*, session: Session, team_id: str, name: str) -> Form:
    """The settings modal's contents; a programme is named, or a new one is set up."""
    found = programmes.by_name(session=session, team_id=team_id, name=name) if name else None
    if name and found is None:
        raise Refusal("I can't find a programme with that name.")
    if found is not None and found.archived_at is not None:
        raise Refusal(ARCHIVED)
    owners = (
        set()
        if found is None
        else programmes.store_owners(session=session, team_id=team_id, programme_id=found.id)
    )
    # An archived pilot stays on offer only to the programme that already follows it.
    pilots = [
        p
        for p in programmes.all_of(session=session, team_id=team_id)
        if p.pilot
        and (found is None or p.id != found.id)
        and (p.archived_at is None or (found is not None and found.follows_id == p.id))
    ]
    return Form(programme=found, owners=owners, pilots=pilots)


def create(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    name: str,
    now: datetime,
    workspace_id: str | None = None,
) -> Programme:
    """A new programme with default settings, open for sign-up (`/mentoring programme new`);
    with `workspace_id`, joinable from that workspace only."""
    if not name:
        raise Refusal("Give the programme a name: `/mentoring programme new Spring pilot`.")
    settings = defaults(name)
    if wrong := problems(settings, today=now.date()):
        raise Refusal(next(iter(wrong.values())))
    return save(
        session=session,
        team_id=team_id,
        user_id=user_id,
        programme_id=None,
        settings=settings,
        owners=(),
        configured=(),
        now=now,
        workspace_id=workspace_id,
    )


def save(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    programme_id: int | None,
    settings: ProgrammeSettings,
    owners: Collection[str],
    configured: Collection[str],
    now: datetime,
    workspace_id: str | None = None,
    champions: Collection[str] | None = None,
) -> Programme:
    """Create or update a programme from validated settings, and set the owners added in Slack
    (and the senior champions, when given); a new one is joinable from `workspace_id` only when
    given (its scope never changes)."""
    # Text where a list belongs would otherwise be read letter by letter, as owners U, A, B, C.
    if isinstance(owners, str) or not all(is_user_id(u) for u in owners):
        raise Refusal(NOT_PEOPLE)
    if champions is not None:
        if isinstance(champions, str) or not all(is_user_id(u) for u in champions):
            raise Refusal(NOT_CHAMPIONS, field="champions")
        if len(set(champions)) > MAX_CHAMPIONS:
            raise Refusal(TOO_MANY_CHAMPIONS, field="champions")
    same_name = programmes.by_name(session=session, team_id=team_id, name=settings.name)
    if settings.follows_id is not None:
        followed = programmes.get(
            session=session, team_id=team_id, programme_id=settings.follows_id
        )
        if followed is None or not followed.pilot or followed.id == programme_id:
            raise Refusal("A programme can only follow another programme that is a pilot.")
    if programme_id is None:
        if same_name is not None:
            raise Refusal("A programme with that name already exists.")
        programme = programmes.create(
            session=session,
            team_id=team_id,
            name=settings.name,
            created_by=user_id,
            now=now,
            settings=settings,
            workspace_id=workspace_id,
        )
    else:
        found = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
        if found is None:
            raise Refusal("That programme doesn't exist any more.")
        if found.archived_at is not None:
            raise Refusal(ARCHIVED)
        if same_name is not None and same_name.id != found.id:
            raise Refusal("Another programme already has that name.")
        programme = found
    for field, value in asdict(settings).items():
        setattr(programme, field, value)
    if programme_id is not None:  # a new cadence or round length retimes its pairs' messages
        next_checks.check_now(session=session, now=now, where=Pair.programme_id == programme.id)
    if champions is not None:
        programme.champions = sorted(set(champions))
    before = programmes.store_owners(session=session, team_id=team_id, programme_id=programme.id)
    after = set(owners) - set(configured)
    programmes.set_owners(
        session=session,
        team_id=team_id,
        programme_id=programme.id,
        user_ids=after,
        added_by=user_id,
        now=now,
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
    change = audit.AuditAction.PROGRAMME_CREATED if created else audit.AuditAction.PROGRAMME_EDITED
    changes: list[tuple[audit.AuditAction, str | None]] = [(change, None)]
    changes += [(audit.AuditAction.OWNER_ADDED, u) for u in sorted(owners_after - owners_before)]
    changes += [(audit.AuditAction.OWNER_REMOVED, u) for u in sorted(owners_before - owners_after)]
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
