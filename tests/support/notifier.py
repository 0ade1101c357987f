"""A Notifier that sends nothing and remembers what it was asked to say."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.find_time import Place
from bot.domain.prompts import Prompt, Stage
from bot.domain.states import StillIn
from bot.flows.notify import Notifier
from bot.store.models import CheckinRequest, Meeting, Pair, Participant, Programme, Proposal


@dataclass(frozen=True)
class Notice:
    """One call to the notifier: the method's name and its arguments (all but the session)."""

    method: str
    args: dict[str, Any]


class RecordingNotifier:
    """Implements bot.flows.notify.Notifier for flow tests: each call lands in `notices`."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self._nudged: set[tuple[int, date]] = set()

    def _record(self, method: str, **args: Any) -> None:
        self.notices.append(Notice(method, args))

    def of(self, method: str) -> list[Notice]:
        """The calls to one method, in order."""
        return [n for n in self.notices if n.method == method]

    def methods(self) -> list[str]:
        """The name of each call, in order."""
        return [n.method for n in self.notices]

    def clear(self) -> None:
        """Forget what was said so far (a test's arrange step is not what it checks)."""
        self.notices.clear()

    def welcome(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        programme: Programme,
        now: datetime,
    ) -> None:
        self._record("welcome", team_id=team_id, user_id=user_id, programme=programme, now=now)

    def resumed(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        until: date,
        now: datetime,
    ) -> None:
        self._record("resumed", team_id=team_id, user_id=user_id, until=until, now=now)

    def consent_request(
        self,
        *,
        session: Session,  # noqa: ARG002
        proposal: Proposal,
        programme: Programme,
        now: datetime,
    ) -> None:
        self._record("consent_request", proposal=proposal, programme=programme, now=now)

    def consent_reminder(
        self,
        *,
        session: Session,  # noqa: ARG002
        proposal: Proposal,
        programme: Programme,
        viewer: str,
        now: datetime,
    ) -> None:
        self._record(
            "consent_reminder", proposal=proposal, programme=programme, viewer=viewer, now=now
        )

    def left_over(
        self,
        *,
        session: Session,  # noqa: ARG002
        participant: Participant,
        round_id: int,
        now: datetime,
    ) -> None:
        self._record("left_over", participant=participant, round_id=round_id, now=now)

    def proposal_ended(
        self,
        *,
        session: Session,  # noqa: ARG002
        proposal: Proposal,
        declined_by: str | None,
        now: datetime,
    ) -> None:
        self._record("proposal_ended", proposal=proposal, declined_by=declined_by, now=now)

    def proposal_accepted(
        self,
        *,
        session: Session,  # noqa: ARG002
        proposal: Proposal,
        answered_by: str,
        now: datetime,
    ) -> None:
        self._record("proposal_accepted", proposal=proposal, answered_by=answered_by, now=now)

    def pair_closed(self, *, session: Session, pair: Pair, now: datetime) -> None:  # noqa: ARG002
        self._record("pair_closed", pair=pair, now=now)

    def pairing_ended(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        pair_id: int,
        now: datetime,
    ) -> None:
        self._record("pairing_ended", team_id=team_id, user_id=user_id, pair_id=pair_id, now=now)

    def programme_archived(
        self,
        *,
        session: Session,  # noqa: ARG002
        programme: Programme,
        user_id: str,
        proposal: Proposal | None,
        now: datetime,
    ) -> None:
        self._record(
            "programme_archived", programme=programme, user_id=user_id, proposal=proposal, now=now
        )

    def kickoff(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        programme: Programme,
        now: datetime,
        times: Sequence[datetime] = (),
    ) -> None:
        self._record("kickoff", pair=pair, programme=programme, now=now, times=list(times))

    def goals_set(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        set_by: str,
        now: datetime,
    ) -> None:
        self._record("goals_set", pair=pair, set_by=set_by, now=now)

    def concern_raised(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        owner_id: str,
        submission_id: str,
        text: str,
        raised_by: str | None,
        now: datetime,
    ) -> None:
        self._record(
            "concern_raised",
            team_id=team_id,
            owner_id=owner_id,
            submission_id=submission_id,
            text=text,
            raised_by=raised_by,
            now=now,
        )

    def closing_survey(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        user_id: str,
        round_index: int,
        send_at: datetime,
        closes_at: datetime,
        now: datetime,
    ) -> None:
        self._record(
            "closing_survey",
            pair=pair,
            user_id=user_id,
            round_index=round_index,
            send_at=send_at,
            closes_at=closes_at,
            now=now,
        )

    def round_over(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        user_id: str,
        now: datetime,
    ) -> None:
        self._record("round_over", pair=pair, user_id=user_id, now=now)

    def round_continues(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        round_index: int,
        now: datetime,
    ) -> None:
        self._record("round_continues", pair=pair, round_index=round_index, now=now)

    def prompt(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        prompt: Prompt,
        period: int,
        stage: Stage,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
        times: Sequence[datetime] = (),
    ) -> None:
        self._record(
            "prompt",
            pair=pair,
            prompt=prompt,
            period=period,
            stage=stage,
            send_at=send_at,
            expires_at=expires_at,
            now=now,
            times=list(times),
        )

    def nudge(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        since: date,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> bool:
        """Recorded every time; False for a gap already nudged, as the outbox key would say."""
        self._record(
            "nudge", pair=pair, since=since, send_at=send_at, expires_at=expires_at, now=now
        )
        first = (pair.id, since) not in self._nudged
        self._nudged.add((pair.id, since))
        return first

    def checkin(
        self,
        *,
        session: Session,  # noqa: ARG002
        request: CheckinRequest,
        cadence_weeks: int,
        send_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        self._record(
            "checkin",
            request=request,
            cadence_weeks=cadence_weeks,
            send_at=send_at,
            expires_at=expires_at,
            now=now,
        )

    def show_times(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        programme: Programme,
        place: Place,
        viewer: str,
        prompt_id: str | None,
        times: Sequence[datetime],
        skip: int,
        now: datetime,
    ) -> None:
        self._record(
            "show_times", pair=pair, programme=programme, place=place, viewer=viewer,
            prompt_id=prompt_id, times=list(times), skip=skip, now=now,
        )  # fmt: skip

    def first_mover_reminder(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        programme: Programme,
        user_id: str,
        place: Place,
        times: Sequence[datetime],
        now: datetime,
    ) -> bool:
        self._record(
            "first_mover_reminder", pair=pair, programme=programme, user_id=user_id,
            place=place, times=list(times), now=now,
        )  # fmt: skip
        return True

    def did_it_happen(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        meeting: Meeting,
        now: datetime,
    ) -> None:
        self._record("did_it_happen", pair=pair, meeting=meeting, now=now)

    def meeting_answered(
        self,
        *,
        session: Session,  # noqa: ARG002
        pair: Pair,
        meeting: Meeting,
        answered_by: str,
        now: datetime,
    ) -> None:
        self._record(
            "meeting_answered", pair=pair, meeting=meeting, answered_by=answered_by, now=now
        )

    def still_in_question(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        pair_id: int,
        asked_at: datetime,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        self._record(
            "still_in_question", team_id=team_id, user_id=user_id, pair_id=pair_id,
            asked_at=asked_at, expires_at=expires_at, now=now,
        )  # fmt: skip

    def still_in_settled(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        pair_id: int,
        asked_at: datetime,
        outcome: StillIn,
        until: date | None,
        now: datetime,
    ) -> None:
        self._record(
            "still_in_settled", team_id=team_id, user_id=user_id, pair_id=pair_id,
            asked_at=asked_at, outcome=outcome, until=until, now=now,
        )  # fmt: skip

    def paused_for_silence(
        self,
        *,
        session: Session,  # noqa: ARG002
        team_id: str,
        user_id: str,
        pair: Pair,
        now: datetime,
    ) -> None:
        self._record("paused_for_silence", team_id=team_id, user_id=user_id, pair=pair, now=now)


def _implements_the_protocol(notifier: RecordingNotifier) -> Notifier:
    return notifier  # mypy checks here that every method matches bot.flows.notify.Notifier
