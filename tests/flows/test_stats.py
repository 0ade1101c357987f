"""Stats on a real database: the store's GROUP BY counts, the figures, the audit entry."""

from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.anonymity import Rate
from bot.flows import ballots
from bot.flows import participants as participant_flows
from bot.flows import stats as stats_flow
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.notifier import SlackNotifier
from bot.store import programmes
from bot.store.models import (
    AuditEntry,
    CheckinRequest,
    Meeting,
    Pair,
    PairPrompt,
    Participant,
    Programme,
    Proposal,
    Round,
    Tally,
)
from tests.conftest import OWNER, TEAM_ID

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


def test_the_figures_come_from_the_database(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        seed(session, programme)
    with runtime.sessions.begin() as session:
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
        )
    f = report.figures
    assert f.sides.total == 30
    # 3 "either" are too few: they count under "other", with the 12 mentees so it has 5.
    assert f.sides.groups == (("share", 15), ("other", 15))
    assert f.people_as_of == NOW.date()
    # 2 declined proposals (4 people) are too few: the rate is a band, not 86%.
    assert f.consent_rate == Rate(0.8, 1.0)
    assert f.active_pairs == 10
    assert f.met_rate == Rate(1.0, 1.0)  # every active pair has logged a meeting
    assert f.response_rate == Rate(0.5, 0.5)  # 12 of 24, both halves big enough
    # 10 met and 2 did not: "2" would single two people out, so "met" is a band.
    assert f.met_share == Rate(0.8, 1.0)
    assert dict(f.met.groups) == {"other": 12}
    # Six "5"s rest on six people; the "4"s, the "2" and the unscored are "other" together.
    assert dict(f.usefulness.groups) == {"5": 6, "other": 6}
    assert f.average_usefulness == (4.0, 5.0)
    assert dict(f.round_end.groups) == {"continue": 6, "other": 6}
    assert f.continue_rate == Rate(0.5, 0.5)
    assert f.topics.shown() == {"digital_tools": 30, "ai_and_automation": 6}
    assert f.comments and all(c.startswith(("comment", "closing")) for c in f.comments)
    assert f.weekly.signups.groups == ((NOW.date(), 30),)
    assert f.weekly.checkins.total == 12
    assert report.comparison is None
    assert report.topic_labels["digital_tools"]
    with runtime.sessions() as session:
        entry = session.scalar(select(AuditEntry))
        assert entry is not None and (entry.actor_id, entry.action, entry.detail) == (
            OWNER,
            "stats",
            "Spring",
        )


def test_pilot_and_later_programme_are_compared(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        pilot = new_programme(session, "Pilot", pilot=True)
        seed(session, pilot)
        later = new_programme(session, "Wide")
        seed(session, later)
        session.flush()
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="pilot", now=NOW, rng=Random(1)
        )
    assert report.figures.name == "Pilot" and report.others == ["Wide"]
    assert report.comparison is not None
    rows = {label: (a, b) for label, a, b in report.comparison.rows}
    assert rows["Active pairs"] == ("10", "10")
    assert rows["Consent rate"] == ("80–100%", "80–100%")


def test_an_unknown_programme_is_refused(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        with pytest.raises(Refusal, match="no programme yet"):
            stats_flow.report(
                session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
            )
        new_programme(session, "Spring")
        with pytest.raises(Refusal, match="can't find"):
            stats_flow.report(
                session=session,
                team_id=TEAM_ID,
                user_id=OWNER,
                name="Autumn",
                now=NOW,
                rng=Random(1),
            )


def test_leaving_and_pausing_are_tallied_without_anyone_s_id(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        people = add_people(session, programme, "share", 0, 6, prefix="X")
    for user_id in people:
        with runtime.sessions.begin() as session:
            participant_flows.set_paused(
                session=session, team_id=TEAM_ID, user_id=user_id, paused=True, now=NOW
            )
            participant_flows.leave(
                session=session, team_id=TEAM_ID, user_id=user_id, now=NOW, notifier=SlackNotifier()
            )
    with runtime.sessions.begin() as session:
        tallies = session.scalars(select(Tally)).all()
        assert sorted(t.kind for t in tallies) == ["left"] * 6 + ["paused"] * 6
        assert {t.week for t in tallies} == {date(2026, 11, 23)}
        # Shown once the period they left in has closed.
        ballots.close_periods(session=session, now=NOW + timedelta(weeks=2))
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
        )
    assert (report.figures.leavers, report.figures.pauses) == (6, 6)


def test_nine_free_text_answers_are_not_shown(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        people = add_people(session, programme, "learn", 0, 12, prefix="N")
        for n, user_id in enumerate(people):
            session.add(
                CheckinRequest(
                    team_id=TEAM_ID,
                    user_id=user_id,
                    pair_id=_pair(session, programme, user_id).id,
                    programme_id=programme.id,
                    kind="checkin",
                    period=0,
                    asked_at=START,
                    answered=True,
                    answered_in=START.date(),
                )
            )
            cast(
                session,
                programme,
                kind="checkin",
                side="learn",
                met="yes",
                usefulness=4,
                comment=f"note {n}" if n < 9 else None,
            )
        ballots.close_periods(session=session, now=NOW)
    with runtime.sessions.begin() as session:
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
        )
    assert report.figures.comments == ()
    assert "comments" in report.figures.notes
    assert dict(report.figures.met.groups) == {"yes": 12}


def _pair(session: Session, programme: Programme, user_id: str) -> Pair:
    matching_round = Round(
        team_id=TEAM_ID,
        programme_id=programme.id,
        status="confirmed",
        created_by=OWNER,
        created_at=START,
        confirmed_at=START,
    )
    session.add(matching_round)
    session.flush()
    pair = Pair(
        team_id=TEAM_ID,
        programme_id=programme.id,
        round_id=matching_round.id,
        mentor_id="U0SOMEONE",
        mentee_id=user_id,
        status="active",
        goals=[],
        started_at=START,
    )
    session.add(pair)
    session.flush()
    return pair
