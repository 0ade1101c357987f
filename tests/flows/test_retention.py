"""Retention as the scheduler runs it: a quiet programme's people deleted after RETENTION_MONTHS."""

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot import jobs
from bot.domain.profile import GONE
from bot.runtime import Runtime
from bot.store import audit
from bot.store.models import AuditEntry, CheckinAnswer, Pair, Participant
from tests.support.constants import TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.factories import NOW, a_pair, a_programme, joined

DAY = timedelta(days=1)
# The quiet programme: its last pair ended at NOW, a late sign-up changed nothing since.
QUIET = ("U0ALICE", "U0BOB", "U0CAROL")
# Still going, or still waiting for a first round: kept however long it takes.
KEPT = ("U0DAVE", "U0ERIN", "U0FRANK")


def seed(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        quiet = a_programme(session, "Quiet")
        a_pair(
            session,
            quiet,
            "U0ALICE",
            "U0BOB",
            status="ended",
            ended_at=NOW,
            goals=["alice-and-bob-goal"],
        )
        joined(session, quiet, "U0CAROL", now=NOW - 30 * DAY)
        session.add(
            CheckinAnswer(
                id="anon1",
                team_id=TEAM_ID,
                programme_id=quiet.id,
                side="share",
                week=NOW.date(),
                met="yes",
                usefulness=4,
                comment="anonymous and kept",
            )
        )
        going = a_programme(session, "Going")
        a_pair(session, going, "U0DAVE", "U0ERIN", started_at=NOW - 400 * DAY)
        waiting = a_programme(session, "Waiting")
        joined(session, waiting, "U0FRANK", now=NOW - 400 * DAY)
        for age, detail in ((25 * 31 * DAY, "old entry"), (DAY, "recent entry")):
            audit.add(
                session=session,
                team_id=TEAM_ID,
                actor_id="UOWNER1",
                action="stats",
                detail=detail,
                now=NOW - age,
            )


def audit_details(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(AuditEntry.detail)))


def signed_up(runtime: Runtime) -> set[str]:
    with runtime.sessions() as session:
        return set(session.scalars(select(Participant.user_id)))


def test_a_quiet_programme_s_people_are_deleted_once_the_retention_time_is_up(
    runtime: Runtime,
) -> None:
    seed(runtime)
    jobs.tick(runtime, now=NOW + 364 * DAY)
    assert signed_up(runtime) == {*QUIET, *KEPT}
    assert audit_details(runtime) == ["recent entry"]  # 24 months by default

    jobs.tick(runtime, now=NOW + 367 * DAY)
    assert signed_up(runtime) == set(KEPT)
    for person in QUIET:
        assert rows_mentioning(runtime, person) == []
    assert rows_mentioning(runtime, "alice-and-bob-goal") == []
    with runtime.sessions() as session:
        quiet_pair = session.scalars(select(Pair).where(Pair.status == "ended")).one()
        assert (quiet_pair.mentor_id, quiet_pair.mentee_id) == (GONE, GONE)
        assert session.scalars(select(CheckinAnswer.comment)).all() == ["anonymous and kept"]
    for person in KEPT:
        assert rows_mentioning(runtime, person)


def test_retention_follows_its_settings(runtime: Runtime) -> None:
    seed(runtime)
    shorter = runtime.settings.model_copy(update={"retention_months": 1})
    jobs.apply_retention(replace(runtime, settings=shorter), NOW + 32 * DAY)
    assert signed_up(runtime) == set(KEPT)
