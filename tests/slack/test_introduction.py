"""Every survey answer is used: how often each can meet and what else they wrote appear in the
pair's kick-off introduction, as inert text cut to Slack's limits."""

import json

from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.inputs import selected, typed
from tests.support.keep_going import MAYA, SAM, pair_up
from tests.support.participants import open_survey


def test_the_introduction_suggests_a_rhythm_and_quotes_what_else_each_wrote(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer
) -> None:
    hostile = "Podcasts <!channel> *bold* <@U0BOSS>"
    _, kickoff = pair_up(
        slack, fake_slack, bot, round_weeks=12,
        answers={
            MAYA: {"share_other": typed(hostile), "frequency": selected("4")},
            SAM: {"learn_other": typed("How to run a Discord server"), "frequency": selected("2")},
        },
    )  # fmt: skip
    blocks = kickoff.args["blocks"]
    text = json.dumps(blocks)
    assert f"<@{MAYA}> said every week and <@{SAM}> twice a month" in text
    assert "so I suggest meeting twice a month" in text and "every 2 weeks" in text
    assert f"In <@{MAYA}>'s words" in text and f"In <@{SAM}>'s words" in text
    # Their own words only ever as plain text: nothing pings, formats or links.
    (quoted,) = [b for b in blocks if b["type"] == "section" and "Podcasts" in str(b)]
    assert quoted["text"]["type"] == "plain_text"
    assert quoted["text"]["text"] == f"Can also share: {hostile}"
    (wants,) = [b for b in blocks if b["type"] == "section" and "Discord" in str(b)]
    assert wants["text"] == {
        "type": "plain_text",
        "text": "Would also like to learn: How to run a Discord server",
        "emoji": False,
    }
    for block in blocks:
        if block["type"] == "section" and block["text"]["type"] == "mrkdwn":
            assert "<!channel>" not in block["text"]["text"]


def test_the_same_answer_and_nothing_else_written(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer
) -> None:
    _, kickoff = pair_up(slack, fake_slack, bot, round_weeks=12)
    text = json.dumps(kickoff.args["blocks"])
    assert "You both said you can meet twice a month, so I suggest meeting twice a month" in text
    assert "words" not in text
    # The survey says who will see what else they write.
    survey = json.dumps(open_survey(slack, fake_slack, MAYA, word="profile").response["view"])
    assert survey.count("Shown to your partner in your pair's introduction.") == 2
