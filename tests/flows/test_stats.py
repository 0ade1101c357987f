"""Stats on a real database: the store's GROUP BY counts, the figures, the audit entry."""

import secrets
from datetime import date, timedelta
from random import Random

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.flows import participants as participant_flows
from bot.flows import stats as stats_flow
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.outbox.notifier import SlackNotifier
from bot.store import programmes
from bot.store.models import (
    AuditEntry,
    CheckinAnswer,
    Programme,
    Tally,
)
from tests.support.constants import OWNER, TEAM_ID
from tests.support.stats import NOW, START, add_people, seed


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
    # 3 "either" are too few; "learn" (12) is withheld with them so 30 - 15 tells nothing.
    assert f.sides.groups == (("share", 15), ("learn", None), ("either", None))
    assert f.stages.shown() == {0: 15, 1: 0, 3: 0} and f.stages.total == 30
    # 2 declines are too few; with no expiries, only the 12 accepted can cover them.
    assert f.consent.groups == (("accepted", None), ("declined", None), ("expired", 0))
    assert f.consent_rate is None
    assert f.active_pairs == 10
    assert f.meetings == 36
    # 10 pairs for 8 weeks and 2 for 4 weeks: 88 pair-weeks = 44 two-week periods.
    assert f.meetings_per_pair_per_cadence == pytest.approx(36 / 44)
    assert f.response_rate == 0.5
    assert f.met.groups == (("yes", None), ("rescheduled", 0), ("no", None))  # 2 "no"
    # One "2" among the scores is withheld, so the mean, which would give it away, is too.
    assert f.average_usefulness is None
    assert f.round_end.groups == (("continue", 6), ("new_partner", None), ("stop", None))
    assert f.topics.shown() == {"digital_tools": 30, "ai_and_automation": 6}
    assert f.comments and all(c.startswith(("comment", "closing")) for c in f.comments)
    assert f.weekly.meetings.shown() == {
        START.date() - timedelta(days=START.weekday()) + timedelta(weeks=w): 12 for w in range(3)
    }
    assert f.weekly.signups.total == 30
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
    assert rows["Consent rate"] == ("withheld", "withheld")


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
    with runtime.sessions() as session:
        tallies = session.scalars(select(Tally)).all()
        assert sorted(t.kind for t in tallies) == ["left"] * 6 + ["paused"] * 6
        assert {t.week for t in tallies} == {date(2026, 11, 23)}
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
        )
    assert (report.figures.leavers, report.figures.pauses) == (6, 6)


def test_nine_free_text_answers_are_not_shown(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        programme = new_programme(session, "Spring")
        for n in range(12):
            session.add(
                CheckinAnswer(
                    id=secrets.token_hex(16),
                    team_id=TEAM_ID,
                    programme_id=programme.id,
                    side="learn",
                    week=date(2026, 11, 16),
                    met="yes",
                    usefulness=4,
                    comment=f"note {n}" if n < 9 else None,
                )
            )
    with runtime.sessions.begin() as session:
        report = stats_flow.report(
            session=session, team_id=TEAM_ID, user_id=OWNER, name="", now=NOW, rng=Random(1)
        )
    assert report.figures.comments == ()
    assert report.figures.met.shown() == {"yes": 12, "rescheduled": 0, "no": 0}
