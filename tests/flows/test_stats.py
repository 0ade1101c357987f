"""Stats on a real database: the store's GROUP BY counts, the figures, the audit entry."""

from datetime import date, timedelta
from random import Random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.anonymity import Rate
from bot.flows import ballots
from bot.flows import participants as participant_flows
from bot.flows import stats as stats_flow
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.outbox.notifier import SlackNotifier
from bot.store.models import (
    AuditEntry,
    CheckinRequest,
    Pair,
    Programme,
    Round,
    Tally,
)
from tests.support.constants import OWNER, TEAM_ID
from tests.support.stats import NOW, START, add_people, cast, new_programme, seed


def stats_of(session: Session, name: str) -> stats_flow.Report:
    return stats_flow.report(
        session=session,
        team_id=TEAM_ID,
        user_id=OWNER,
        configured_owners={OWNER},
        name=name,
        now=NOW,
        rng=Random(1),
    )


def test_the_figures_come_from_the_database(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        seed(session, programme)
    with runtime.sessions.begin() as session:
        report = stats_of(session, "")
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
        later.follows_id = pilot.id  # chosen by an owner in the settings modal
        new_programme(session, "Quick test cohort")  # newer, but linked to nothing
        session.flush()
        report, of_later, of_cohort = (
            stats_of(session, name) for name in ("pilot", "Wide", "Quick test cohort")
        )
    assert report.figures.name == "Pilot" and report.others == ["Wide", "Quick test cohort"]
    assert report.comparison is not None
    assert (report.comparison.pilot, report.comparison.later) == ("Pilot", "Wide")
    rows = {label: (a, b) for label, a, b in report.comparison.rows}
    assert rows["Active pairs"] == ("10", "10")
    assert rows["Consent rate"] == ("80–100%", "80–100%")
    # The later programme is compared with its own pilot; an unlinked one with nothing.
    assert of_later.comparison is not None
    assert (of_later.comparison.pilot, of_later.comparison.later) == ("Pilot", "Wide")
    assert of_cohort.comparison is None


def test_an_unknown_programme_is_refused(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        with pytest.raises(Refusal, match="no programme yet"):
            stats_of(session, "")
        new_programme(session, "Spring")
        with pytest.raises(Refusal, match="can't find"):
            stats_of(session, "Autumn")


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
        report = stats_of(session, "")
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
        report = stats_of(session, "")
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
