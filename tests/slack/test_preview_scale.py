"""Previews that scale: pages of pairs, left over by reason, a CSV, Slack's limits kept."""

import csv
import io
from typing import Any

from sqlalchemy import select

from bot.domain.matching.model import Fit
from bot.runtime import Runtime
from bot.store.models import Participant, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import OWNER
from tests.support.inputs import button
from tests.support.preview import seed_pool
from tests.support.rounds import preview


def csv_rows(fake: FakeSlack) -> list[list[str]]:
    fake.wait_for("files.completeUploadExternal")
    (table,) = fake.uploads
    assert table.channel_id == "D" + OWNER[1:] and table.filename.endswith(".csv")
    return list(csv.reader(io.StringIO(table.content.decode())))


def pair_count(body: dict[str, Any]) -> int:
    return sum(1 for b in body["blocks"] if b["type"] == "section" and " with <@" in str(b))


def test_thirty_left_over_are_grouped_and_listed_in_the_csv(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seed_pool(slack, fake_slack, runtime, sharers=5, learners=35, paused=4)
    shown = preview(slack)
    text = str(shown["blocks"])
    assert "5 pairs proposed, 30 people left unmatched" in text
    assert "*Left over (30)*" in text
    assert "*26* the numbers didn't work out" in text and "and 23 more" in text
    assert "*4* away this round" in text and "and 1 more" in text
    confirm = button(shown, "round_confirm")["confirm"]
    assert "5 proposals" in confirm["title"]["text"] and "10 people" in confirm["text"]["text"]
    rows = csv_rows(fake_slack)
    assert rows[0] == ["kind", "share", "learn", "fit", "why"]
    assert sum(r[0] == "pair" for r in rows) == 5
    left = [r for r in rows if r[0] == "left over"]
    assert len(left) == 30 and sum(r[4] == "away this round" for r in left) == 4


def test_five_thousand_left_over_stay_inside_slacks_limits_and_pages_turn(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seed_pool(slack, fake_slack, runtime, sharers=25, learners=5025)
    shown = preview(slack)  # the driver fails on any block Slack would refuse
    assert len(shown["blocks"]) <= 50
    assert "25 pairs proposed, 5000 people left unmatched" in str(shown["blocks"])
    assert "Page 1 of 3" in str(shown["blocks"]) and pair_count(shown) == 10
    assert not any(b.get("action_id") == "round_previous" for b in button_list(shown))
    rows = csv_rows(fake_slack)
    assert sum(r[0] == "left over" for r in rows) == 5000

    slack.click(OWNER, action_id="round_next", value=button(shown, "round_next")["value"])
    second = fake_slack.wait_for_response()[-1]
    assert "Page 2 of 3" in str(second["blocks"]) and pair_count(second) == 10
    assert "11. <@" in str(second["blocks"])
    third_value = button(second, "round_next")["value"]
    slack.click(OWNER, action_id="round_next", value=third_value)
    third = fake_slack.wait_for_response(count=2)[-1]
    assert "Page 3 of 3" in str(third["blocks"]) and pair_count(third) == 5
    assert "round_next" not in str(third["blocks"])
    back = button(third, "round_previous")["value"]
    slack.click(OWNER, action_id="round_previous", value=back)
    assert "Page 2 of 3" in str(fake_slack.wait_for_response(count=3)[-1]["blocks"])
    # A forged page value is refused as stale.
    slack.click(OWNER, action_id="round_next", value="1:x")
    assert "out of date" in fake_slack.wait_for_response(count=4)[-1]["text"]


def test_no_confirm_when_nothing_can_be_sent(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seed_pool(slack, fake_slack, runtime, sharers=0, learners=3)
    shown = preview(slack)
    assert "0 pairs proposed" in str(shown["blocks"])
    assert "round_confirm" not in str(shown["blocks"])
    assert "round_cancel" in str(shown["blocks"])


def button_list(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_pairs_are_labelled_in_words_and_the_quality_floor_leaves_people_over(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    programme = seed_pool(slack, fake_slack, runtime, sharers=6, learners=6)
    with runtime.sessions.begin() as session:
        stored = session.get(Programme, programme.id)
        assert stored is not None
        stored.quality_floor = Fit.STRONG
        for person in session.scalars(select(Participant)):
            if person.user_id[-1] in "012":  # three who share what three others want to learn
                person.shares, person.learns = ["digital_tools"], ["digital_tools"]
    text = str(preview(slack)["blocks"])
    assert "score" not in text
    assert "strong fit" in text and "weak fit" not in text
    assert "no good match this round" in text
    rows = csv_rows(fake_slack)
    assert {r[3] for r in rows if r[0] == "pair"} == {"strong"}
