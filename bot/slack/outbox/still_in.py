"""The Notifier's messages for the ghost path (a part of SlackNotifier, kept in its own file)."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.states import StillIn
from bot.slack.ghosts import blocks
from bot.slack.outbox.posts import content, store
from bot.store import outbox, participants
from bot.store import outbox_keys as keys
from bot.store.models import Pair


class StillInNotes:
    """The "are you still in?" DM, its retirement, and the note that silence paused someone."""

    def still_in_question(
        self,
        *,
        session: Session,
        team_id: str,
        user_id: str,
        pair_id: int,
        asked_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        """Once per silence (keyed by the day asked); dropped if it cannot go out in time."""
        offset = participants.utc_offset(session=session, team_id=team_id, user_id=user_id)
        message = blocks.question(pair_id=pair_id, answer_by=expires_at, offset_minutes=offset)
        store(
            session, team_id=team_id, key=keys.still_in(pair_id, user_id, asked_at.date()),
            channel=user_id, message=message, now=now, dm=True, not_before=asked_at,
            expires_at=expires_at,
        )  # fmt: skip

    def still_in_settled(
        self,
        *,
        session: Session,
        team_id: str,
        user_id: str,
        pair_id: int,
        asked_at: datetime,
        outcome: StillIn,
        until: date | None,
        now: datetime,
    ) -> None:
        """The question's buttons replaced by what was settled (sent or not yet)."""
        outbox.replace(
            session=session, team_id=team_id, key=keys.still_in(pair_id, user_id, asked_at.date()),
            content=content(blocks.settled(outcome, until=until)), now=now,
        )  # fmt: skip

    def paused_for_silence(
        self, *, session: Session, team_id: str, user_id: str, pair: Pair, now: datetime
    ) -> None:
        """A new DM (an update would not notify them): paused, and the way back."""
        store(
            session, team_id=team_id, key=keys.paused_for_silence(pair.id, user_id),
            channel=user_id, message=blocks.paused_for_silence(), now=now, dm=True,
        )  # fmt: skip
