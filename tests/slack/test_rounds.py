"""A matching round end to end: preview, confirm, private consent, kick-off and goals."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import jobs
from bot.domain.text import inert
from bot.runtime import Runtime
from bot.slack.rounds.blocks import answer_by
from bot.store.models import Pair, Participant, Programme
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.inputs import button, many, selected, typed
from tests.support.participants import join
from tests.support.rounds import (
    JUNIORS,
    SENIORS,
    answer,
    consent_dms,
    join_dozen,
    preview,
    proposals,
    sign_up_dozen,
)


def now_says(fake: FakeSlack, dm: Call) -> str:
    """A consent DM's text as it stands, asserting that it has no buttons left."""
    message = fake.messages[(dm.response["channel"], dm.response["ts"])]
    assert "actions" not in [b["type"] for b in message.get("blocks", [])], message
    return str(message["text"])


@pytest.fixture
def confirmed(slack: SlackDriver, fake_slack: FakeSlack) -> dict[str, Call]:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    text = str(shown["blocks"])
    assert "6 pairs proposed" in text
    assert "digital" in text.lower()  # the reasons name the skills
    assert fake_slack.calls_to("chat.postMessage") == []  # a preview sends nothing
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    assert "6 proposals sent" in fake_slack.wait_for_response()[-1]["text"]
    return consent_dms(fake_slack, 12)


def test_preview_confirm_and_both_accept(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, confirmed: dict[str, Call]
) -> None:
    assert set(confirmed) == {f"D{u[1:]}" for u in JUNIORS + SENIORS}
    first = proposals(runtime)[0]
    assert first.status == "pending"
    mentor_dm = confirmed[f"D{first.mentor_id[1:]}"]
    assert "Why you two" in str(mentor_dm.args["blocks"])
    assert "waiting for your answer" in str(slack.command(first.mentor_id, "status").json())
    assert "I'll let you know" in answer(slack, first.mentor_id, mentor_dm, accept=True)
    assert "I'll let you know" in now_says(fake_slack, mentor_dm)  # in place of the buttons
    assert "both accepted" in answer(
        slack, first.mentee_id, confirmed[f"D{first.mentee_id[1:]}"], accept=True
    )

    kickoff = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.args["channel"].startswith("G")
    )
    opened = fake_slack.calls_to("conversations.open")[-1]
    assert set(opened.args["users"].split(",")) == {first.mentor_id, first.mentee_id}
    assert "Ground rules" in str(kickoff[0].args["blocks"])
    with runtime.sessions() as session:
        pair = session.scalar(select(Pair))
        assert pair is not None and pair.channel_id == kickoff[0].args["channel"]
    status = str(slack.command(first.mentee_id, "status").json())
    assert f"*Partner:* <@{first.mentor_id}>" in status and "group DM every 2 weeks" in status

    # Both consent DMs now say how it ended, with nothing left to click.
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == mentor_dm.response["ts"])
    for user in (first.mentor_id, first.mentee_id):
        assert "both accepted" in now_says(fake_slack, confirmed[f"D{user[1:]}"])

    # Goals: the pair sets them through the kick-off's button; others cannot.
    slack.click(
        first.mentee_id,
        action_id="set_goals",
        channel_id=kickoff[0].response["channel"],
        message_ts=kickoff[0].response["ts"],
    )
    modal = fake_slack.wait_for("views.open")[-1]
    blank = slack.submit_view(
        first.mentee_id,
        view_id=modal.response["view"]["id"],
        values={"goal_1": {"goal_1": typed(" \u200b ")}},
    ).json()
    # Under the field, the modal and what was typed kept: no dead end.
    assert blank == {"response_action": "errors", "errors": {"goal_1": "Write at least one goal."}}
    slack.submit_view(
        first.mentee_id,
        view_id=modal.response["view"]["id"],
        values={
            "goal_1": {"goal_1": typed("Ship a TikTok <!channel>")},
            "goal_2": {"goal_2": typed("Learn Notion")},
            "goal_3": {"goal_3": typed("")},
        },
    )
    with runtime.sessions() as session:
        pair = session.scalar(select(Pair))
        assert pair is not None and pair.goals == ["Ship a TikTok <!channel>", "Learn Notion"]
    shown = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "goals are saved" in c.args["text"]
    )
    assert shown[0].args["channel"] == pair.channel_id
    assert {
        "type": "plain_text",
        "text": "1. Ship a TikTok <!channel>\n2. Learn Notion",
        "emoji": False,
    } in [b.get("text") for b in shown[0].args["blocks"]]


def test_decline_is_private_and_forbids_the_pair(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, confirmed: dict[str, Call]
) -> None:
    first = proposals(runtime)[0]
    assert "only hear that this match won't go ahead" in answer(
        slack, first.mentee_id, confirmed[f"D{first.mentee_id[1:]}"], accept=False
    )
    told = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "won't go ahead" in c.args["text"]
    )
    assert [c.args["channel"] for c in told] == [first.mentor_id]
    assert "declin" not in str(told[0].args).lower()  # no reasons, no blame
    # The mentor's Accept and Decline are retired too, still without blame.
    mentor_dm = confirmed[f"D{first.mentor_id[1:]}"]
    fake_slack.wait_for("chat.update", where=lambda c: c.args["ts"] == mentor_dm.response["ts"])
    assert "won't go ahead" in now_says(fake_slack, mentor_dm)
    assert "declin" not in now_says(fake_slack, mentor_dm).lower()
    assert "You declined" in now_says(fake_slack, confirmed[f"D{first.mentee_id[1:]}"])
    # The next round does not propose them again.
    again = str(preview(slack)["blocks"])
    assert (
        "1 pair proposed" in again or "0 pairs proposed" in again or "There aren't enough" in again
    )


