"""Match controls in the preview: keep a pair, never pair two people, partners per person;
each re-run says what changed, and Confirm sends what is shown."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot import jobs
from bot.runtime import Runtime
from bot.store.models import Pair, PastPair, Programme, Proposal, RoundControl
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.controls import (
    audit_actions,
    choose,
    open_steer,
    pairs_of,
    shown_pairs,
    steer_values,
    what_changed,
)
from tests.support.inputs import button, selected
from tests.support.preview import seed_pool
from tests.support.rounds import JUNIORS, SENIORS, answer, consent_dms, preview, sign_up_dozen


def confirm(slack: SlackDriver, fake: FakeSlack, shown: dict[str, Any]) -> str:
    seen = len(fake.responses)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    return str(fake.wait_for_response(count=seen + 1)[seen]["text"])


def sent_pairs(runtime: Runtime) -> set[tuple[str, str]]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(Proposal.mentor_id, Proposal.mentee_id).where(Proposal.status == "pending")
        )
        return {(a, b) for a, b in rows}


def test_keeping_a_pair_from_its_menu_rematches_around_it_and_confirm_sends_it(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    first, second = shown_pairs(shown)[:2]
    # Keep the first pair's sharer with the second pair's learner: a pair the engine did not
    # propose, so two other people must move.
    view_id = open_steer(slack, fake_slack, shown)
    slack.submit_view(
        OWNER, view_id=view_id, values=steer_values("keep", first.mentor, second.mentee)
    )
    again = fake_slack.wait_for_response()[-1]
    assert again["replace_original"] is True
    kept = [p for p in shown_pairs(again) if p.kept]
    assert [(p.mentor, p.mentee) for p in kept] == [(first.mentor, second.mentee)]
    assert "keep" not in kept[0].menu and "never" in kept[0].menu  # a kept pair is kept
    changed = what_changed(again)
    assert changed.startswith(
        f"*What changed*\nKeeping <@{first.mentor}> with <@{second.mentee}> moved "
    )
    assert "total fit" in changed and "score" not in changed
    assert audit_actions(runtime)[-1] == "pair_kept", audit_actions(runtime)
    # Keeping the same pair again changes nothing (a double click).
    again_twice = choose(slack, fake_slack, kept[0].menu["never"].replace("never", "keep", 1))
    assert pairs_of(again_twice) == pairs_of(again)
    assert "No pair changed" in what_changed(again_twice)
    assert audit_actions(runtime).count("pair_kept") == 1
    # The first preview's Confirm is out of date; the one shown now sends what it shows.
    old = confirm(slack, fake_slack, shown)
    assert "has changed since" in old and sent_pairs(runtime) == set()
    assert "6 proposals sent" in confirm(slack, fake_slack, again_twice)
    assert sent_pairs(runtime) == pairs_of(again_twice)
    assert (first.mentor, second.mentee) in sent_pairs(runtime)
    consent_dms(fake_slack, 12)


def test_never_pair_from_the_menu_splits_them_now_and_in_later_rounds(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    pair = shown_pairs(shown)[0]
    again = choose(slack, fake_slack, pair.menu["never"])
    assert (pair.mentor, pair.mentee) not in pairs_of(again)
    assert len(pairs_of(again)) == 6
    assert f"<@{pair.mentor}>" in what_changed(again)
    assert audit_actions(runtime)[-1] == "pair_excluded"
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PastPair)) == 0
    assert "6 proposals sent" in confirm(slack, fake_slack, again)
    with runtime.sessions() as session:
        # Remembered as never to be proposed again, by pseudonym, like a declined pair.
        assert session.scalar(select(func.count()).select_from(PastPair)) == 1


def test_a_stale_menu_and_a_refused_pin_are_explained(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    runtime: Runtime,  # noqa: ARG001 - the bot, emptied after the test
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    pair = shown_pairs(shown)[0]
    kept = choose(slack, fake_slack, pair.menu["keep"])
    assert "changed no other pair; total fit unchanged." in what_changed(kept)
    # An older page's menu still acts on the pair it showed: keeping it keeps both pins.
    other = shown_pairs(shown)[1]
    both = choose(slack, fake_slack, other.menu["keep"])
    assert sum(p.kept for p in shown_pairs(both)) == 2
    # Never pairing a kept pair: the keep gives way, and the preview says why.
    now_kept = next(
        p for p in shown_pairs(both) if (p.mentor, p.mentee) == (pair.mentor, pair.mentee)
    )
    split = choose(slack, fake_slack, now_kept.menu["never"])
    assert (pair.mentor, pair.mentee) not in pairs_of(split)
    assert (
        f"Couldn't keep <@{pair.mentor}> with <@{pair.mentee}>: you also asked never to pair them"
    ) in what_changed(split)
    for forged in ("keep:1:x", "maybe:1:U0A:U0B", "keep:x:U0JUN0:U0SEN0", "keep:1:U0JUN0:<!a>"):
        assert "out of date" in choose(slack, fake_slack, forged)["text"]
    # A cancelled preview's menu changes nothing.
    seen = len(fake_slack.responses)
    slack.click(OWNER, action_id="round_cancel", value=button(split, "round_cancel")["value"])
    assert "Cancelled" in fake_slack.wait_for_response(count=seen + 1)[seen]["text"]
    assert "out of date" in choose(slack, fake_slack, other.menu["keep"])["text"]


def test_the_modal_refuses_the_same_person_twice_or_someone_not_free(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    sign_up_dozen(slack, fake_slack)
    shown = preview(slack)
    view_id = open_steer(slack, fake_slack, shown)
    view = fake_slack.view(view_id)
    assert view["title"]["text"] == "Keep or separate"
    same = slack.submit_view(
        OWNER, view_id=view_id, values=steer_values("never", JUNIORS[0], JUNIORS[0])
    ).json()
    assert same == {
        "response_action": "errors",
        "errors": {"second": "Choose two different people."},
    }
    stranger = slack.submit_view(
        OWNER, view_id=view_id, values=steer_values("keep", "U0NOBODY", SENIORS[0])
    ).json()
    assert list(stranger["errors"]) == ["first"] and "isn't free" in stranger["errors"]["first"]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RoundControl)) == 0
    # Only owners steer.
    seen = len(fake_slack.responses)
    slack.click(
        JUNIORS[1],
        action_id="round_pair_menu",
        selected_option={"value": shown_pairs(shown)[0].menu["keep"]},
    )
    assert "owners" in fake_slack.wait_for_response(count=seen + 1)[seen]["text"]


def set_partners(slack: SlackDriver, fake: FakeSlack, count: int) -> None:
    values = settings_values(
        cross_department=selected("preferred", "radio_buttons"),
        quality_floor=selected("none", "radio_buttons"),
        partners_per_person={"type": "number_input", "value": str(count)},
        owners={"type": "multi_users_select", "selected_users": []},
    )
    view_id = open_admin(slack, fake, "admin Spring pilot")
    assert slack.submit_view(OWNER, view_id=view_id, values=values).status == 200


def test_partners_per_person_lets_a_learner_take_two_and_both_pairs_start(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    programme = seed_pool(slack, fake_slack, runtime, sharers=4, learners=2)
    for user in ("US0000", "US0001", "US0002", "US0003", "UL0000", "UL0001"):
        fake_slack.add_user(user)
    first = preview(slack)
    assert "2 pairs proposed, 2 people left unmatched" in str(first["blocks"])
    set_partners(slack, fake_slack, 2)
    with runtime.sessions() as session:
        assert session.get(Programme, programme.id).partners_per_person == 2  # type: ignore[union-attr]
    shown = preview(slack)
    assert "4 pairs proposed, 0 people left unmatched" in str(shown["blocks"])
    learners = [p.mentee for p in shown_pairs(shown)]
    assert sorted(set(learners)) == ["UL0000", "UL0001"] and len(learners) == 4
    ask = button(shown, "round_confirm")["confirm"]["text"]["text"]
    assert "each of the 6 people" in ask
    assert "4 proposals sent" in confirm(slack, fake_slack, shown)
    consent_dms(fake_slack, 6)  # a DM a second per channel: each learner's second one waits
    bot.settle()
    jobs.deliver(runtime, datetime.now(UTC) + timedelta(seconds=5))
    dms = fake_slack.wait_for(
        "chat.postMessage", count=8, where=lambda c: "will you accept" in c.args["text"]
    )
    for dm in dms:
        user = "U" + dm.response["channel"][1:]
        answer(slack, user, dm, accept=True)
    with runtime.sessions() as session:
        pairs = session.execute(select(Pair.mentee_id).where(Pair.status == "active")).all()
    assert sorted(m for (m,) in pairs) == ["UL0000", "UL0000", "UL0001", "UL0001"]
    # With two pairs, status answers calmly (it names one of them).
    status = slack.command("UL0000", "status")
    assert status.status == 200 and "went wrong" not in status.body


def test_leaving_erases_the_controls_that_name_you(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer
) -> None:
    sign_up_dozen(slack, fake_slack)
    pair = shown_pairs(preview(slack))[0]
    again = choose(slack, fake_slack, pair.menu["never"])
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RoundControl)) == 1
    slack.command(pair.mentee, "leave")
    slack.click(pair.mentee, action_id="leave_confirm", value="leave")
    bot.settle()
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RoundControl)) == 0
    # The preview the owner sees is no longer what Confirm would send.
    assert "has changed since" in confirm(slack, fake_slack, again)
