"""A programme's worth of rows for the stats: people, pairs, meetings, ballots, released."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.flows import ballots
from bot.store import programmes
from bot.store.models import (
    CheckinRequest,
    Meeting,
    Pair,
    PairPrompt,
    Participant,
    Programme,
    Proposal,
    Round,
)
from tests.support.constants import OWNER, TEAM_ID

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = NOW - timedelta(weeks=8)


def add_people(
    session: Session, programme: Programme, side: str, stage: int, n: int, *, prefix: str
) -> list[str]:
    ids = [f"U{prefix}{i:04d}" for i in range(n)]
    for i, user_id in enumerate(ids):
        session.add(
            Participant(
                team_id=programme.team_id,
                user_id=user_id,
                programme_id=programme.id,
                side=side,
                stage=stage,
                department="Dept",
                manager_id=None,
                manager_ref=None,
                shares=[],
                share_other="",
                learns=[],
                learn_other="",
                style="between",
                meeting="video",
                meetings_per_month=2,
                goal="",
                timezone="UTC",
                utc_offset_minutes=0,
                # At work around the clock, every day: messages to them go whenever a test runs.
                work_start_minute=0,
                work_end_minute=23 * 60 + 59,
                work_days="0123456",
                paused=False,
                ground_rules_version="2026-11",
                agreed_at=START,
                created_at=START + timedelta(days=i % 14),
                updated_at=START,
            )
        )
    return ids


def seed(session: Session, programme: Programme) -> None:
    """A programme of 30 people, 12 pairs, meetings, prompts, check-ins and closing answers.

    Some groups are deliberately small: 3 "either" people, 2 declined proposals, 3 "stop".
    Answers go through the ballot box and the period-close job, as the bot stores them.
    """
    programme.created_at = START  # its periods count from the seeded history's start
    mentors = add_people(session, programme, "share", 0, 15, prefix="S" + str(programme.id))
    mentees = add_people(session, programme, "learn", 4, 12, prefix="L" + str(programme.id))
    add_people(session, programme, "either", 2, 3, prefix="E" + str(programme.id))
    matching_round = Round(
        team_id=programme.team_id,
        programme_id=programme.id,
        status="confirmed",
        created_by=OWNER,
        created_at=START,
        confirmed_at=START,
    )
    session.add(matching_round)
    session.flush()
    outcomes = ["accepted"] * 12 + ["declined"] * 2 + ["expired"] * 0 + ["pending"] * 1
    for i, status in enumerate(outcomes):
        session.add(
            Proposal(
                team_id=programme.team_id,
                round_id=matching_round.id,
                programme_id=programme.id,
                mentor_id=mentors[i],
                mentee_id=mentees[i % 12],
                score=1.0,
                reasons=[],
                status=status,
                created_at=START,
            )
        )
    for i in range(12):
        pair = Pair(
            team_id=programme.team_id,
            programme_id=programme.id,
            round_id=matching_round.id,
            mentor_id=mentors[i],
            mentee_id=mentees[i],
            status="ended" if i < 2 else "active",
            goals=[],
            started_at=START,
            ended_at=START + timedelta(weeks=4) if i < 2 else None,
        )
        session.add(pair)
        session.flush()
        for week in range(3):
            met_on = START.date() + timedelta(weeks=week, days=1)
            session.add(
                Meeting(team_id=programme.team_id, pair_id=pair.id, met_on=met_on, created_at=NOW)
            )
            session.add(
                PairPrompt(
                    team_id=programme.team_id,
                    pair_id=pair.id,
                    period=week,
                    prompt_id=f"p{week}",
                    topic="digital_tools" if week < 2 or i < 6 else "ai_and_automation",
                    created_at=NOW,
                )
            )
        for user_id in (mentors[i], mentees[i]):
            answered = user_id in mentors  # 12 of 24
            session.add(
                CheckinRequest(
                    team_id=programme.team_id,
                    user_id=user_id,
                    pair_id=pair.id,
                    programme_id=programme.id,
                    kind="checkin",
                    period=0,
                    asked_at=START,
                    answered=answered,
                    answered_in=START.date() if answered else None,
                )
            )
            if user_id in mentees:  # all 12 answered the closing survey
                session.add(
                    CheckinRequest(
                        team_id=programme.team_id,
                        user_id=user_id,
                        pair_id=pair.id,
                        programme_id=programme.id,
                        kind="closing",
                        period=0,
                        asked_at=START,
                        answered=True,
                        answered_in=START.date(),
                    )
                )
    scores = [5] * 6 + [4] * 4 + [2] * 1 + [None] * 1
    for i, score in enumerate(scores):
        cast(
            session,
            programme,
            kind="checkin",
            side="share",
            met="yes" if i < 10 else "no",
            usefulness=score,
            comment=f"comment {i}" if i < 11 else None,
        )
    for i, choice in enumerate(["continue"] * 6 + ["new_partner"] * 3 + ["stop"] * 3):
        cast(
            session,
            programme,
            kind="closing",
            side="learn",
            choice=choice,
            usefulness=4,
            comment=None if i % 2 else f"closing {i}",
        )
    # The first period is long closed by NOW: the job releases it and freezes the snapshots.
    ballots.close_periods(session=session, now=NOW)


def cast(session: Session, programme: Programme, **answer: Any) -> None:
    """One answer into the ballot box of the programme's first period."""
    answer.setdefault("usefulness", None)
    answer.setdefault("comment", None)
    ballots.cast(session=session, programme=programme, now=START, **answer)


def new_programme(session: Session, name: str, *, pilot: bool = False) -> Programme:
    programme = programmes.create(
        session=session, team_id=TEAM_ID, name=name, created_by=OWNER, now=START
    )
    programme.pilot = pilot
    return programme
