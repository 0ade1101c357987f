"""One pair through its round: Maya and Sam, a clock the test moves, clicks in messages."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot import jobs
from bot.runtime import Runtime
from bot.store.models import Pair, Programme
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import OWNER
from tests.support.inputs import button, many, selected, typed
from tests.support.participants import join, new_programme
from tests.support.rounds import answer, consent_dms, preview

MAYA, SAM = "U0MAYA", "U0SAM"  # Maya shares digital tools; Sam, a director, wants to learn them
BERLIN, NEW_YORK = 60, -300
START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday


@dataclass
class Clock:
    """Frozen time that the test moves; every tick runs the real scheduler at that moment."""

    frozen: Any
    runtime: Runtime
    fake: FakeSlack

    def tick(self, at: datetime) -> list[Call]:
        """Run one scheduler pass at `at`; the messages it posted."""
        self.frozen.move_to(at)
        before = len(self.fake.calls_to("chat.postMessage"))
        jobs.tick(self.runtime, now=at)
        return self.fake.calls_to("chat.postMessage")[before:]

    def hourly(self, start: datetime, end: datetime) -> list[tuple[datetime, Call]]:
        """Tick every hour from `start` up to `end`; each message with the hour it went out."""
        sent = []
        moment = start
        while moment < end:
            sent += [(moment, call) for call in self.tick(moment)]
            moment += timedelta(hours=1)
        return sent


def start_pair(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: BotServer,
    round_weeks: int,
    answers: Mapping[str, dict[str, dict[str, Any]]] | None = None,
    *,
    keep: bool = False,
) -> Pair:
    """Maya and Sam join, are matched, both accept; the kick-off opens their group DM. The fake
    Slack then forgets the calls so far, unless `keep` (to click in the kick-off, say)."""
    pair, _ = pair_up(slack, fake, bot, round_weeks, answers)
    if not keep:
        fake.reset()
    return pair


def pair_up(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: BotServer,
    round_weeks: int,
    answers: Mapping[str, dict[str, dict[str, Any]]] | None = None,
) -> tuple[Pair, Call]:
    """Maya and Sam (with `answers` overriding their survey, by user) are paired; the pair and
    its kick-off post."""
    runtime = bot.runtime
    fake.add_user(MAYA, real_name="Maya", tz="Europe/Berlin", tz_offset=BERLIN * 60)
    fake.add_user(SAM, real_name="Sam", tz="America/New_York", tz_offset=NEW_YORK * 60)
    new_programme(slack)
    with runtime.sessions.begin() as session:
        session.execute(update(Programme).values(round_weeks=round_weeks))
    nobody = {"type": "users_select", "selected_user": None}
    extra = answers or {}
    join(
        slack,
        fake,
        MAYA,
        side=selected("share", "radio_buttons"),
        stage=selected("0"),
        department=typed("Marketing"),
        manager=nobody,
        shares=many("digital_tools"),
        learns=many("leadership"),
        **extra.get(MAYA, {}),
    )
    join(
        slack,
        fake,
        SAM,
        side=selected("learn", "radio_buttons"),
        stage=selected("4"),
        department=typed("Finance"),
        manager=nobody,
        shares=many("leadership"),
        learns=many("digital_tools"),
        **extra.get(SAM, {}),
    )
    fake.wait_for("chat.postMessage", count=2)  # the welcomes
    shown = preview(slack)
    slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
    dms = consent_dms(fake, 2)
    for user in (MAYA, SAM):
        answer(slack, user, dms[f"D{user[1:]}"], accept=True)
    (kickoff,) = fake.wait_for("chat.postMessage", where=lambda c: "starts here" in c.args["text"])
    bot.settle()
    with runtime.sessions() as session:
        pair: Pair | None = session.scalar(select(Pair))
    assert pair is not None and pair.channel_id is not None
    return pair, kickoff


def click_in(slack: SlackDriver, user: str, message: Call, action_id: str) -> None:
    slack.click(
        user,
        action_id=action_id,
        channel_id=message.response["channel"],
        message_ts=message.response["ts"],
    )
