"""Outgoing messages of finding a time: suggested times shown again, the first mover's
reminder, "Did it happen?" and its answer (a part of the SlackNotifier)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.find_time import Place, PlaceKind
from bot.domain.prompt_files import default_library
from bot.domain.prompts import stage_for
from bot.slack.find_time import blocks as find_time_blocks
from bot.slack.keep_going import blocks as keep_going_blocks
from bot.slack.outbox.posts import content, store, to_pair
from bot.slack.rounds import kickoff as kickoff_blocks
from bot.slack.ui import Message
from bot.store import outbox
from bot.store import outbox_keys as keys
from bot.store.models import Meeting, Pair, Programme


class MeetingNotices:
    """The SlackNotifier's messages about finding a time and planned meetings."""

    def _replace(
        self, session: Session, pair: Pair, key: str, message: Message, now: datetime
    ) -> None:
        outbox.replace(
            session=session, team_id=pair.team_id, key=key, content=content(message), now=now
        )

    def show_times(
        self,
        *,
        session: Session,
        pair: Pair,
        programme: Programme,
        place: Place,
        viewer: str,
        prompt_id: str | None,
        times: Sequence[datetime],
        skip: int,
        now: datetime,
    ) -> None:
        """*Other times*: the message that offered the times shows the next batch."""
        if place.kind == PlaceKind.KICKOFF:
            key = keys.kickoff(pair.id)
            message = kickoff_blocks.kickoff(pair, programme, times=times, skip=skip)
        elif place.kind == PlaceKind.REMINDER:
            key = keys.first_mover(pair.id, viewer)
            message = find_time_blocks.first_mover_reminder(
                pair, programme, user_id=viewer, place=place, times=times, skip=skip
            )
        else:
            library = default_library()
            if prompt_id is None or not library.has_prompt(prompt_id):
                return  # a retired prompt: its message stays as it is
            key = keys.prompt(pair.id, place.period)
            # The period's stage in the pair's round (a round carried on counts as its last).
            periods = max(programme.round_weeks // programme.cadence_weeks, 1)
            message = keep_going_blocks.prompt_message(
                pair, library.prompt(prompt_id), stage=stage_for(place.period, periods),
                period=place.period, times=times, skip=skip,
                length_minutes=programme.session_minutes,
            )  # fmt: skip
        self._replace(session, pair, key, message, now)

    def first_mover_reminder(
        self,
        *,
        session: Session,
        pair: Pair,
        programme: Programme,
        user_id: str,
        place: Place,
        times: Sequence[datetime],
        now: datetime,
    ) -> bool:
        """The one private reminder, keyed by pair and person."""
        message = find_time_blocks.first_mover_reminder(
            pair, programme, user_id=user_id, place=place, times=times
        )
        return store(
            session, team_id=pair.team_id, key=keys.first_mover(pair.id, user_id),
            channel=user_id, message=message, now=now, dm=True,
        )  # fmt: skip

    def did_it_happen(
        self, *, session: Session, pair: Pair, meeting: Meeting, now: datetime
    ) -> None:
        """Once per planned meeting, in the pair's group DM."""
        message = find_time_blocks.did_it_happen(meeting)
        to_pair(session, pair, keys.meeting_check(pair.id, meeting.id), message, now=now)

    def meeting_answered(
        self, *, session: Session, pair: Pair, meeting: Meeting, answered_by: str, now: datetime
    ) -> None:
        """The question's buttons give way to its answer."""
        message = find_time_blocks.meeting_answered(meeting, answered_by=answered_by)
        self._replace(session, pair, keys.meeting_check(pair.id, meeting.id), message, now)
