"""The participant's journey: join, edit the profile, pause, resume, status, leave."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.domain import pause
from bot.domain.pairs import partner_of
from bot.domain.profile import GROUND_RULES_VERSION, Answers
from bot.domain.slack_ids import is_user_id
from bot.domain.states import ProposalStatus, TallyKind
from bot.domain.working_hours import WorkingHours
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.pair_exit import close_pair
from bot.store import next_checks, outbox, outbox_keys, participants, programmes, rounds, tallies
from bot.store.models import Participant, Programme

NO_PROGRAMME = (
    "There is no programme open for sign-up right now. "
    "A programme owner will announce the next one."
)
NOT_A_MANAGER = (
    "That line manager isn't someone in this workspace, so nothing was saved. "
    "Choose them from the list again, or leave it empty."
)
NOT_JOINED = "You haven't joined a mentoring programme yet. Type `/mentoring join` to sign up."


@dataclass(frozen=True)
class Survey:
    """What the intake survey needs: programmes to choose from and any earlier answers."""

    programmes: Sequence[Programme]
    current: Participant | None


@dataclass(frozen=True)
class Status:
    """A person's place in the programme, for /mentoring status and the App Home."""

    participant: Participant | None
    programme: Programme | None
    partner_id: str | None = None  # the current partner
    awaiting_answer: bool = False  # a proposed partner waits for this person's answer
    hours: WorkingHours | None = None  # their working hours, in their Slack time zone


def survey(
    *, session: Session, team_id: str, workspace_id: str | None, user_id: str, today: date
) -> Survey:
    """The survey to show: programmes open to the person's workspace (and their own, even if
    closed)."""
    current = participants.get(session=session, team_id=team_id, user_id=user_id)
    choices = programmes.open_for_signup(
        session=session, team_id=team_id, workspace_id=workspace_id, today=today
    )
    if current is not None and all(p.id != current.programme_id for p in choices):
        own = programmes.get(session=session, team_id=team_id, programme_id=current.programme_id)
        if own is not None and own.archived_at is None:
            choices.insert(0, own)
    if not choices:
        raise Refusal(NO_PROGRAMME)
    return Survey(programmes=choices, current=current)


def save_profile(
    *,
    session: Session,
    team_id: str,
    workspace_id: str | None,
    user_id: str,
    answers: Answers,
    now: datetime,
    notifier: Notifier,
) -> bool:
    """Store the survey answers (a first join or an edit); True for a first join.

    The time zone comes from Slack's profile after the answer (`set_timezone`): until then a
    newcomer counts as UTC, and someone editing keeps the zone they had.
    """
    if answers.manager_id is not None and not is_user_id(answers.manager_id):
        raise Refusal(NOT_A_MANAGER)
    current = participants.get(session=session, team_id=team_id, user_id=user_id)
    programme = programmes.get(session=session, team_id=team_id, programme_id=answers.programme_id)
    own = current is not None and current.programme_id == answers.programme_id
    own = own and programme is not None and programme.archived_at is None
    is_open = programme is not None and programme in programmes.open_for_signup(
        session=session, team_id=team_id, workspace_id=workspace_id, today=now.date()
    )
    if programme is None or not (is_open or own):
        raise Refusal(NO_PROGRAMME)
    manager_ref = (
        participants.person_ref(
            session=session, team_id=team_id, user_id=answers.manager_id, now=now
        )
        if answers.manager_id
        else None
    )
    fields = {
        "programme_id": programme.id,
        "side": answers.side,
        "stage": answers.stage,
        "department": answers.department,
        "manager_id": answers.manager_id,
        "manager_ref": manager_ref,
        "shares": list(answers.shares),
        "share_other": answers.share_other,
        "learns": list(answers.learns),
        "learn_other": answers.learn_other,
        "style": answers.style,
        "meeting": answers.meeting,
        "meetings_per_month": answers.meetings_per_month,
        "goal": answers.goal,
        **_hours_fields(answers),
        "ground_rules_version": GROUND_RULES_VERSION,
        "agreed_at": now,
        "updated_at": now,
    }
    if current is not None:
        for name, value in fields.items():
            setattr(current, name, value)
        return False
    session.add(
        Participant(
            team_id=team_id,
            user_id=user_id,
            paused=False,
            timezone="UTC",
            utc_offset_minutes=0,
            created_at=now,
            **fields,
        )
    )
    session.flush()
    notifier.welcome(
        session=session, team_id=team_id, user_id=user_id, programme=programme, now=now
    )
    return True


