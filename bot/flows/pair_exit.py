"""When a pair isn't working: ending it with no fault, and raising a concern with the owners.

A concern's text is kept only in the outbox message to each owner, whose content is dropped
once sent; the sender is named only if they choose to be.
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.pairs import partner_of
from bot.domain.states import PairStatus
from bot.domain.text import clean
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import outbox, outbox_keys, participants, programmes, rounds
from bot.store.models import Pair

NOT_IN_A_PAIR = "You're not in a mentoring pair right now, so there is nothing to end."
ALREADY_ENDED = "This pairing has already ended, so nothing was changed."


def close_pair(*, session: Session, pair: Pair, now: datetime, notifier: Notifier) -> None:
    """End a pair: both are back in the pool, its unsent pair messages are withdrawn, and its
    kick-off's buttons retired.

    The two stay forbidden to each other: that was recorded when they both accepted.
    """
    pair.status, pair.ended_at = PairStatus.ENDED, now
    rounds.release_pair(session=session, pair_id=pair.id)
    # Its unsent check-ins and surveys go too: nobody is asked about a pair that is over.
    for prefix in outbox_keys.of_pair(pair.id):
        outbox.drop_pending(session=session, team_id=pair.team_id, key_prefix=prefix)
    notifier.pair_closed(session=session, pair=pair, now=now)


def pair_to_end(*, session: Session, team_id: str, user_id: str, pair_id: int | None) -> Pair:
    """The active pair this person may end: the one given, or their current one."""
    pair = rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if pair is None:
        raise Refusal(NOT_IN_A_PAIR if pair_id is None else ALREADY_ENDED)
    return pair


def end_pair(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    now: datetime,
    notifier: Notifier,
) -> Pair:
    """No-fault end: the partner hears kindly that it has ended, never who chose it or why."""
    pair = pair_to_end(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    close_pair(session=session, pair=pair, now=now, notifier=notifier)
    notifier.pairing_ended(
        session=session,
        team_id=team_id,
        user_id=partner_of(pair, user_id),
        pair_id=pair.id,
        now=now,
    )
    return pair


MAX_CONCERN = 1000
NOT_JOINED = "Only people in a mentoring programme can raise a concern here. Your HR team can help."
NO_OWNERS = (
    "There is no programme owner to send this to yet, so nothing was sent. "
    "Please contact your HR or L&D team directly."
)


def require_participant(*, session: Session, team_id: str, user_id: str) -> None:
    """Refuse politely unless this person has joined a programme."""
    if participants.get(session=session, team_id=team_id, user_id=user_id) is None:
        raise Refusal(NOT_JOINED)


def raise_concern(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    text: str,
    include_name: bool,
    submission_id: str,
    configured_owners: Collection[str],
    now: datetime,
    notifier: Notifier,
) -> int:
    """Send the concern to every owner by DM (named only if the person chose); how many owners."""
    require_participant(session=session, team_id=team_id, user_id=user_id)
    cleaned = clean(text)
    if not cleaned:
        raise Refusal("Write what's on your mind first: the concern was empty.", field="concern")
    if len(cleaned) > MAX_CONCERN:
        raise Refusal(f"Please keep it under {MAX_CONCERN} characters.", field="concern")
    owners = set(configured_owners) | programmes.store_owners(session=session, team_id=team_id)
    if not owners:
        raise Refusal(NO_OWNERS)
    for owner_id in sorted(owners):
        notifier.concern_raised(
            session=session,
            team_id=team_id,
            owner_id=owner_id,
            submission_id=submission_id,
            text=cleaned,
            raised_by=user_id if include_name else None,
            now=now,
        )
    return len(owners)
