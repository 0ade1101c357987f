"""Rows for flow tests, each with keyword overrides: a programme, a person who joined, a pair."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.profile import Answers
from bot.domain.states import Meeting, Style
from bot.flows import participants as participant_flows
from bot.store import participants, programmes
from bot.store.models import Pair, Participant, Programme, Proposal, Round
from tests.support.constants import OWNER, TEAM_ID
from tests.support.notifier import RecordingNotifier

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday, in working hours


def a_programme(session: Session, name: str = "Spring", **overrides: Any) -> Programme:
    """A programme with the default settings, open for sign-up; any column overridden."""
    programme = programmes.create(
        session=session, team_id=TEAM_ID, name=name, created_by=OWNER, now=NOW
    )
    for column, value in overrides.items():
        setattr(programme, column, value)
    session.flush()
    return programme


def answers(programme: Programme, side: str = "share", **overrides: Any) -> Answers:
    """Intake-survey answers that pass the survey's checks; a mentor shares digital tools."""
    shares, learns = (("digital_tools",), ("leadership",))
    if side == "learn":
        shares, learns = learns, shares
    plain = Answers(
        programme_id=programme.id,
        side=side,  # type: ignore[arg-type]  # a Literal; tests pass the plain string
        stage=0 if side == "share" else 4,
        department="Marketing" if side == "share" else "Finance",
        manager_id=None,
        shares=shares,
        share_other="",
        learns=learns,
        learn_other="",
        style=Style.BETWEEN,
        meeting=Meeting.VIDEO,
        meetings_per_month=2,
        goal="",
        agreed=True,
        # At work around the clock, every day: what they are sent goes whenever a test runs.
        work_start=time(0, 0),
        work_end=time(23, 59),
        work_days=tuple(range(7)),
    )
    return replace(plain, **overrides)


def joined(
    session: Session,
    programme: Programme,
    user_id: str,
    side: str = "share",
    *,
    now: datetime = NOW,
    utc_offset_minutes: int = 0,
    **overrides: Any,
) -> Participant:
    """Someone who joined through the participants flow (their welcome is not recorded)."""
    participant_flows.save_profile(
        session=session,
        team_id=TEAM_ID,
        workspace_id=TEAM_ID,
        user_id=user_id,
        answers=answers(programme, side, **overrides),
        now=now,
        notifier=RecordingNotifier(),
    )
    participant_flows.set_timezone(
        session=session,
        team_id=TEAM_ID,
        user_id=user_id,
        timezone="UTC",
        utc_offset_minutes=utc_offset_minutes,
        now=now,
    )
    found = participants.get(session=session, team_id=TEAM_ID, user_id=user_id)
    assert found is not None
    return found


def a_pair(
    session: Session,
    programme: Programme,
    mentor: str = "U0MENTOR",
    mentee: str = "U0MENTEE",
    **overrides: Any,
) -> Pair:
    """Two people who joined, in an active pair of a confirmed round; any column overridden."""
    for user_id, side in ((mentor, "share"), (mentee, "learn")):
        if participants.get(session=session, team_id=TEAM_ID, user_id=user_id) is None:
            joined(session, programme, user_id, side)
    matching_round = a_round(session, programme)
    values: dict[str, Any] = {
        "team_id": TEAM_ID,
        "programme_id": programme.id,
        "round_id": matching_round.id,
        "mentor_id": mentor,
        "mentee_id": mentee,
        "channel_id": f"G0{mentor[2:]}",
        "status": "active",
        "goals": [],
        "started_at": NOW,
        "ended_at": None,
    }
    pair = Pair(**(values | overrides))
    session.add(pair)
    session.flush()
    return pair


def a_round(session: Session, programme: Programme, **overrides: Any) -> Round:
    """A confirmed matching round of the programme; any column overridden."""
    values: dict[str, Any] = {
        "team_id": TEAM_ID,
        "programme_id": programme.id,
        "status": "confirmed",
        "created_by": OWNER,
        "created_at": NOW,
        "confirmed_at": NOW,
    }
    matching_round = Round(**(values | overrides))
    session.add(matching_round)
    session.flush()
    return matching_round


def a_proposal(
    session: Session, programme: Programme, mentor: str, mentee: str, **overrides: Any
) -> Proposal:
    """A proposal waiting for both answers, in a new confirmed round; any column overridden."""
    values: dict[str, Any] = {
        "team_id": TEAM_ID,
        "round_id": a_round(session, programme).id,
        "programme_id": programme.id,
        "mentor_id": mentor,
        "mentee_id": mentee,
        "score": 1.0,
        "reasons": [],
        "status": "pending",
        "expires_at": NOW + timedelta(days=programme.consent_expiry_days),
        "created_at": NOW,
    }
    proposal = Proposal(**(values | overrides))
    session.add(proposal)
    session.flush()
    return proposal
