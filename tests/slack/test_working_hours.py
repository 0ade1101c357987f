"""Working hours end to end: the survey asks them, status shows them, and over a twelve-week round
across five time zones no message reaches anyone outside their working hours."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from bot import jobs
from bot.domain.working_hours import is_working
from bot.runtime import Runtime
from bot.store import participants
from bot.store.models import Participant
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE, OWNER, TEAM_ID
from tests.support.hours_round import PEOPLE, Posts, join_in_own_hours, members
from tests.support.inputs import button, clock, many, typed
from tests.support.participants import join, new_programme, open_survey
from tests.support.rounds import preview

START = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)  # a Monday
TICK = timedelta(minutes=30)
# The round (12 weeks from the pairs' start) and its closing survey.
SIMULATED = timedelta(weeks=12, days=3)


def test_the_survey_asks_working_hours_with_defaults_and_inline_errors(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, runtime: Runtime
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice", tz="Europe/London")
    new_programme(slack)
    opened = open_survey(slack, fake_slack)
    blocks = {b.get("block_id"): b for b in opened.args["view"]["blocks"]}
    assert blocks["work_start"]["element"]["initial_time"] == "09:00"
    assert blocks["work_end"]["element"]["initial_time"] == "17:00"
    days = blocks["work_days"]["element"]["initial_options"]
    assert [o["value"] for o in days] == ["0", "1", "2", "3", "4"]
    assert blocks["country"]["optional"] is True

    wrong = join(
        slack,
        fake_slack,
        work_start=clock("18:00"),
        work_end=clock("09:00"),
        country=typed("Atlantis"),
    )
    errors = wrong.json()["errors"]
    assert set(errors) == {"work_end", "country"}
    assert "end after it starts" in errors["work_end"]
    # (No working days at all: Slack's client refuses an empty required input; the survey's
    # own check is in tests/domain/test_profile.py.)
    with runtime.sessions() as session:
        assert session.scalar(select(Participant)) is None  # nothing saved

    join(
        slack,
        fake_slack,
        work_start=clock("08:30"),
        work_end=clock("16:30"),
        work_days=many("0", "1", "2", "3", kind="checkboxes"),
        country=typed(" gb-eng "),
    )
    bot.settle()
    with runtime.sessions() as session:
        hours = participants.working_hours(
            session=session, team_id=TEAM_ID, user_ids=[ALICE, "U0NOBODY"]
        )
    alice = hours[ALICE]
    assert (alice.tz, f"{alice.start:%H:%M}", f"{alice.end:%H:%M}") == (
        "Europe/London",
        "08:30",
        "16:30",
    )
    assert alice.days == frozenset({0, 1, 2, 3}) and alice.country == "GB-ENG"
    assert hours["U0NOBODY"].tz == "UTC" and hours["U0NOBODY"].days == frozenset(range(5))
    status = str(slack.command(ALICE, "status").json())
    assert "Working hours:* 08:30–16:30, Mon–Thu (Europe/London, GB-ENG holidays)" in status
    # Editing shows the answers again.
    again = open_survey(slack, fake_slack, word="profile")
    blocks = {b.get("block_id"): b for b in again.args["view"]["blocks"]}
    assert blocks["work_start"]["element"]["initial_time"] == "08:30"
    assert blocks["country"]["element"]["initial_value"] == "GB-ENG"


@pytest.mark.timeout(900)
def test_no_message_outside_working_hours_over_a_twelve_week_round(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, runtime: Runtime
) -> None:
    hours = {p.user_id: p.hours for p in PEOPLE}
    posts = Posts(fake_slack)
    fake_slack.add_user(OWNER, real_name="Owner")
    with freeze_time(START, tick=True) as frozen:
        new_programme(slack)
        for someone in PEOPLE:
            posts.note(join_in_own_hours(slack, fake_slack, bot, frozen, someone, START))
    # The owner confirms on Tuesday at 12:00 UTC: after Kolkata's day, before Los Angeles'.
    confirmed = datetime(2027, 1, 5, 12, tzinfo=UTC)
    with freeze_time(confirmed, tick=True):
        shown = preview(slack)
        slack.click(OWNER, action_id="round_confirm", value=button(shown, "round_confirm")["value"])
        bot.settle()

    prompted: dict[str, int] = {}

    def accept_what_arrived(now: datetime) -> None:
        """Each person accepts their proposal as its DM arrives; a pair meets after every other
        prompt (so it is nudged in between; never meeting, it would be asked whether the two
        are still in, and paused)."""
        for call in posts.note(now):
            channel = call.args["channel"]
            if "to talk about" in str(call.args["text"]):
                prompted[channel] = prompted.get(channel, 0) + 1
                if prompted[channel] % 2:
                    (first, _) = members(runtime)[channel]
                    with freeze_time(now, tick=True):
                        assert slack.command(first, "met").status == 200
                        bot.settle()
            if "will you accept" in str(call.args["text"]):
                with freeze_time(now, tick=True):
                    slack.click(
                        call.args["channel"],
                        action_id="consent_accept",
                        value=button({"blocks": call.args["blocks"]}, "consent_accept")["value"],
                        channel_id=call.response["channel"],
                        message_ts=call.response["ts"],
                    )
                    bot.settle()
        posts.note(now)

    accept_what_arrived(confirmed)

    # Every 30 minutes through the twelve-week round and its closing survey (about 4,000 ticks,
    # hence the long timeout). Only the people's clicks run on a frozen clock; the scheduler is
    # told the time, as the CLI's `tick --at` does.
    now, end = confirmed, confirmed + SIMULATED
    while now < end:
        now += TICK
        jobs.tick(runtime, now=now)
        accept_what_arrived(now)

    groups = members(runtime)
    assert len(groups) == 5  # everyone found a partner with enough shared working hours
    outside, texts = [], []
    for at, call in posts.sent:
        recipients = groups.get(call.args["channel"], (call.args["channel"],))
        if recipients == (OWNER,):
            continue  # the owner is no participant
        texts.append(str(call.args["text"]).lower())
        if not all(is_working(hours[r], at) for r in recipients):
            outside.append((at, recipients, call.args["text"]))
    assert outside == []
    # Every kind of message the round has was among them.
    for fragment in (
        "welcome",
        "will you accept",
        "starts here",
        "to talk about",
        "check-in",
        "nudge",
        "round has ended",
    ):
        assert any(fragment in t for t in texts), fragment
    # None on a public holiday: Good Friday 2027 in London and Berlin, MLK Day in New York.
    days_off = {
        "U0LDN1": date(2027, 3, 26),
        "U0BER1": date(2027, 3, 26),
        "U0NYC1": date(2027, 1, 18),
    }
    for at, call in posts.sent:
        for user, day in days_off.items():
            if user in groups.get(call.args["channel"], (call.args["channel"],)):
                assert at.astimezone(ZoneInfo(hours[user].tz)).date() != day
