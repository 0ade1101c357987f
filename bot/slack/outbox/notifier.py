"""Outgoing messages: rendered by each journey's blocks, stored in the outbox under a key."""

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.introduction import About
from bot.domain.pairs import partner_of
from bot.domain.prompts import Prompt, Stage
from bot.slack.keep_going import blocks as keep_going_blocks
from bot.slack.outbox.consent_notices import ConsentNotices
from bot.slack.outbox.meeting_notices import MeetingNotices
from bot.slack.outbox.posts import content, store, to_pair
from bot.slack.outbox.still_in import StillInNotes
from bot.slack.pair_exit import blocks as pair_exit_blocks
from bot.slack.participants import blocks as participant_blocks
from bot.slack.round_end import blocks as round_end_blocks
from bot.slack.rounds import blocks as round_blocks
from bot.slack.rounds import kickoff as kickoff_blocks
from bot.slack.ui import Message
from bot.store import outbox, participants
from bot.store import outbox_keys as keys
from bot.store.models import (
    CheckinRequest,
    Pair,
    Programme,
)

log = logging.getLogger(__name__)


def _session_minutes(session: Session, pair: Pair) -> int:
    programme = session.get(Programme, pair.programme_id)
    return programme.session_minutes if programme is not None else 30


def _about(session: Session, pair: Pair) -> tuple[About, About] | None:
    """What the introduction shows of the two (None if either has left meanwhile)."""
    found = [
        participants.get(session=session, team_id=pair.team_id, user_id=user_id)
        for user_id in (pair.mentor_id, pair.mentee_id)
    ]
    if found[0] is None or found[1] is None:
        return None
    mentor, mentee = (
        About(p.user_id, p.share_other, p.learn_other, p.meetings_per_month) for p in found if p
    )
    return mentor, mentee


