"""Who owns programmes: those named in PROGRAMME_OWNERS own every programme; those added in a
programme's settings own that programme only."""

from collections.abc import Collection

from sqlalchemy.orm import Session

from bot.flows.errors import Refusal
from bot.store import programmes

OWNERS_ONLY = "Only programme owners can do that. Ask your HR or L&D team if you need access."
NOT_YOURS = (
    "You aren't an owner of that programme, so nothing was changed. Ask one of its owners to "
    "add you in its settings."
)


def is_owner(
    *,
    session: Session,
    configured: Collection[str],
    team_id: str,
    user_id: str,
    programme_id: int | None = None,
) -> bool:
    """Whether this person owns this programme (or, with no programme, owns any)."""
    return user_id in configured or programmes.is_owner_in_store(
        session=session, team_id=team_id, user_id=user_id, programme_id=programme_id
    )


def require_owner(
    *,
    session: Session,
    configured: Collection[str],
    team_id: str,
    user_id: str,
    programme_id: int | None = None,
) -> None:
    """Refuse politely unless this person owns this programme (or any, with none named)."""
    if is_owner(session=session, configured=configured, team_id=team_id, user_id=user_id):
        if programme_id is None or is_owner(
            session=session,
            configured=configured,
            team_id=team_id,
            user_id=user_id,
            programme_id=programme_id,
        ):
            return
        raise Refusal(NOT_YOURS)
    raise Refusal(OWNERS_ONLY)


def overview(
    *, session: Session, team_id: str, user_id: str, configured: Collection[str]
) -> list[programmes.Overview]:
    """The current programmes this person owns, with their counts (none for a non-owner)."""
    return programmes.owned_overview(
        session=session, team_id=team_id, user_id=user_id, owns_all=user_id in configured
    )


def owned(
    *, session: Session, team_id: str, user_id: str, configured: Collection[str]
) -> list[programmes.Overview]:
    """`/mentoring programmes`: the owner's programmes; a non-owner is refused kindly."""
    require_owner(session=session, configured=configured, team_id=team_id, user_id=user_id)
    return overview(session=session, team_id=team_id, user_id=user_id, configured=configured)
