"""What flows need to say to people; the Slack side decides how (bot.slack.outbox.notifier).

Every method stores its message in the same transaction as the change that causes it, under a
key, so a message is sent once whatever is retried.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot.domain.find_time import Place
from bot.domain.prompts import Prompt, Stage
from bot.domain.states import StillIn
from bot.store.models import (
    CheckinRequest,
    Meeting,
    Pair,
    Participant,
    Programme,
    Proposal,
)


class GroupDMs(Protocol):
    """Opening a group DM for a pair: the one Slack call a flow needs an answer from."""

    def open_group(self, *, team_id: str, users: Sequence[str]) -> str | None:
        """The channel id of the group DM of these people, or None if it could not be opened."""


class Notifier(Protocol):
    """Outgoing messages of the participant and matching journeys."""

    def welcome(
        self, *, session: Session, team_id: str, user_id: str, programme: Programme, now: datetime
    ) -> None:
        """Welcome someone who just joined: what happens next, how to change things."""

    def resumed(
        self, *, session: Session, team_id: str, user_id: str, until: date, now: datetime
    ) -> None:
        """Tell someone whose pause ended on its date that they are active again."""

    def consent_request(
        self, *, session: Session, proposal: Proposal, programme: Programme, now: datetime
    ) -> None:
        """Ask each of the two, privately, whether they accept the other."""

    def consent_reminder(
        self,
        *,
        session: Session,
        proposal: Proposal,
        programme: Programme,
        viewer: str,
        now: datetime,
    ) -> None:
        """Remind one of the two, a day before the proposal closes, that it awaits them."""

    def left_over(
        self, *, session: Session, participant: Participant, round_id: int, now: datetime
    ) -> None:
        """Tell someone left unmatched that they are first in line next round."""

    def proposal_ended(
        self, *, session: Session, proposal: Proposal, declined_by: str | None, now: datetime
    ) -> None:
        """Tell the other person (or both, on expiry) that the match will not go ahead, and
        retire the buttons of their consent DM."""

    def proposal_accepted(
        self, *, session: Session, proposal: Proposal, answered_by: str, now: datetime
    ) -> None:
        """Retire the buttons of the one who accepted first: both have now accepted."""

    def pairing_ended(
        self, *, session: Session, team_id: str, user_id: str, pair_id: int, now: datetime
    ) -> None:
        """Tell someone, kindly and without reasons, that their pairing has ended."""

    def programme_archived(
        self,
        *,
        session: Session,
        programme: Programme,
        user_id: str,
        proposal: Proposal | None,
        now: datetime,
    ) -> None:
        """Tell someone kindly that their programme has closed, so their proposal (its consent
        DM's buttons retired) or their pairing ends here."""

    def pair_closed(self, *, session: Session, pair: Pair, now: datetime) -> None:
        """Retire the buttons of an ended pair's kick-off, and say once in its group DM it ended."""

    def kickoff(
        self,
        *,
        session: Session,
        pair: Pair,
        programme: Programme,
        now: datetime,
        times: Sequence[datetime] = (),
    ) -> None:
        """Introduce a new pair in their group DM, who moves first, and suggested times."""

    def goals_set(self, *, session: Session, pair: Pair, set_by: str, now: datetime) -> None:
        """Show the pair their goals in their group DM."""

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
        """Send a concern to one owner; the sender is named only when `raised_by` is given."""

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
        """Ask one of the two, privately, how the round went and what they want next."""

    def round_over(self, *, session: Session, pair: Pair, user_id: str, now: datetime) -> None:
        """Tell someone kindly that their pair won't carry on, never whose choice it was."""

    def round_continues(
        self, *, session: Session, pair: Pair, round_index: int, now: datetime
    ) -> None:
        """Tell the pair, in their group DM, that both chose to carry on."""

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
        """Post the period's conversation prompt in the pair's group DM, with *We met* and
        suggested times."""

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
        """Gently remind a pair that has recorded no meeting since `since`; False if this gap's
        nudge was already stored (only its key records it)."""

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
        """Ask one person privately how the last period went."""

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
        """Show another batch of suggested times in the message at `place` (*Other times*)."""

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
        """Remind the first mover privately, once, that nothing is planned; False if it was
        already stored."""

    def did_it_happen(
        self, *, session: Session, pair: Pair, meeting: Meeting, now: datetime
    ) -> None:
        """Ask the pair once, in their group DM, whether a planned meeting happened."""

    def meeting_answered(
        self, *, session: Session, pair: Pair, meeting: Meeting, answered_by: str, now: datetime
    ) -> None:
        """Replace the "Did it happen?" question with its answer."""

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
        """Ask someone quiet for two periods, privately and once: still in, pause, or leave."""

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
        """Retire the question's buttons, saying how it was settled."""

    def paused_for_silence(
        self, *, session: Session, team_id: str, user_id: str, pair: Pair, now: datetime
    ) -> None:
        """Tell someone the unanswered question paused them, and how to come back."""
