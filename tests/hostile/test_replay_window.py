"""A signed request replayed byte for byte inside Slack's five-minute window is refused.

The signatures already accepted are kept in the database, so a second web process refuses
a replay of what the first one served; Slack's own retries carry a new signature and still
go through.
"""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot import jobs
from bot.app import build_bolt_app, build_runtime
from bot.store.models import Participant, SeenSignature, Tally
from bot.web import make_wsgi_app
from tests.fakeslack import FakeSlack
from tests.support.bot import Hostile
from tests.support.constants import ALICE, OWNER, SIGNING_SECRET, TEAM_ID
from tests.support.database import snapshot
from tests.support.logs import error_trap
from tests.support.participants import join, new_programme
from tests.support.replays import RecordingDriver, count, home_opened, recording
from tests.support.served import Served
from tests.support.settings import make_settings


def joined(hostile: Hostile) -> RecordingDriver:
    slack = recording(hostile)
    hostile.fake.add_user(ALICE, real_name="Alice")
    new_programme(slack)
    join(slack, hostile.fake)
    hostile.settle()
    return slack


def paused_tallies(hostile: Hostile) -> int:
    with hostile.runtime.sessions() as session:
        query = select(func.count()).select_from(Tally).where(Tally.kind == "paused")
        return int(session.scalar(query) or 0)


def is_paused(hostile: Hostile) -> bool:
    with hostile.runtime.sessions() as session:
        person = session.scalar(select(Participant).where(Participant.user_id == ALICE))
        assert person is not None
        return person.paused


def test_a_replayed_pause_after_a_resume_does_not_pause_again(hostile: Hostile) -> None:
    slack = joined(hostile)
    assert "Paused" in slack.command(ALICE, "pause").json()["text"]
    pause = slack.last
    assert "active again" in slack.command(ALICE, "resume").json()["text"]
    time.sleep(2)  # a few seconds later, well inside the five minutes
    slack.last = pause
    with error_trap() as trap:
        replayed = slack.replay()
        hostile.settle()
    assert replayed.status == 401
    assert not is_paused(hostile)
    assert paused_tallies(hostile) == 1
    assert trap.summary() == []


def test_a_replay_changes_nothing(hostile: Hostile) -> None:
    slack = recording(hostile)
    assert "open for sign-up" in slack.command(OWNER, "programme new Spring").json()["text"]
    hostile.settle()
    before, calls = snapshot(hostile.runtime), len(hostile.fake.calls)
    with error_trap() as trap:
        assert slack.replay().status == 401
        hostile.settle()
    assert snapshot(hostile.runtime) == before
    assert len(hostile.fake.calls) == calls
    assert trap.summary() == []


def test_a_replay_to_another_web_process_is_refused(
    hostile: Hostile, database_url: str, fake_slack: FakeSlack
) -> None:
    slack = joined(hostile)
    assert "Paused" in slack.command(ALICE, "pause").json()["text"]
    slack.command(ALICE, "resume")
    pause = slack.last
    # A second web process on the same database, as production scales them.
    runtime = build_runtime(make_settings(database_url, fake_slack.base_url))
    served = Served(make_wsgi_app(build_bolt_app(runtime), runtime))
    try:
        other = RecordingDriver(
            bot_url=served.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
        )
        other.last = pause
        assert other.replay().status == 401
    finally:
        served.stop()
        runtime.close()
    assert not is_paused(hostile)


def test_slack_retries_of_an_event_still_go_through(hostile: Hostile) -> None:
    assert home_opened(hostile.slack, "Ev0WINDOW").status == 200
    hostile.fake.wait_for("views.publish")
    for retry in (1, 2):  # each retry is signed anew, with a new timestamp
        assert home_opened(hostile.slack, "Ev0WINDOW", retry).status == 200
    hostile.settle()
    assert len(hostile.fake.calls_to("views.publish")) == 1  # still handled once


def test_seen_signatures_are_forgotten_after_the_window(hostile: Hostile) -> None:
    hostile.slack.command(OWNER, "help")
    hostile.settle()
    assert count(hostile.runtime, SeenSignature) == 1
    now = datetime.now(UTC)
    jobs.forget_seen_events(hostile.runtime, now + timedelta(minutes=4))
    assert count(hostile.runtime, SeenSignature) == 1  # a replay could still be in its window
    jobs.forget_seen_events(hostile.runtime, now + jobs.SEEN_SIGNATURES_KEPT + timedelta(minutes=1))
    assert count(hostile.runtime, SeenSignature) == 0
