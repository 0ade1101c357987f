"""*This isn't working*: either person ends their pair, privately and without giving reasons."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import outbox, rounds
from bot.store.models import Pair

NOT_IN_A_PAIR = "You're not in a mentoring pair right now, so there is nothing to end."
ALREADY_ENDED = "This pairing has already ended, so nothing was changed."


def partner_of(pair: Pair, user_id: str) -> str:
    """The other person in the pair."""
    return pair.mentee_id if user_id == pair.mentor_id else pair.mentor_id


def close_pair(*, session: Session, pair: Pair, now: datetime) -> None:
    """End a pair: both are back in the pool, and its unsent pair messages are withdrawn.

    The two stay forbidden to each other: that was recorded when they both accepted.
    """
    pair.status, pair.ended_at = "ended", now
    rounds.release_pair(session=session, pair_id=pair.id)
    outbox.drop_pending(session=session, team_id=pair.team_id, key_prefix=f"pair:{pair.id}:")
    # The pair's unsent check-ins go too: nobody is asked about a pair that is over.
    outbox.drop_pending(session=session, team_id=pair.team_id, key_prefix=f"checkin:{pair.id}:")
    outbox.drop_pending(session=session, team_id=pair.team_id, key_prefix=f"closing:{pair.id}:")


def pair_to_end(*, session: Session, team_id: str, user_id: str, pair_id: int | None) -> Pair:
    """The active pair this person may end: the one given, or their current one."""
    if pair_id is None:
        pair = rounds.active_pair_of(session=session, team_id=team_id, user_id=user_id)
        if pair is None:
            raise Refusal(NOT_IN_A_PAIR)
        return pair
    pair = rounds.get_pair(session=session, team_id=team_id, pair_id=pair_id)
    if pair is None or pair.status != "active" or user_id not in (pair.mentor_id, pair.mentee_id):
        raise Refusal(ALREADY_ENDED)
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
    close_pair(session=session, pair=pair, now=now)
    notifier.pairing_ended(
        session=session,
        team_id=team_id,
        user_id=partner_of(pair, user_id),
        pair_id=pair.id,
        now=now,
    )
    return pair
