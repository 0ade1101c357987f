"""*This isn't working* and *Raise a concern*, end to end through the fake Slack."""

import json
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from bot import jobs
from bot.runtime import Runtime
from bot.store import outbox
from bot.store.models import OutboxMessage, Owner, Participant
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER, TEAM_ID
from tests.support.database import rows_mentioning
from tests.support.inputs import modal_text, typed
from tests.support.pairs import opened_modal, pair, pairs, start_six_pairs
from tests.support.participants import join


def click_in(slack: SlackDriver, user: str, message: Call, action_id: str) -> Any:
    return lambda: slack.click(
        user,
        action_id=action_id,
        channel_id=message.response["channel"],
        message_ts=message.response["ts"],
    )


@pytest.fixture
def six_pairs(slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer) -> dict[int, Call]:
    return start_six_pairs(slack, fake_slack, bot)


def test_this_isnt_working_ends_the_pair_kindly(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, six_pairs: dict[int, Call]
) -> None:
    first_id, kickoff = next(iter(six_pairs.items()))
    first = pair(runtime, first_id)
    # A prompt waiting for later in the pair's DM is withdrawn with the pair; others stay.
    with runtime.sessions.begin() as session:
        later = datetime.now(UTC) + timedelta(days=3)
        for pair_id in (first.id, first.id + 1):
            outbox.enqueue(
                session=session,
                team_id=TEAM_ID,
                key=f"pair:{pair_id}:prompt:1",
                method="chat.postMessage",
                payload={"channel": "G0", "text": "a prompt"},
                now=later,
            )

    asked = opened_modal(fake_slack, click_in(slack, first.mentor_id, kickoff, "pair_exit"))
    assert f"<@{first.mentee_id}>" in modal_text(asked) and "without reasons" in modal_text(asked)
    # A second confirmation opened before the first is submitted (a double click).
    again = opened_modal(fake_slack, click_in(slack, first.mentor_id, kickoff, "pair_exit"))
    assert pair(runtime, first.id).status == "active"  # asking changes nothing

    done = slack.submit_view(first.mentor_id, view_id=asked["id"], values={}).json()
    assert done["response_action"] == "update"
    assert "your pairing has ended" in modal_text(done["view"])
    ended = pair(runtime, first.id)
    assert ended.status == "ended" and ended.ended_at is not None
    told = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "pairing has ended. This" in c.args["text"]
    )
    assert [c.args["channel"] for c in told] == [first.mentee_id]
    # In the group DM: the kick-off's buttons retired, and one note that it has ended.
    group, ts = kickoff.response["channel"], kickoff.response["ts"]
    jobs.tick(runtime, now=datetime.now(UTC) + timedelta(seconds=2))  # paced: 1 post/s there
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == ts)
    assert "actions" not in [b["type"] for b in fake_slack.messages[(group, ts)]["blocks"]]
    noted = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.args["text"] == "This pairing has ended."
    )
    assert [c.args["channel"] for c in noted] == [group]
    posts = len(fake_slack.calls_to("chat.postMessage"))
    assert first.mentor_id not in json.dumps(told[0].args)  # not who, not why
    with runtime.sessions() as session:
        keys = {m.key for m in session.scalars(select(OutboxMessage))}
    assert f"pair:{first.id}:prompt:1" not in keys and f"pair:{first.id + 1}:prompt:1" in keys

    # Clicking twice, or the button again: friendly, and nothing changes.
    twice = slack.submit_view(first.mentor_id, view_id=again["id"], values={}).json()
    assert "already ended" in modal_text(twice["view"])
    jobs.tick(runtime, now=datetime.now(UTC) + timedelta(seconds=4))
    assert len(fake_slack.calls_to("chat.postMessage")) == posts  # the note went once

    # Both are back in the pool, but never proposed to each other again.
    shown = slack.command(OWNER, "match").json()
    assert "0 pairs proposed" in json.dumps(shown["blocks"])
    assert {p.status for p in pairs(runtime)} == {"active", "ended"}