def test_unanswered_proposals_expire(
    fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, confirmed: dict[str, Call]
) -> None:
    bot.settle()  # no consent DM still in flight when the clock jumps
    later = datetime.now(UTC) + timedelta(days=8)
    jobs.tick(runtime, now=later)
    assert {p.status for p in proposals(runtime)} == {"expired"}
    expired = fake_slack.wait_for(
        "chat.postMessage", count=12, where=lambda c: "expired" in c.args["text"]
    )
    assert len(expired) == 12
    fake_slack.wait_for("chat.update", count=12)  # every consent DM's buttons retired
    assert all("expired" in now_says(fake_slack, dm) for dm in confirmed.values())


def test_consent_dms_say_what_and_by_when_and_remind_once_a_day_before(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    runtime: Runtime,
    bot: BotServer,
    confirmed: dict[str, Call],
) -> None:
    first = proposals(runtime)[0]
    with runtime.sessions() as session:
        mentor = session.scalars(
            select(Participant).where(Participant.user_id == first.mentor_id)
        ).one()
        programme = session.get(Programme, first.programme_id)
        assert programme is not None
    shown = str(confirmed[f"D{first.mentor_id[1:]}"].args["blocks"])
    assert inert(programme.name) in shown and f"for {programme.round_weeks} weeks" in shown
    by = answer_by(first, offset_minutes=mentor.utc_offset_minutes)
    assert f"Please answer by {by} (your time)" in shown
    answer(slack, first.mentor_id, confirmed[f"D{first.mentor_id[1:]}"], accept=True)
    bot.settle()
    assert first.expires_at is not None
    closes = first.expires_at.replace(tzinfo=UTC)

    def reminders() -> list[Call]:
        return [
            c for c in fake_slack.calls_to("chat.postMessage") if "A reminder" in c.args["text"]
        ]

    jobs.tick(runtime, now=closes - timedelta(days=2))
    assert reminders() == []
    for _ in range(2):  # a second pass sends nothing again
        jobs.tick(runtime, now=closes - timedelta(hours=20))
    sent = reminders()
    # Everyone but the mentor who accepted; each once.
    assert sorted(c.args["channel"] for c in sent) == sorted(
        u for u in JUNIORS + SENIORS if u != first.mentor_id
    )


def test_someone_left_over_is_told_why_in_general_and_how_to_pause(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    join_dozen(slack, fake_slack)
    extra = "U0JUNEXTRA"
    fake_slack.add_user(extra, real_name="Extra")
    join(
        slack,
        fake_slack,
        extra,
        side=selected("share", "radio_buttons"),
        stage=selected("0"),
        department=typed("Dept 9"),
        manager={"type": "users_select", "selected_user": None},
        shares=many("digital_tools"),
        learns=many("leadership"),
    )
    fake_slack.wait_for("chat.postMessage", count=13)  # the welcomes
    fake_slack.reset()
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    (told,) = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "couldn't find you a partner" in c.args["text"]
    )
    assert told.args["channel"] == extra
    text = told.args["text"]
    assert "more people wanted one role than the other" in text
    assert "first in line next round" in text and "/mentoring pause" in text


def test_matching_is_for_owners_and_previews_go_stale(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    assert "Only programme owners" in slack.command(JUNIORS[0], "match").json()["text"]
    sign_up_dozen(slack, fake_slack)
    first = preview(slack)
    second = preview(slack)
    assert button(first, "round_confirm")["value"] != button(second, "round_confirm")["value"]
    # Refused after the ack: Slack still gets its 200 at once, the reply comes by response_url.
    clicked = slack.click(
        OWNER, action_id="round_confirm", value=button(first, "round_confirm")["value"]
    )
    assert clicked.status == 200
    assert "out of date" in fake_slack.wait_for_response()[-1]["text"]
    assert fake_slack.calls_to("chat.postMessage") == []


def test_leaving_ends_the_pair_kindly(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, confirmed: dict[str, Call]
) -> None:
    first = proposals(runtime)[0]
    for user in (first.mentor_id, first.mentee_id):
        answer(slack, user, confirmed[f"D{user[1:]}"], accept=True)
    fake_slack.wait_for("chat.postMessage", where=lambda c: c.args["channel"].startswith("G"))
    slack.command(first.mentor_id, "leave")
    slack.click(first.mentor_id, action_id="leave_confirm", value="leave")
    told = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: "pairing has ended" in c.args["text"]
    )
    assert told[0].args["channel"] == first.mentee_id
    with runtime.sessions() as session:
        pair = session.scalar(select(Pair))
        assert pair is not None and pair.status == "ended"
        assert first.mentor_id not in (pair.mentor_id, pair.mentee_id)
        assert (
            session.scalar(select(Participant).where(Participant.user_id == first.mentor_id))
            is None
        )


def test_someone_who_leaves_before_confirm_is_not_asked(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    slack.command(JUNIORS[0], "leave")
    slack.click(JUNIORS[0], action_id="leave_confirm", value="leave")
    slack.command(SENIORS[0], "pause")
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    sent = fake_slack.wait_for_response(count=2)[-1]["text"]
    asked = {p.mentor_id for p in proposals(runtime) if p.status == "pending"} | {
        p.mentee_id for p in proposals(runtime) if p.status == "pending"
    }
    assert JUNIORS[0] not in asked and SENIORS[0] not in asked and "-" not in asked
    assert f"{len(asked) // 2} proposals sent" in sent
    dms = consent_dms(fake_slack, len(asked))
    assert "<@->" not in str([c.args for c in dms.values()])
