"""The real scheduler process, killed mid-send and run twice at once: each key still sent once.

"Once" is what the outbox promises (see bot.slack.outbox.delivery): no call is sent again after its
confirmation was recorded, none is lost, and only a call that was in flight when the process
died may go out again (Slack may have taken it before, or even just after, the kill): one extra
copy at most for each kill that caught it in flight.
"""

import random
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.flows import rounds
from bot.runtime import Runtime
from bot.slack.outbox.notifier import SlackNotifier
from bot.store import outbox
from bot.store.models import OutboxMessage, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import OWNER, SIGNING_SECRET, TEAM_ID, TOKEN
from tests.support.process import base_env
from tests.support.rounds import sign_up_dozen

Said = tuple[str, str]  # (channel, text): what a person sees, and where
SLOW = 0.25  # seconds the fake Slack takes over a post while a process may be killed
notifier = SlackNotifier()


def confirm_round(runtime: Runtime, now: datetime) -> dict[str, Said]:
    """A round confirmed, its consent DMs stored and not yet sent: key -> what each one says."""
    with runtime.sessions.begin() as session:
        programme = session.scalars(select(Programme)).one()
        draft = rounds.preview(
            session=session, team_id=TEAM_ID, programme_id=programme.id, owner_id=OWNER, now=now
        )
        rounds.confirm(
            session=session,
            team_id=TEAM_ID,
            round_id=draft.round.id,
            owner_id=OWNER,
            configured_owners=[OWNER],
            now=now,
            notifier=notifier,
        )
    with runtime.sessions() as session:
        return {
            m.key: ("D" + str(m.payload["channel"])[1:], str(m.payload["text"]))
            for m in session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending"))
        }


def statuses(runtime: Runtime, stored: dict[str, Said]) -> dict[str, str]:
    with runtime.sessions() as session:
        found = session.scalars(select(OutboxMessage).where(OutboxMessage.key.in_(stored)))
        return {m.key: m.status for m in found}


def posted(fake: FakeSlack, stored: dict[str, Said]) -> Counter[str]:
    """How many times Slack holds each key's message."""
    by_content = {said: key for key, said in stored.items()}
    return Counter(by_content[(channel, m["text"])] for (channel, _), m in fake.messages.items())


def tick(database_url: str, fake: FakeSlack, at: datetime, tmp_path: Path) -> subprocess.Popen[str]:
    """`python -m bot tick --at …`: one scheduler pass in its own process, as cron runs it."""
    env = base_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.base_url,
        DATABASE_URL=database_url,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--at", at.isoformat()],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_mid_pass(process: subprocess.Popen[str], fake: FakeSlack, rng: random.Random) -> None:
    """SIGKILL at a random point, once the pass has made a random number of calls."""
    target = len(fake.calls_to("chat.postMessage", include_failed=True)) + rng.randint(1, 4)
    deadline = time.monotonic() + 30
    while (
        len(fake.calls_to("chat.postMessage", include_failed=True)) < target
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.3))  # before, during or after Slack's work on the next call
    process.kill()  # SIGKILL: no clean-up, no last commit
    process.communicate(timeout=10)
    # A request Slack already had is still carried out after its caller died, as on Slack.
    time.sleep(SLOW + 0.25)


@pytest.fixture
def round_to_send(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> tuple[dict[str, Said], datetime]:
    """Twelve people signed up (welcomes sent); a round confirmed, its twelve DMs waiting."""
    sign_up_dozen(slack, fake_slack)
    now = datetime.now(UTC).replace(microsecond=0)
    stored = confirm_round(runtime, now)
    assert len(stored) == 12
    return stored, now


def test_killed_mid_send_and_restarted_each_key_is_sent_once(
    round_to_send: tuple[dict[str, Said], datetime],
    fake_slack: FakeSlack,
    runtime: Runtime,
    database_url: str,
    tmp_path: Path,
) -> None:
    stored, at = round_to_send
    rng = random.Random(database_url.split(":")[0])  # other kill points on each backend
    in_flight: Counter[str] = Counter()  # keys claimed and not recorded when a process died
    recorded_at_kill: list[tuple[set[str], Counter[str]]] = []
    for late_answer in (False, True, False):
        # Slack slow to start (a kill lands before it posts) or slow to answer (after it posted).
        fake_slack.slow_down(delay=SLOW, late_answer=late_answer, methods={"chat.postMessage"})
        kill_mid_pass(tick(database_url, fake_slack, at, tmp_path), fake_slack, rng)
        after_kill, held = statuses(runtime, stored), posted(fake_slack, stored)
        in_flight.update(key for key, status in after_kill.items() if status == outbox.SENDING)
        recorded = {key for key, status in after_kill.items() if status == outbox.SENT}
        # Recorded only once Slack had it, and had it once unless it was in flight before.
        assert all(held[key] == 1 for key in recorded - set(in_flight))
        recorded_at_kill.append((recorded, held))
        # Each restart comes a lease after the last claim (a pass takes seconds, not 30), so it
        # takes back what the dead process held.
        at += outbox.LEASE + timedelta(seconds=30)

    fake_slack.slow_down(delay=0)
    finished = tick(database_url, fake_slack, at, tmp_path)
    _, errors = finished.communicate(timeout=60)
    assert finished.returncode == 0, errors

    final = posted(fake_slack, stored)
    assert set(statuses(runtime, stored).values()) == {outbox.SENT}
    assert set(final) == set(stored)  # none missing
    for recorded, held in recorded_at_kill:  # nothing recorded as sent went out again
        assert {key: final[key] for key in recorded} == {key: held[key] for key in recorded}
    # An extra copy only of a call in flight at a kill, one at most per such kill.
    assert Counter({key: times - 1 for key, times in final.items() if times > 1}) <= in_flight


def test_two_scheduler_processes_on_one_database_never_send_a_key_twice(
    round_to_send: tuple[dict[str, Said], datetime],
    fake_slack: FakeSlack,
    runtime: Runtime,
    database_url: str,
    tmp_path: Path,
) -> None:
    stored, now = round_to_send
    fake_slack.slow_down(delay=0.2, methods={"chat.postMessage"})
    running = [tick(database_url, fake_slack, now, tmp_path) for _ in range(2)]
    sent = 0
    for process in running:
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 0, errors
        sent += sum(int(n) for n in re.findall(r"delivery: sent=(\d+)", errors))
    assert sent == len(stored)
    assert posted(fake_slack, stored) == dict.fromkeys(stored, 1)
    assert set(statuses(runtime, stored).values()) == {outbox.SENT}
