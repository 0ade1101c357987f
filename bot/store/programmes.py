"""Queries on programmes and owners."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.domain.programme import ProgrammeSettings, defaults, signup_is_open
from bot.domain.states import PairStatus, ProposalStatus
from bot.store.models import Engagement, Owner, Pair, Participant, Programme, Proposal


def get(*, session: Session, team_id: str, programme_id: int) -> Programme | None:
    """One programme of this workspace."""
    programme = session.get(Programme, programme_id)
    return programme if programme is not None and programme.team_id == team_id else None


def lock(*, session: Session, team_id: str, programme_id: int) -> Programme | None:
    """One programme, locked until the transaction ends: its rounds are previewed and
    confirmed one at a time, however many owners click at once."""
    programme = session.get(Programme, programme_id, with_for_update=True, populate_existing=True)
    return programme if programme is not None and programme.team_id == team_id else None


def by_name(*, session: Session, team_id: str, name: str) -> Programme | None:
    """The programme with this name (case-insensitive)."""
    query = select(Programme).where(Programme.team_id == team_id)
    return next((p for p in session.scalars(query) if p.name.casefold() == name.casefold()), None)


def all_of(*, session: Session, team_id: str) -> Sequence[Programme]:
    """Every programme of this workspace, oldest first."""
    return session.scalars(
        select(Programme).where(Programme.team_id == team_id).order_by(Programme.id)
    ).all()


def current_of(*, session: Session, team_id: str) -> Sequence[Programme]:
    """Every programme of this workspace that is not archived, oldest first."""
    return session.scalars(
        select(Programme)
        .where(Programme.team_id == team_id, Programme.archived_at.is_(None))
        .order_by(Programme.id)
    ).all()


def open_for_signup(
    *, session: Session, team_id: str, workspace_id: str | None, today: date
) -> list[Programme]:
    """Programmes people of this workspace can join now (switched on, deadline not passed, open
    to their workspace, not archived), oldest first."""
    query = (
        select(Programme)
        .where(
            Programme.team_id == team_id,
            Programme.signup_open.is_(True),
            or_(Programme.workspace_id.is_(None), Programme.workspace_id == workspace_id),
            Programme.archived_at.is_(None),
        )
        .order_by(Programme.id)
    )
    return [
        p
        for p in session.scalars(query)
        if signup_is_open(signup_open=p.signup_open, deadline=p.signup_deadline, today=today)
    ]


def create(
    *,
    session: Session,
    team_id: str,
    name: str,
    created_by: str,
    now: datetime,
    settings: ProgrammeSettings | None = None,
    workspace_id: str | None = None,
) -> Programme:
    """A new programme: the settings given, or the defaults under this name; open to one
    workspace of an org-wide install (`workspace_id`), or to all of them."""
    chosen = settings or defaults(name)
    programme = Programme(
        team_id=team_id,
        workspace_id=workspace_id,
        **asdict(chosen),
        created_by=created_by,
        created_at=now,
    )
    session.add(programme)
    session.flush()
    return programme


# Whether an owner added in Slack has the bound parameters `team` and `user` as their ids, of any
# programme: read with every request's admission (store.callers), for help and owners' commands.
OWNS_ANY = exists(
    select(Owner.id).where(Owner.team_id == bindparam("team"), Owner.user_id == bindparam("user"))
)


def is_owner_in_store(
    *, session: Session, team_id: str, user_id: str, programme_id: int | None = None
) -> bool:
    """Whether an owner added in Slack has this id: of anything (programme_id None), or of this
    programme (as its own owner, or as an owner of every programme)."""
    query = select(Owner.id).where(Owner.team_id == team_id, Owner.user_id == user_id)
    if programme_id is not None:
        query = query.where(or_(Owner.programme_id.is_(None), Owner.programme_id == programme_id))
    return session.scalar(query.limit(1)) is not None


def owns_everything(*, session: Session, team_id: str, user_id: str) -> bool:
    """Whether an owner added in Slack owns every programme (not one programme only)."""
    query = select(Owner.id).where(
        Owner.team_id == team_id, Owner.user_id == user_id, Owner.programme_id.is_(None)
    )
    return session.scalar(query.limit(1)) is not None


def store_owners(*, session: Session, team_id: str, programme_id: int | None = None) -> set[str]:
    """Owners added in Slack: all of them, or those added in this programme."""
    query = select(Owner.user_id).where(Owner.team_id == team_id)
    if programme_id is not None:
        query = query.where(Owner.programme_id == programme_id)
    return set(session.scalars(query))


def set_owners(
    *,
    session: Session,
    team_id: str,
    programme_id: int,
    user_ids: set[str],
    added_by: str,
    now: datetime,
) -> None:
    """Make the owners added in this programme exactly `user_ids` (they own it only)."""
    current = store_owners(session=session, team_id=team_id, programme_id=programme_id)
    for user_id in current - user_ids:
        session.execute(
            delete(Owner).where(
                Owner.team_id == team_id,
                Owner.user_id == user_id,
                Owner.programme_id == programme_id,
            )
        )
    for user_id in sorted(user_ids - current):
        session.add(
            Owner(
                team_id=team_id,
                user_id=user_id,
                programme_id=programme_id,
                added_by=added_by,
                created_at=now,
            )
        )


@dataclass(frozen=True)
class Overview:
    """One programme as its owner's App Home shows it: the programme and its counts."""

    programme: Programme
    signed_up: int
    pairs: int  # active pairs
    proposals: int  # proposals waiting for answers
    waiting: int  # signed up, not paused, in no proposal or pair


def owned_overview(
    *, session: Session, team_id: str, user_id: str, owns_all: bool
) -> list[Overview]:
    """The programmes (not archived) this person owns, with their counts, in one query."""
    of_programme = Participant.programme_id == Programme.id
    signed_up = select(func.count(Participant.id)).where(of_programme).scalar_subquery()
    pairs = (
        select(func.count(Pair.id))
        .where(Pair.programme_id == Programme.id, Pair.status == PairStatus.ACTIVE)
        .scalar_subquery()
    )
    proposals = (
        select(func.count(Proposal.id))
        .where(Proposal.programme_id == Programme.id, Proposal.status == ProposalStatus.PENDING)
        .scalar_subquery()
    )
    engaged = exists().where(
        Engagement.programme_id == Programme.id, Engagement.user_id == Participant.user_id
    )
    waiting = (
        select(func.count(Participant.id))
        .where(of_programme, Participant.paused.is_(False), ~engaged)
        .scalar_subquery()
    )
    query = (
        select(Programme, signed_up, pairs, proposals, waiting)
        .where(Programme.team_id == team_id, Programme.archived_at.is_(None))
        .order_by(Programme.id)
    )
    if not owns_all:
        query = query.where(
            exists().where(
                Owner.team_id == team_id,
                Owner.user_id == user_id,
                or_(Owner.programme_id.is_(None), Owner.programme_id == Programme.id),
            )
        )
    return [
        Overview(programme=p, signed_up=n, pairs=k, proposals=m, waiting=w)
        for p, n, k, m, w in session.execute(query).all()
    ]
