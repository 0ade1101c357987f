"""One effect per intent when requests race: previews, confirms, accepts, pauses, leaves.

SQLite serialises writers, so these races only bite on PostgreSQL; they run (harmlessly) on
SQLite too, and the simultaneous cases are what CI runs on PostgreSQL.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.runtime import Runtime
from bot.store import rounds as round_store
from bot.store.models import Engagement, Pair, Proposal, Round, Tally
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, OWNER
from tests.support.inputs import button
from tests.support.participants import join
from tests.support.rounds import JUNIORS, SENIORS, preview, sign_up_dozen

EVERYONE = JUNIORS + SENIORS
QUIET = 0.5  # how long nothing more arrives before a race is taken as finished


def at_once(*requests: Callable[[], Any]) -> list[Any]:
    """Send the requests from separate threads at the same moment."""
    start, results = threading.Barrier(len(requests)), [None] * len(requests)

    def run(index: int) -> None:
        start.wait()
        results[index] = requests[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def quiet(fake: FakeSlack, bot: BotServer) -> None:
    """Wait until the bot has stopped calling Slack for a while (work after the ack is done)."""
    seen = -1
    while seen != len(fake.calls):
        seen = len(fake.calls)
        time.sleep(QUIET)
        bot.settle()


def consent_dms(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if "will you accept" in c.args["text"]]


def two_open_previews(slack: SlackDriver, runtime: Runtime) -> list[dict[str, Any]]:
    """Two previews of one programme, both still open to confirm.

    A second preview cancels the first. Before previews took the programme's lock, two owners
    (or two tabs) asking at the same moment could both find nothing to cancel, and previews
    left open that way still exist; that state is set up here directly, so the confirms below
    race every time.
    """
    shown = [preview(slack), preview(slack)]
    with runtime.sessions.begin() as session:
        session.execute(update(Round).values(status="preview"))
    return shown


def per_person(rows: list[tuple[str, str]]) -> Counter[str]:
    return Counter(user for row in rows for user in row)


def pending_per_person(runtime: Runtime) -> Counter[str]:
    with runtime.sessions() as session:
        query = select(Proposal.mentor_id, Proposal.mentee_id).where(Proposal.status == "pending")
        return per_person([tuple(r) for r in session.execute(query)])  # type: ignore[misc]


def active_pairs_per_person(runtime: Runtime) -> Counter[str]:
    with runtime.sessions() as session:
        query = select(Pair.mentor_id, Pair.mentee_id).where(Pair.status == "active")
        return per_person([tuple(r) for r in session.execute(query)])  # type: ignore[misc]


def test_two_previews_at_once_leave_one_open(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    at_once(lambda: preview(slack), lambda: preview(slack))
    with runtime.sessions() as session:
        statuses = Counter(session.scalars(select(Round.status)))
    assert statuses == Counter({"preview": 1, "cancelled": 1})


def test_two_confirms_at_once_propose_each_person_once(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = two_open_previews(slack, runtime)
    values = [button(s, "round_confirm")["value"] for s in shown]
    assert values[0] != values[1]
    at_once(*[lambda v=v: slack.click(OWNER, action_id="round_confirm", value=v) for v in values])
    replies = [r["text"] for r in fake_slack.wait_for_response(count=2)]
    quiet(fake_slack, bot)

    assert pending_per_person(runtime) == Counter(dict.fromkeys(EVERYONE, 1))
    dms = consent_dms(fake_slack)
    assert Counter(c.response["channel"] for c in dms) == Counter(
        {f"D{u[1:]}": 1 for u in EVERYONE}
    )
    assert sum("6 proposals sent" in t for t in replies) == 1, replies
    assert any("already" in t for t in replies), replies

    # Everyone accepts every consent DM they got, all at the same moment.
    owner_of = {f"D{u[1:]}": u for u in EVERYONE}
    accepts = [
        lambda c=c: slack.click(
            owner_of[c.response["channel"]],
            action_id="consent_accept",
            channel_id=c.response["channel"],
            message_ts=c.response["ts"],
        )
        for c in dms
    ]
    at_once(*accepts)
    quiet(fake_slack, bot)
    assert active_pairs_per_person(runtime) == Counter(dict.fromkeys(EVERYONE, 1))
    kickoffs = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"].startswith("G")
    ]
    assert len(kickoffs) == 6


def test_six_pauses_at_once_count_one_pause(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    slack.command(OWNER, "programme new Spring")
    join(slack, fake_slack)
    answers = at_once(*[lambda: slack.command(ALICE, "pause")] * 6)
    texts = [a.json()["text"] for a in answers]
    assert sum("Paused" in t for t in texts) == 1, texts
    assert sum("already paused" in t for t in texts) == 5, texts
    with runtime.sessions() as session:
        paused = session.scalar(
            select(func.count()).select_from(Tally).where(Tally.kind == "paused")
        )
    assert paused == 1


def test_the_database_holds_one_live_engagement_per_person(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    assert "6 proposals sent" in fake_slack.wait_for_response()[-1]["text"]
    quiet(fake_slack, bot)
    with runtime.sessions() as session:
        proposal = session.scalars(select(Proposal)).first()
        assert proposal is not None
    # Whatever the code above the database decides, a second live row for a person is refused.
    with pytest.raises(IntegrityError), runtime.sessions.begin() as session:
        round_store.engage(
            session=session,
            team_id=proposal.team_id,
            programme_id=proposal.programme_id,
            places={proposal.mentor_id: 1},
            pair_id=None,
            proposal_id=proposal.id,
        )


def test_a_conflict_with_another_process_is_answered_as_already_done(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    with runtime.sessions.begin() as session:
        draft = session.scalars(select(Proposal).order_by(Proposal.id)).first()
        assert draft is not None
        # What another web process has just written for one of the people in this preview.
        session.add(
            Engagement(
                team_id=draft.team_id,
                programme_id=draft.programme_id,
                user_id=draft.mentor_id,
                proposal_id=draft.id,
            )
        )
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    reply = fake_slack.wait_for_response()[-1]["text"]
    quiet(fake_slack, bot)
    assert "already" in reply and "went wrong" not in reply, reply
    assert pending_per_person(runtime) == Counter()
    assert consent_dms(fake_slack) == []


def test_three_leave_clicks_at_once_count_one_leaver(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    slack.command(OWNER, "programme new Spring")
    join(slack, fake_slack)
    asked = slack.command(ALICE, "leave").json()
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    value = next(b for b in buttons if b["action_id"] == "leave_confirm")["value"]
    at_once(*[lambda: slack.click(ALICE, action_id="leave_confirm", value=value)] * 3)
    replies = [r["text"] for r in fake_slack.wait_for_response(count=3)]
    quiet(fake_slack, bot)
    assert sum("personal data is deleted" in t for t in replies) == 1, replies
    assert not any("went wrong" in t for t in replies), replies
    with runtime.sessions() as session:
        left = session.scalar(select(func.count()).select_from(Tally).where(Tally.kind == "left"))
    assert left == 1
