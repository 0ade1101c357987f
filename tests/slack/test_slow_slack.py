"""Every request is answered within Slack's 3 seconds, however slow or rate-limited Slack is.

Fifty people act at once (commands, consent clicks, survey submissions) while every Web API
call answers four seconds late, or with 429: each gets its answer in time, and every message
their requests caused still arrives, once.
"""

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot import jobs
from tests.fakeslack import FakeSlack, Response, SlackDriver
from tests.support.bot import BotServer, serve_bot
from tests.support.constants import OWNER, SIGNING_SECRET, TEAM_ID
from tests.support.database import empty_database
from tests.support.inputs import button
from tests.support.participants import open_survey, survey_values
from tests.support.rounds import SENIORS, consent_dms, preview, sign_up_dozen

ACK_LIMIT = 3.0
KICKOFF = "Your mentoring pair starts here"
NEWCOMERS = [f"U0NEW{n:02d}" for n in range(10)]
JOINERS = [f"U0JOIN{n:02d}" for n in range(14)]
BYSTANDERS = [f"U0LOOK{n:02d}" for n in range(14)]


@pytest.fixture
def roomy_bot(database_url: str, fake_slack: FakeSlack) -> Iterator[BotServer]:
    """A bot of its own with a wide after-ack pool, so a slow Slack does not make the test slow."""
    with serve_bot(database_url, fake_slack.base_url, work_threads=32) as served:
        try:
            yield served
        finally:
            served.settle()
            fake_slack.reset()
            empty_database(served.runtime.sessions)


def at_once(requests: list[Callable[[], Response]]) -> list[Response]:
    """Send every request at the same moment, each from its own thread."""
    start = threading.Barrier(len(requests))
    answers: list[Response | None] = [None] * len(requests)

    def send(index: int) -> None:
        start.wait()
        answers[index] = requests[index]()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


@pytest.mark.parametrize("trouble", ["slow", "rate_limited"])
def test_fifty_requests_are_answered_in_time_and_every_message_arrives_once(
    roomy_bot: BotServer, fake_slack: FakeSlack, trouble: str
) -> None:
    slack = SlackDriver(
        bot_url=roomy_bot.url, signing_secret=SIGNING_SECRET, fake=fake_slack, team_id=TEAM_ID
    )
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(fake_slack, 12)
    for user in NEWCOMERS + JOINERS + BYSTANDERS:
        fake_slack.add_user(user)
    forms = {
        user: open_survey(slack, fake_slack, user).response["view"]["id"] for user in NEWCOMERS
    }
    roomy_bot.settle()
    before = len(fake_slack.calls)

    if trouble == "slow":
        fake_slack.slow_down(delay=4.0, late_answer=True)
    else:
        fake_slack.inject_faults(share=1.0, statuses=[429], retry_after=2)

    def accept(channel: str) -> Callable[[], Response]:
        dm = dms[channel].response
        return lambda: slack.click(
            "U" + channel[1:], action_id="consent_accept", channel_id=channel, message_ts=dm["ts"]
        )

    def submit(user: str) -> Callable[[], Response]:
        return lambda: slack.submit_view(user, view_id=forms[user], values=survey_values())

    def command(user: str, text: str) -> Callable[[], Response]:
        return lambda: slack.command(user, text)

    requests = (
        [accept(channel) for channel in dms]
        + [submit(user) for user in NEWCOMERS]
        + [command(user, "join") for user in JOINERS]
        + [command(user, "status" if n % 2 else "help") for n, user in enumerate(BYSTANDERS)]
    )
    assert len(requests) == 50
    answers = at_once(requests)
    assert [a.status for a in answers] == [200] * 50
    late = sorted(round(a.elapsed, 2) for a in answers if a.elapsed >= ACK_LIMIT)
    assert not late, f"answered after {ACK_LIMIT} s: {late}"

    # Slack recovers; what the requests stored is sent, once, by the next ticks.
    roomy_bot.settle(timeout=60)
    fake_slack.slow_down(delay=0.0, share=0.0)
    fake_slack.inject_faults(share=0.0)
    for minutes in (1, 2, 3):  # past every Retry-After and pacing gap
        jobs.tick(roomy_bot.runtime, now=datetime.now(UTC) + timedelta(minutes=minutes))
        roomy_bot.settle()
    posted = [c for c in fake_slack.calls[before:] if c.method == "chat.postMessage" and c.ok]
    sent: dict[tuple[str, str], int] = {}
    for call in posted:
        key = (str(call.args["channel"]), str(call.args["text"]))
        sent[key] = sent.get(key, 0) + 1
    assert all(n == 1 for n in sent.values()), [k for k, n in sent.items() if n > 1]
    welcomed = {c.args["channel"] for c in posted if c.args["text"].startswith("Welcome")}
    assert welcomed == set(NEWCOMERS)
    kickoffs = {c.args["channel"] for c in posted if c.args["text"] == KICKOFF}
    assert len(kickoffs) == len(SENIORS)  # six pairs, each introduced once in its group DM
