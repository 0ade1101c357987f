"""Slack's limits at the largest sizes the settings allow, through match controls: an 80-character
programme with 24-character role words, 5,000 people left over, many pins refused."""

from typing import Any

from sqlalchemy import select

from bot.domain.programme import MAX_NAME, MAX_ROLE_WORD
from bot.runtime import Runtime
from bot.store.models import Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import OWNER
from tests.support.controls import choose, open_steer, shown_pairs, steer_values, what_changed
from tests.support.inputs import button, selected, typed
from tests.support.preview import seed_pool
from tests.support.rounds import consent_dms, preview, sign_up_dozen

LONG = ("Reverse mentoring for the digital transformation of the whole group " * 2)[:MAX_NAME]
SHARE_WORD = "knowledge-sharing-friend"
LEARN_WORD = "curious-learning-partner"


def largest_words(runtime: Runtime, programme_id: int) -> None:
    with runtime.sessions.begin() as session:
        programme = session.get(Programme, programme_id)
        assert programme is not None
        programme.name, programme.share_word, programme.learn_word = LONG, SHARE_WORD, LEARN_WORD


def inside_limits(body: dict[str, Any]) -> None:
    """What the fake already refuses, said again where a test reads it."""
    assert len(body["blocks"]) <= 50
    for block in body["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_controls_on_a_five_thousand_preview_stay_inside_slacks_limits(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    programme = seed_pool(slack, fake_slack, runtime, sharers=25, learners=5025)
    largest_words(runtime, programme.id)
    shown = preview(slack)  # the driver fails on any block Slack would refuse
    assert LONG in str(shown["blocks"]) and SHARE_WORD in str(shown["blocks"])
    # The modal with the longest role words in its labels (the fake checks the view).
    view_id = open_steer(slack, fake_slack, shown)
    labels = [b["label"]["text"] for b in fake_slack.view(view_id)["blocks"] if "label" in b]
    assert f"Who shares ({SHARE_WORD})" in labels and f"Who learns ({LEARN_WORD})" in labels
    # Keep a sharer with someone left over: a pair the engine did not propose.
    sharer = shown_pairs(shown)[0].mentor
    slack.submit_view(OWNER, view_id=view_id, values=steer_values("keep", sharer, "UL5000"))
    kept = fake_slack.wait_for_response()[-1]
    inside_limits(kept)
    assert (sharer, "UL5000") in {(p.mentor, p.mentee) for p in shown_pairs(kept) if p.kept}
    assert "5000 people left unmatched" in str(kept["blocks"])
    # Keep, then never pair, the first six pairs shown: six pins refused, five named.
    current = kept
    for _ in range(6):
        pair = next(p for p in shown_pairs(current) if "keep" in p.menu)
        current = choose(slack, fake_slack, pair.menu["keep"])
    for pair in [p for p in shown_pairs(current) if p.kept][:6]:
        current = choose(slack, fake_slack, pair.menu["never"])
    inside_limits(current)
    changed = what_changed(current)
    assert (
        changed.count("Couldn't keep") == 5 and "…and 1 more pair that couldn't be kept." in changed
    )
    assert len(shown_pairs(current)) == 10 and "Page 1 of 3" in str(current["blocks"])
    confirm = button(current, "round_confirm")["confirm"]
    assert "25 proposals" in confirm["title"]["text"] and "50 people" in confirm["text"]["text"]
    # Each re-run sent the owner the new full lists.
    fake_slack.wait_for("files.completeUploadExternal", count=14)


def test_an_80_character_programme_with_the_longest_role_words_goes_out_whole(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert len(SHARE_WORD) == len(LEARN_WORD) == MAX_ROLE_WORD
    sign_up_dozen(slack, fake_slack)
    values = settings_values(
        name=typed(LONG),
        share_word=typed(SHARE_WORD),
        learn_word=typed(LEARN_WORD),
        cross_department=selected("preferred", "radio_buttons"),
        quality_floor=selected("none", "radio_buttons"),
        partners_per_person={"type": "number_input", "value": "1"},
        owners={"type": "multi_users_select", "selected_users": []},
    )
    view_id = open_admin(slack, fake_slack, "admin Spring pilot")
    assert "errors" not in slack.submit_view(OWNER, view_id=view_id, values=values).json()
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.name)).one() == LONG
    shown = preview(slack)
    pair = shown_pairs(shown)[0]
    again = choose(slack, fake_slack, pair.menu["never"])
    inside_limits(again)
    slack.click(OWNER, action_id="round_confirm", value=button(again, "round_confirm")["value"])
    dms = consent_dms(fake_slack, 12)  # the fake refuses any block Slack would
    assert all(LONG in str(dm.args["blocks"]) for dm in dms.values())


def test_the_pilot_menu_holds_a_hundred_80_character_names(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    names = [LONG[:76] + f"{n:04d}" for n in range(101)]
    for name in names:
        assert len(name) == MAX_NAME
        assert "open for sign-up" in slack.command(OWNER, f"programme new {name}").json()["text"]
    with runtime.sessions.begin() as session:
        for programme in session.scalars(select(Programme)):
            programme.pilot = True
    view = fake_slack.view(open_admin(slack, fake_slack))  # the fake refuses a broken modal
    (follows,) = [b for b in view["blocks"] if b.get("block_id") == "follows"]
    labels = [o["text"]["text"] for o in follows["element"]["options"]]
    assert len(labels) == 100 and all(len(label) <= 75 for label in labels)
    assert labels[-1] == names[-1][:74] + "…"