class SlackNotifier(ConsentNotices, MeetingNotices, StillInNotes):
    """The Notifier the flows use: each message keyed, stored, and sent by the outbox."""

    def replace(
        self, *, session: Session, team_id: str, key: str, message: Message, now: datetime
    ) -> None:
        """Make the post stored under `key` say `message` (its buttons gone), sent or not."""
        outbox.replace(session=session, team_id=team_id, key=key, content=content(message), now=now)

    def welcome(
        self, *, session: Session, team_id: str, user_id: str, programme: Programme, now: datetime
    ) -> None:
        """Welcome DM after a first sign-up."""
        message = participant_blocks.welcome_message(programme)
        key = keys.welcome(programme.id, user_id)
        store(
            session, team_id=team_id, key=key, channel=user_id, message=message, now=now,
            dm=True, at_once=True,
        )  # fmt: skip

    def resumed(
        self, *, session: Session, team_id: str, user_id: str, until: date, now: datetime
    ) -> None:
        """The one DM when a dated pause ends (keyed by its date, so once per pause)."""
        store(
            session, team_id=team_id, key=keys.resumed(user_id, until), channel=user_id,
            message=participant_blocks.resumed_message(), now=now, dm=True,
        )  # fmt: skip

    def pair_closed(self, *, session: Session, pair: Pair, now: datetime) -> None:
        """The kick-off loses its buttons; the group DM hears once that the pairing ended."""
        if pair.channel_id is None:
            return  # no group DM, no kick-off
        programme = session.get(Programme, pair.programme_id)
        assert programme is not None
        self.replace(
            session=session, team_id=pair.team_id, key=keys.kickoff(pair.id),
            message=kickoff_blocks.kickoff(
                pair, programme, ended=True, about=_about(session, pair)
            ),
            now=now,
        )  # fmt: skip
        ended = kickoff_blocks.pairing_ended_here()
        to_pair(session, pair, keys.pair_ended(pair.id), ended, now=now)

    def pairing_ended(
        self, *, session: Session, team_id: str, user_id: str, pair_id: int, now: datetime
    ) -> None:
        """No reasons given: only that it has ended, and what happens next."""
        store(
            session, team_id=team_id, key=keys.pairing_ended(pair_id, user_id), channel=user_id,
            message=round_blocks.pairing_ended(), now=now, dm=True,
        )  # fmt: skip

    def kickoff(
        self,
        *,
        session: Session,
        pair: Pair,
        programme: Programme,
        now: datetime,
        times: Sequence[datetime] = (),
    ) -> None:
        """The introduction in the pair's group DM, with suggested first-meeting times."""
        message = kickoff_blocks.kickoff(pair, programme, times=times, about=_about(session, pair))
        to_pair(session, pair, keys.kickoff(pair.id), message, now=now)

    def goals_set(self, *, session: Session, pair: Pair, set_by: str, now: datetime) -> None:
        """The goals, shown in the pair's group DM (each version once)."""
        if pair.channel_id is None:
            return  # the kick-off, sent once the DM exists, shows them
        version = hashlib.sha256(json.dumps(pair.goals).encode()).hexdigest()[:16]
        message = round_blocks.goals_message(pair, set_by=set_by)
        to_pair(session, pair, keys.goals(pair.id, version), message, now=now, at_once=True)

    def concern_raised(
        self,
        *,
        session: Session,
        team_id: str,
        owner_id: str,
        submission_id: str,
        text: str,
        raised_by: str | None,
        now: datetime,
    ) -> None:
        """A DM to one owner; its text leaves the outbox once sent."""
        store(
            session, team_id=team_id, key=keys.concern(submission_id, owner_id), channel=owner_id,
            message=pair_exit_blocks.concern_message(text, raised_by=raised_by), now=now, dm=True,
            at_once=True,
        )  # fmt: skip

    def closing_survey(
        self,
        *,
        session: Session,
        pair: Pair,
        user_id: str,
        round_index: int,
        send_at: datetime,
        closes_at: datetime,
        now: datetime,
    ) -> None:
        """The survey DM, dropped if it could not be sent before the survey closes."""
        message = round_end_blocks.closing_survey(
            partner=partner_of(pair, user_id), pair_id=pair.id, closes_at=closes_at
        )
        store(
            session, team_id=pair.team_id, key=keys.closing(pair.id, round_index, user_id),
            channel=user_id, message=message, now=now, dm=True, not_before=send_at,
            expires_at=closes_at,
        )  # fmt: skip

    def round_over(self, *, session: Session, pair: Pair, user_id: str, now: datetime) -> None:
        """Kind, no reasons, nobody's answer."""
        store(
            session, team_id=pair.team_id, key=keys.round_over(pair.id, user_id), channel=user_id,
            message=round_end_blocks.round_over(), now=now, dm=True,
        )  # fmt: skip

    def round_continues(
        self, *, session: Session, pair: Pair, round_index: int, now: datetime
    ) -> None:
        """In the pair's group DM, once per round."""
        if pair.channel_id is None:
            return  # no group DM yet: the kick-off, once it is open, says all they need
        message = round_end_blocks.round_continues(pair, round_index=round_index)
        to_pair(session, pair, keys.round_continues(pair.id, round_index), message, now=now)

    def prompt(
        self,
        *,
        session: Session,
        pair: Pair,
        prompt: Prompt,
        period: int,
        stage: Stage,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
        times: Sequence[datetime] = (),
    ) -> None:
        """The period's prompt in the pair's group DM; dropped if it cannot go out in its period."""
        message = keep_going_blocks.prompt_message(
            pair, prompt, stage=stage, period=period, times=times,
            length_minutes=_session_minutes(session, pair),
        )  # fmt: skip
        to_pair(
            session, pair, keys.prompt(pair.id, period), message, now=now, not_before=send_at,
            expires_at=expires_at,
        )  # fmt: skip

    def nudge(
        self,
        *,
        session: Session,
        pair: Pair,
        since: date,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> bool:
        """One nudge per gap without a meeting, in the pair's group DM."""
        return to_pair(
            session, pair, keys.nudge(pair.id, since),
            keep_going_blocks.nudge_message(pair, since=since),
            now=now, not_before=send_at, lifetime=expires_at - send_at,
        )  # fmt: skip

    def checkin(
        self,
        *,
        session: Session,
        request: CheckinRequest,
        cadence_weeks: int,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        """The private check-in DM, keyed by pair, period and person."""
        message = keep_going_blocks.checkin_message(request, cadence_weeks=cadence_weeks)
        store(
            session, team_id=request.team_id,
            key=keys.checkin(request.pair_id, request.period, request.user_id),
            channel=request.user_id, message=message, now=now, dm=True, not_before=send_at,
            expires_at=expires_at,
        )  # fmt: skip