def _hours_fields(answers: Answers) -> dict[str, object]:
    start, end = answers.work_start, answers.work_end
    if start is None or end is None:  # profile.problems refuses this before
        raise Refusal("Tell us when your working day usually starts and ends.", field="work_end")
    return {
        "work_start_minute": start.hour * 60 + start.minute,
        "work_end_minute": end.hour * 60 + end.minute,
        "work_days": "".join(str(d) for d in sorted(set(answers.work_days))),
        "holiday_country": answers.country,
    }


def set_timezone(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    timezone: str,
    utc_offset_minutes: int,
    now: datetime,
) -> None:
    """Record the time zone of Slack's profile (someone who left meanwhile is not re-created);
    their pairs' messages are timed again at the next tick."""
    participant = participants.get(session=session, team_id=team_id, user_id=user_id)
    if participant is None or participant.utc_offset_minutes == utc_offset_minutes:
        if participant is not None:
            participant.timezone = timezone
        return
    participant.timezone, participant.utc_offset_minutes = timezone, utc_offset_minutes
    next_checks.check_person_now(session=session, team_id=team_id, user_id=user_id, now=now)


def set_paused(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    paused: bool,
    now: datetime,
    until: date | None = None,
) -> bool:
    """Pause (until a date in the person's zone, or not) or resume; False when it already was so."""
    participant = participants.get(session=session, team_id=team_id, user_id=user_id)
    if participant is None:
        raise Refusal(NOT_JOINED)
    if until is not None:
        local = pause.local_now(
            now, timezone=participant.timezone, utc_offset_minutes=participant.utc_offset_minutes
        )
        problem = pause.problem_with(until, today=local.date())
        if problem is not None:
            raise Refusal(problem)
    was_paused = participant.paused
    if not participants.set_paused(
        session=session, team_id=team_id, user_id=user_id, paused=paused, until=until, now=now
    ):
        return False
    if paused and not was_paused:
        tallies.add(
            session=session,
            team_id=team_id,
            programme_id=participant.programme_id,
            kind=TallyKind.PAUSED,
            day=now.date(),
        )
    return True


def status(*, session: Session, team_id: str, user_id: str) -> Status:
    """Where the person stands."""
    participant = participants.get(session=session, team_id=team_id, user_id=user_id)
    if participant is None:
        return Status(participant=None, programme=None)
    programme = programmes.get(
        session=session, team_id=team_id, programme_id=participant.programme_id
    )
    pair = rounds.active_pair_of(session=session, team_id=team_id, user_id=user_id)
    partner = None if pair is None else partner_of(pair, user_id)
    proposal = rounds.pending_proposal_of(session=session, team_id=team_id, user_id=user_id)
    awaiting = (
        proposal is not None
        and (proposal.mentor_answer if user_id == proposal.mentor_id else proposal.mentee_answer)
        is None
    )
    return Status(
        participant=participant,
        programme=programme,
        partner_id=partner,
        awaiting_answer=awaiting,
        hours=participants.hours_of(participant),
    )


def can_join(*, session: Session, team_id: str, workspace_id: str | None, today: date) -> bool:
    """Whether any programme is open for sign-up to this workspace (the App Home's *Join*)."""
    return bool(
        programmes.open_for_signup(
            session=session, team_id=team_id, workspace_id=workspace_id, today=today
        )
    )


def leave(
    *, session: Session, team_id: str, user_id: str, now: datetime, notifier: Notifier
) -> bool:
    """Delete the person's personal data, ending their pair kindly; False if nothing to delete."""
    # Locked first: of two confirmations at once, the second finds the person gone already.
    leaving = participants.lock(session=session, team_id=team_id, user_id=user_id)
    pair = rounds.active_pair_of(session=session, team_id=team_id, user_id=user_id)
    if pair is not None:
        close_pair(session=session, pair=pair, now=now, notifier=notifier)
        partner = partner_of(pair, user_id)
        notifier.pairing_ended(
            session=session, team_id=team_id, user_id=partner, pair_id=pair.id, now=now
        )
    proposal = rounds.pending_proposal_of(session=session, team_id=team_id, user_id=user_id)
    if proposal is not None:
        proposal.status, proposal.decided_at = ProposalStatus.CANCELLED, now
        rounds.release_proposal(session=session, proposal_id=proposal.id)
        outbox.drop_pending(
            session=session, team_id=team_id, key_prefix=outbox_keys.consent_prefix(proposal.id)
        )
        notifier.proposal_ended(session=session, proposal=proposal, declined_by=user_id, now=now)
    if leaving is not None:
        tallies.add(
            session=session,
            team_id=team_id,
            programme_id=leaving.programme_id,
            kind=TallyKind.LEFT,
            day=now.date(),
        )
    return participants.delete_person(session=session, team_id=team_id, user_id=user_id)
