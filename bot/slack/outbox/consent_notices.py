"""Outgoing messages of consent: the proposal's DMs, their reminder and outcome, the left-over
DM, and a programme's archiving (a part of the SlackNotifier)."""

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.pairs import partner_of
from bot.slack.outbox.posts import content, store
from bot.slack.participants import blocks as participant_blocks
from bot.slack.rounds import blocks as round_blocks
from bot.store import outbox, participants
from bot.store import outbox_keys as keys
from bot.store.models import Participant, Programme, Proposal


class ConsentNotices:
    """The SlackNotifier's messages about proposals and the people a round leaves over."""

    def _retire_consent(
        self, session: Session, proposal: Proposal, viewer: str, now: datetime
    ) -> None:
        message = round_blocks.consent_outcome(proposal, viewer=viewer)
        outbox.replace(
            session=session, team_id=proposal.team_id, key=keys.consent(proposal.id, viewer),
            content=content(message), now=now,
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

    def programme_archived(
        self,
        *,
        session: Session,
        programme: Programme,
        user_id: str,
        proposal: Proposal | None,
        now: datetime,
    ) -> None:
        """The programme closed: the consent DM loses its buttons; a kind word, once."""
        if proposal is not None:
            self._retire_consent(session, proposal, user_id, now)
        message = participant_blocks.programme_archived(programme)
        store(
            session, team_id=programme.team_id, key=keys.programme_archived(programme.id, user_id),
            channel=user_id, message=message, now=now, dm=True,
        )  # fmt: skip
