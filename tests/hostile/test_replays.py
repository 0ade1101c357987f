"""A valid request twice: replayed within the window, double-clicked, or retried by Slack."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import jobs
from bot.store.models import Participant, Programme, Proposal, SeenEvent
from tests.fakeslack import FakeSlack, SlackDriver
from tests.fakeslack.driver import Response
from tests.support.bot import Hostile, serve_bot
from tests.support.constants import ALICE, OWNER, SIGNING_SECRET, TEAM_ID
from tests.support.database import snapshot
from tests.support.inputs import button
from tests.support.logs import error_trap
from tests.support.participants import new_programme, open_survey, survey_values
from tests.support.replays import count, home_opened, recording
from tests.support.rounds import consent_dms, preview, sign_up_dozen


def at_once(*requests: Callable[[], Any]) -> list[Any]:
    """Send the requests from separate threads at the same moment (a double click)."""
    start, results = threading.Barrier(len(requests)), [None] * len(requests)

    def run(index: int) -> None:
        start.wait()
        results[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_a_replayed_programme_new_creates_one_programme(hostile: Hostile) -> None:
    slack = recording(hostile)
    assert "open for sign-up" in slack.command(OWNER, "programme new Spring").json()["text"]
    with error_trap() as trap:
        again = slack.replay()
        hostile.settle()
    assert again.status == 401  # the same signature again (see test_replay_window.py)
    assert count(hostile.runtime, Programme) == 1
    assert trap.summary() == []


def test_a_replayed_join_submission_joins_and_welcomes_once(hostile: Hostile) -> None:
    slack = recording(hostile)
    hostile.fake.add_user(ALICE, real_name="Alice")
    new_programme(slack)
    opened = open_survey(slack, hostile.fake)
    view_id = opened.response["view"]["id"]
    assert slack.submit_view(ALICE, view_id=view_id, values=survey_values()).status == 200
    hostile.settle()
    before = snapshot(hostile.runtime)
    with error_trap() as trap:
        assert slack.replay().status == 401
        hostile.settle()
    after = snapshot(hostile.runtime)
    assert count(hostile.runtime, Participant) == 1
    assert after["outbox"] == before["outbox"]  # one welcome, sent once
    assert len(hostile.fake.calls_to("chat.postMessage")) == 1
    assert trap.summary() == []


def confirmed_round(slack: SlackDriver, fake: FakeSlack) -> dict[str, Any]:
    sign_up_dozen(slack, fake)
    return preview(slack)


def test_a_double_clicked_confirm_proposes_once(hostile: Hostile) -> None:
    shown = confirmed_round(hostile.slack, hostile.fake)
    value = button(shown, "round_confirm")["value"]
    with error_trap() as trap:
        at_once(*[lambda: hostile.slack.click(OWNER, action_id="round_confirm", value=value)] * 2)
        hostile.settle()
    consent_dms(hostile.fake, 12)
    hostile.settle()
    assert len(hostile.fake.calls_to("chat.postMessage")) == 12  # one DM per person
    assert count(hostile.runtime, Proposal) == 6
    assert trap.summary() == []


def test_a_replayed_and_double_clicked_consent_answers_once(hostile: Hostile) -> None:
    slack = recording(hostile)
    shown = confirmed_round(slack, hostile.fake)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(hostile.fake, 12)
    hostile.settle()
    with hostile.runtime.sessions() as session:
        first = session.scalars(select(Proposal).order_by(Proposal.id)).first()
        assert first is not None
    dm = dms[f"D{first.mentor_id[1:]}"]

    def accept() -> Response:
        return slack.click(
            first.mentor_id,
            action_id="consent_accept",
            channel_id=dm.response["channel"],
            message_ts=dm.response["ts"],
        )

    with error_trap() as trap:
        at_once(accept, accept)
        hostile.settle()
        slack.replay()
        hostile.settle()
    with hostile.runtime.sessions() as session:
        answered = session.get(Proposal, first.id)
        assert answered is not None and answered.status == "pending"
        assert answered.mentor_answer == "accepted"
    # One "I'll let you know" and the rest "already": nothing was sent to the partner.
    texts = [r["text"] for r in hostile.fake.responses]
    assert sum("let you know" in t for t in texts) == 1, texts
    assert trap.summary() == []


def test_a_retried_event_is_handled_once(hostile: Hostile) -> None:
    assert home_opened(hostile.slack, "Ev0RETRY1").status == 200
    hostile.fake.wait_for("views.publish")
    for retry in (1, 2, 3):
        assert home_opened(hostile.slack, "Ev0RETRY1", retry).status == 200
    hostile.settle()
    assert len(hostile.fake.calls_to("views.publish")) == 1
    assert home_opened(hostile.slack, "Ev0OTHER1").status == 200  # a new event is handled
    hostile.fake.wait_for("views.publish", count=2)


def test_the_event_dedupe_survives_a_restart(
    hostile: Hostile, database_url: str, fake_slack: FakeSlack
) -> None:
    assert home_opened(hostile.slack, "Ev0RESTART").status == 200
    fake_slack.wait_for("views.publish")
    # A new process on the same database: nothing of the first one's memory is left.
    with serve_bot(database_url, fake_slack.base_url) as restarted_bot:
        restarted = SlackDriver(
            bot_url=restarted_bot.url,
            signing_secret=SIGNING_SECRET,
            fake=fake_slack,
            team_id=TEAM_ID,
        )
        assert home_opened(restarted, "Ev0RESTART", retry=1).status == 200
        restarted_bot.settle()
    assert len(fake_slack.calls_to("views.publish")) == 1


def test_old_event_ids_are_forgotten_by_the_scheduler(hostile: Hostile) -> None:
    assert home_opened(hostile.slack, "Ev0OLD").status == 200
    hostile.settle()
    jobs.forget_seen_events(hostile.runtime, datetime.now(UTC) + timedelta(minutes=30))
    assert count(hostile.runtime, SeenEvent) == 1  # still inside Slack's retry window
    jobs.forget_seen_events(hostile.runtime, datetime.now(UTC) + jobs.SEEN_EVENTS_KEPT * 2)
    assert count(hostile.runtime, SeenEvent) == 0


def test_two_programme_new_at_once_create_one(hostile: Hostile) -> None:
    slack = hostile.slack
    with error_trap() as trap:
        answers = at_once(*[lambda: slack.command(OWNER, "programme new Twice")] * 3)
        hostile.settle()
    texts = sorted(a.json()["text"] for a in answers)
    assert sum("open for sign-up" in t for t in texts) == 1, texts
    assert count(hostile.runtime, Programme) == 1
    assert trap.summary() == []


def test_two_join_submissions_at_once_join_and_welcome_once(hostile: Hostile) -> None:
    slack = hostile.slack
    hostile.fake.add_user(ALICE, real_name="Alice")
    new_programme(slack)
    views = [open_survey(slack, hostile.fake).response["view"]["id"] for _ in range(3)]
    with error_trap() as trap:
        answers = at_once(
            *[
                lambda v=v: slack.submit_view(ALICE, view_id=v, values=survey_values())
                for v in views
            ]
        )
        hostile.settle()
    assert [a.status for a in answers] == [200, 200, 200]
    assert count(hostile.runtime, Participant) == 1
    assert len(hostile.fake.calls_to("chat.postMessage")) == 1
    assert trap.summary() == []
