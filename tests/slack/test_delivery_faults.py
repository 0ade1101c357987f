"""Journeys complete when Slack answers 429, 5xx and slowly: nothing twice, nothing lost."""

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import jobs
from bot.runtime import Runtime
from bot.store import outbox, rounds
from bot.store.models import OutboxMessage
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.fakeclock import FakeClock
from tests.support.inputs import button
from tests.support.rounds import JUNIORS, SENIORS, answer, join_dozen, preview, proposals

# The calls the outbox and the scheduler make; interactive calls (views.open within a trigger's
# 3 seconds) have no second chance at Slack either, so faults there are another story.
SENDING_METHODS = {"chat.postMessage", "conversations.open"}


@pytest.fixture(params=["slow to start", "slow to answer"])
def flaky_slack(fake_slack: FakeSlack, request: pytest.FixtureRequest) -> FakeSlack:
    """A Slack that fails a third of the sending calls and is slow on a fifth.

    "Slow to answer" does the work at once and answers late (still within the client's timeout).
    """
    fake_slack.inject_faults(
        share=0.35,
        statuses=(429, 500, 503),
        retry_after=1,
        methods=SENDING_METHODS,
        seed=len(request.param),
    )
    late = request.param == "slow to answer"
    fake_slack.slow_down(delay=0.05, share=0.2, late_answer=late, methods=SENDING_METHODS)
    return fake_slack


def unfinished(runtime: Runtime, *statuses: str) -> int:
    with runtime.sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(statuses or (outbox.PENDING, outbox.SENDING)))
        )
        return int(count or 0)


def catch_up(bot: BotServer, since: datetime) -> datetime:
    """Scheduler ticks, each past the longest back-off, until every pair and message is out.

    Only once the bot's listeners are done may the test move the clock on: a claim held by a
    listener that is still sending would otherwise look abandoned to a tick two minutes
    "later", and be sent twice.
    """
    runtime = bot.runtime
    bot.settle()
    assert not unfinished(runtime, outbox.SENDING)
    ticking = replace(runtime, clock=FakeClock())
    at = since
    for _ in range(40):
        with runtime.sessions() as session:
            unopened = rounds.pairs_without_channel(session=session)  # no kick-off stored yet
        if not unfinished(runtime) and not unopened:
            return at
        at += timedelta(minutes=31)
        jobs.tick(ticking, now=at)
    raise AssertionError(f"{unfinished(runtime)} messages still unsent after 40 ticks")


def assert_each_key_posted_once(runtime: Runtime, fake: FakeSlack) -> list[Call]:
    """Every stored message was confirmed by Slack exactly once; none is left or failed."""
    with runtime.sessions() as session:
        stored = Counter(session.execute(select(OutboxMessage.method, OutboxMessage.status)))
    posts = fake.calls_to("chat.postMessage")
    updates = fake.calls_to("chat.update")  # the spent buttons retired, each once
    assert stored == Counter(
        {("chat.postMessage", outbox.SENT): len(posts), ("chat.update", outbox.SENT): len(updates)}
    )
    said = Counter((fake_channel(c), c.args["text"]) for c in posts)
    assert [what for what, times in said.items() if times > 1] == []
    assert len(fake.messages) == len(posts)  # no post that failed left a message behind
    return posts


def fake_channel(call: Call) -> str:
    return str(call.response["channel"])


def test_join_match_consent_and_kick_off_complete_on_a_flaky_slack(
    slack: SlackDriver, flaky_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    started = datetime.now(UTC)
    join_dozen(slack, flaky_slack)
    at = catch_up(bot, started)
    welcomes = assert_each_key_posted_once(runtime, flaky_slack)
    assert sorted(fake_channel(c) for c in welcomes) == sorted(
        f"D{u[1:]}" for u in JUNIORS + SENIORS
    )

    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    assert "6 proposals sent" in flaky_slack.wait_for_response()[-1]["text"]
    at = catch_up(bot, at)
    posts = assert_each_key_posted_once(runtime, flaky_slack)
    consents = {fake_channel(c): c for c in posts if "will you accept" in c.args["text"]}
    assert len(consents) == 12

    # Answers come from Slack's own clock, so the round's expiry is counted from real time.
    for pending in proposals(runtime)[:2]:
        for user in (pending.mentor_id, pending.mentee_id):
            answer(slack, user, consents[f"D{user[1:]}"], accept=True)
    catch_up(bot, max(at, datetime.now(UTC)))
    posts = assert_each_key_posted_once(runtime, flaky_slack)
    kickoffs = [c for c in posts if fake_channel(c).startswith("G")]
    assert len(kickoffs) == 2
    assert all("Ground rules" in str(c.args["blocks"]) for c in kickoffs)
    assert flaky_slack.calls_to("chat.postMessage", include_failed=True) != posts  # faults hit
