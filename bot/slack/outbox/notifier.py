"""Outgoing messages: rendered by each journey's blocks, stored in the outbox under a key."""

import hashlib
import json
import logging
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain.pairs import partner_of
from bot.domain.prompts import Prompt, Stage
from bot.slack.keep_going import blocks as keep_going_blocks
from bot.slack.outbox.posts import content, store, to_pair
from bot.slack.pair_exit import blocks as pair_exit_blocks
from bot.slack.participants import blocks as participant_blocks
from bot.slack.round_end import blocks as round_end_blocks
from bot.slack.rounds import blocks as round_blocks
from bot.slack.ui import Message
from bot.store import outbox, participants
from bot.store import outbox_keys as keys
from bot.store.models import CheckinRequest, Pair, Participant, Programme, Proposal

log = logging.getLogger(__name__)


class SlackNotifier:
    """The Notifier the flows use: each message keyed, stored, and sent by the outbox."""

    def replace(
        self, *, session: Session, team_id: str, key: str, message: Message, now: datetime
    ) -> None:
        """Make the post stored under `key` say `message` (its buttons gone), sent or not."""
        outbox.replace(session=session, team_id=team_id, key=key, content=content(message), now=now)

    def _retire_consent(
        self, session: Session, proposal: Proposal, viewer: str, now: datetime
    ) -> None:
        self.replace(
            session=session, team_id=proposal.team_id, key=keys.consent(proposal.id, viewer),
            message=round_blocks.consent_outcome(proposal, viewer=viewer), now=now,
        )  # fmt: skip

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

    def consent_request(
        self, *, session: Session, proposal: Proposal, programme: Programme, now: datetime
    ) -> None:
        """A consent DM to each side, with Accept and Decline."""
        for viewer in (proposal.mentor_id, proposal.mentee_id):
            offset = participants.utc_offset(
                session=session, team_id=proposal.team_id, user_id=viewer
            )
            message = round_blocks.consent_request(
                proposal, programme, viewer=viewer, offset_minutes=offset
            )
            key = keys.consent(proposal.id, viewer)
            store(
                session, team_id=proposal.team_id, key=key, channel=viewer, message=message,
                now=now, dm=True,
            )  # fmt: skip

    def consent_reminder(
        self,
        *,
        session: Session,
        proposal: Proposal,
        programme: Programme,
        viewer: str,
        now: datetime,
    ) -> None:
        """Once, a day before the proposal closes."""
        offset = participants.utc_offset(session=session, team_id=proposal.team_id, user_id=viewer)
        message = round_blocks.consent_reminder(
            proposal, programme, viewer=viewer, offset_minutes=offset
        )
        store(
            session, team_id=proposal.team_id, key=keys.consent_reminder(proposal.id, viewer),
            channel=viewer, message=message, now=now, dm=True, expires_at=proposal.expires_at,
        )  # fmt: skip

    def left_over(
        self, *, session: Session, participant: Participant, round_id: int, now: datetime
    ) -> None:
        """First in line next round."""
        user_id = participant.user_id
        store(
            session, team_id=participant.team_id, key=keys.left_over(round_id, user_id),
            channel=user_id, message=round_blocks.left_over(), now=now, dm=True,
        )  # fmt: skip

    def proposal_ended(
        self, *, session: Session, proposal: Proposal, declined_by: str | None, now: datetime
    ) -> None:
        """The other person (both, on expiry) hears only that it will not go ahead."""
        message = round_blocks.proposal_ended(expired=declined_by is None)
        for user_id in (proposal.mentor_id, proposal.mentee_id):
            if user_id == declined_by:
                continue  # the decliner sees their answer in place of the buttons
            self._retire_consent(session, proposal, user_id, now)
            store(
                session, team_id=proposal.team_id, key=keys.proposal_ended(proposal.id, user_id),
                channel=user_id, message=message, now=now, dm=True,
            )  # fmt: skip

    def proposal_accepted(
        self, *, session: Session, proposal: Proposal, answered_by: str, now: datetime
    ) -> None:
        """The first to accept sees the outcome where their "I'll let you know" was."""
        self._retire_consent(session, proposal, partner_of(proposal, answered_by), now)

    def pair_closed(self, *, session: Session, pair: Pair, now: datetime) -> None:
        """The kick-off loses its buttons; the group DM hears once that the pairing ended."""
        if pair.channel_id is None:
            return  # no group DM, no kick-off
        programme = session.get(Programme, pair.programme_id)
        assert programme is not None
        self.replace(
            session=session, team_id=pair.team_id, key=keys.kickoff(pair.id),
            message=round_blocks.kickoff(pair, programme, ended=True), now=now,
        )  # fmt: skip
        to_pair(session, pair, keys.pair_ended(pair.id), round_blocks.pairing_ended_here(), now=now)

    def pairing_ended(
        self, *, session: Session, team_id: str, user_id: str, pair_id: int, now: datetime
    ) -> None:
        """No reasons given: only that it has ended, and what happens next."""
        store(
            session, team_id=team_id, key=keys.pairing_ended(pair_id, user_id), channel=user_id,
            message=round_blocks.pairing_ended(), now=now, dm=True,
        )  # fmt: skip

    def kickoff(self, *, session: Session, pair: Pair, programme: Programme, now: datetime) -> None:
        """The introduction in the pair's group DM."""
        to_pair(
            session, pair, keys.kickoff(pair.id), round_blocks.kickoff(pair, programme), now=now
        )

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
    ) -> None:
        """The period's prompt in the pair's group DM; dropped if it cannot go out in its period."""
        message = keep_going_blocks.prompt_message(pair, prompt, stage=stage)
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
