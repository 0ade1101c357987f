"""Meetings: facts about the pair (*We met*, `/mentoring met`, a check-in's yes), not anonymous."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.cadence import local
from bot.flows.errors import Refusal
from bot.store import meetings as store
from bot.store import participants, rounds
from bot.store.models import Pair

NOT_IN_A_PAIR = (
    "You're not in an active mentoring pair right now, so there's no meeting to record. "
    "Once you've been matched and both of you have accepted, `/mentoring met` notes your meetings."
)


def record_for_pair(*, session: Session, pair: Pair, user_id: str, now: datetime) -> bool:
    """Note that `pair` met on the person's day today; False if that day was already noted."""
    return store.record_meeting(
        session=session,
        team_id=pair.team_id,
        pair_id=pair.id,
        # The person's own calendar day (UTC if they have no offset on record).
        met_on=local(
            now, participants.utc_offset(session=session, team_id=pair.team_id, user_id=user_id)
        ).date(),
        now=now,
    )


def record_meeting(
    *, session: Session, team_id: str, user_id: str, pair_id: int | None, now: datetime
) -> bool:
    """Record that the person's active pair met today (their local day); False if already noted."""
    pair = rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if pair is None:
        raise Refusal(NOT_IN_A_PAIR)
    return record_for_pair(session=session, pair=pair, user_id=user_id, now=now)