@pytest.mark.usefixtures("six_pairs")
def test_from_the_app_home_and_the_command(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    first = pairs(runtime)[0]
    slack.event({"type": "app_home_opened", "user": first.mentee_id, "tab": "home"})
    home = fake_slack.wait_for("views.publish")[-1].args["view"]
    actions = [
        e["action_id"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert "pair_exit" in actions and "raise_concern" in actions
    home_id = fake_slack.published_home[first.mentee_id]["id"]
    asked = opened_modal(
        fake_slack,
        lambda: slack.click(first.mentee_id, action_id="pair_exit", view_id=home_id),
    )
    assert f"<@{first.mentor_id}>" in modal_text(asked)
    slack.submit_view(first.mentee_id, view_id=asked["id"], values={})
    assert pair(runtime, first.id).status == "ended"
    republished = fake_slack.wait_for("views.publish", count=2)[-1].args["view"]
    assert "pair_exit" not in json.dumps(republished)

    # Not in a pair any more: the command explains, privately, and changes nothing.
    after = opened_modal(fake_slack, lambda: slack.command(first.mentee_id, "rematch"))
    assert "not in a mentoring pair" in modal_text(after)
    second = pairs(runtime)[1]
    by_command = opened_modal(fake_slack, lambda: slack.command(second.mentor_id, "rematch"))
    assert by_command["private_metadata"] == str(second.id)


@pytest.mark.usefixtures("six_pairs")
def test_stale_and_forged_buttons_are_refused(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    first, second = pairs(runtime)[:2]
    for value in ("<!channel>", "12345678901234567890", "\u00b2", str(second.id)):
        shown = opened_modal(
            fake_slack,
            partial(slack.click, first.mentor_id, action_id="pair_exit", value=value),
        )
        assert "callback_id" not in shown  # a notice, not the confirmation
        assert "nothing was changed" in modal_text(shown)
    assert {p.status for p in pairs(runtime)} == {"active"}
    forged_survey = opened_modal(
        fake_slack,
        lambda: slack.click(first.mentor_id, action_id="closing_survey", value=str(first.id)),
    )
    assert "out of date" in modal_text(forged_survey)


def owner_dms(fake: FakeSlack, count: int) -> list[Call]:
    return fake.wait_for(
        "chat.postMessage", count=count, where=lambda c: "concern" in c.args["text"]
    )


def test_a_concern_reaches_every_owner_anonymously_and_inert(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    runtime: Runtime,
    bot: BotServer,
    six_pairs: dict[int, Call],
) -> None:
    first = pairs(runtime)[0]
    for owner in (OWNER, "U0OWNER2"):
        fake_slack.add_user(owner, real_name=owner.title())
    with runtime.sessions.begin() as session:
        session.add(
            Owner(team_id=TEAM_ID, user_id="U0OWNER2", added_by=OWNER, created_at=datetime.now(UTC))
        )
    kickoff = six_pairs[first.id]
    form = opened_modal(fake_slack, click_in(slack, first.mentee_id, kickoff, "raise_concern"))
    concern = "<!channel> *they* keep cancelling <https://evil.example|click>\u202e"
    done = slack.submit_view(
        first.mentee_id, view_id=form["id"], values={"concern": {"concern": typed(concern)}}
    ).json()
    assert "without your name" in modal_text(done["view"])

    sent = owner_dms(fake_slack, 2)
    assert sorted(c.args["channel"] for c in sent) == sorted([OWNER, "U0OWNER2"])
    for call in sent:
        assert call.args["text"] == "A mentoring concern was raised"
        shown = [b["text"] for b in call.args["blocks"] if b["type"] == "section"]
        assert {"type": "plain_text", "text": concern.rstrip("\u202e"), "emoji": False} in shown
        everything = json.dumps(call.args)
        for who in (first.mentee_id, first.mentor_id, str(first.channel_id)):
            assert who not in everything  # nothing identifying, not even the pair
    # Once delivered, the text is nowhere in the database.
    bot.settle()
    assert rows_mentioning(runtime, "keep cancelling") == []


def test_a_named_concern_and_who_may_raise_one(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    outsider = opened_modal(fake_slack, lambda: slack.command("U0NOBODY", "concern"))
    assert "Only people in a mentoring programme" in modal_text(outsider)

    fake_slack.add_user("U0ALICE", real_name="Alice")
    fake_slack.add_user(OWNER, real_name="Owner")
    slack.command(OWNER, "programme new Spring")
    join(slack, fake_slack, "U0ALICE", manager={"type": "users_select", "selected_user": None})
    form = opened_modal(fake_slack, lambda: slack.command("U0ALICE", "concern"))
    blank = slack.submit_view(
        "U0ALICE", view_id=form["id"], values={"concern": {"concern": typed("  \u200b ")}}
    ).json()
    # Under the field, the modal and what was typed kept: no dead end.
    assert blank["response_action"] == "errors" and "empty" in blank["errors"]["concern"]
    assert [c for c in fake_slack.calls_to("chat.postMessage") if "concern" in c.args["text"]] == []
    values = {
        "concern": {"concern": typed("The sessions feel one-sided.")},
        "include_name": {
            "include_name": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}
        },
    }
    done = slack.submit_view("U0ALICE", view_id=form["id"], values=values).json()
    assert "with your name" in modal_text(done["view"])
    sent = owner_dms(fake_slack, 1)
    assert "<@U0ALICE> raised a concern" in json.dumps(sent[0].args["blocks"])
    with runtime.sessions() as session:
        assert session.scalar(select(Participant).where(Participant.user_id == "U0ALICE"))
