"""Finding a time over signed HTTP: suggested times, picking one, the invite, Did it happen?,
and the first mover's one reminder.

Maya (Berlin, shares) and Sam (New York, learns) are paired on Monday 4 January 2027; their
at 14:00 UTC; their working hours (09:00-17:00 on weekdays) overlap 14:00-16:00 UTC.
"""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from freezegun.api import StepTickTimeFactory
from icalendar import Calendar
from sqlalchemy import select, update

from bot.domain.find_time import FIRST_SESSION
from bot.domain.invite import invite_uid
from bot.domain.states import MeetingStatus
from bot.domain.working_hours import WorkingHours, is_working, weekly_overlap_minutes
from bot.runtime import Runtime
from bot.store.models import Meeting, Pair, Participant
from tests.fakeslack import FakeSlack, SlackDriver
from tests.fakeslack.state import Upload
from tests.support import keep_going
from tests.support.bot import BotServer
from tests.support.find_time import buttons, click, offered, posted
from tests.support.inputs import clock as clock_time
from tests.support.inputs import many
from tests.support.keep_going import MAYA, SAM, Clock

# A Monday, 15:00 in Berlin and 09:00 in New York: both at work, so the consent DMs go at once.
START = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
BERLIN, NEW_YORK = WorkingHours(tz="Europe/Berlin"), WorkingHours(tz="America/New_York")
SESSION = timedelta(minutes=30)  # a new programme's session length
OFFICE_HOURS = {
    "work_start": clock_time("09:00"),
    "work_end": clock_time("17:00"),
    "work_days": many(*"01234", kind="checkboxes"),
}


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(START, tick=True) as frozen:
        assert not isinstance(frozen, StepTickTimeFactory)
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def inside_both(a: WorkingHours, b: WorkingHours, start: datetime, length: timedelta) -> bool:
    last = start + length - timedelta(minutes=1)
    return all(is_working(h, m) for h in (a, b) for m in (start, last))


def meetings(runtime: Runtime) -> list[Meeting]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Meeting).order_by(Meeting.id)))


def kickoff(fake: FakeSlack, pair: Pair) -> tuple[str, dict[str, object]]:
    assert pair.channel_id is not None
    return posted(fake, pair.channel_id, "starts here")


def pick(slack: SlackDriver, user: str, pair: Pair, ts: str, message: dict[str, object]) -> None:
    assert pair.channel_id is not None
    first = buttons(message, "pick_time")[0]["value"]
    click(slack, user, pair.channel_id, ts, "pick_time", first)


def invites(fake_slack: FakeSlack, pair: Pair) -> list[Upload]:
    """The files posted in the pair's group DM (the preview's CSV goes to the owner's DM)."""
    return [u for u in fake_slack.uploads if u.channel_id == pair.channel_id]


def start_pair(slack: SlackDriver, fake: FakeSlack, bot: BotServer, round_weeks: int) -> Pair:
    """Maya and Sam paired, both working the usual 09:00-17:00, Monday to Friday, and the
    kick-off kept to click in."""
    office = {MAYA: OFFICE_HOURS, SAM: OFFICE_HOURS}
    return keep_going.start_pair(slack, fake, bot, round_weeks, office, keep=True)


@pytest.mark.usefixtures("clock")
def test_the_kickoff_names_the_first_mover_and_offers_three_times_inside_both_hours(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    _, message = kickoff(fake_slack, pair)
    shown = str(message["blocks"])
    assert f"*Who moves first:* <@{SAM}>" in shown and "the mentee does" in shown
    times = offered(message)
    assert len(times) == 3 and times == sorted(times)
    assert all(inside_both(BERLIN, NEW_YORK, t, SESSION) for t in times)
    # Spread over the first two-week period, one in each third of it.
    end = pair.started_at + timedelta(weeks=2)
    thirds = {int((t - pair.started_at) / ((end - pair.started_at) / 3)) for t in times}
    assert thirds == {0, 1, 2}
    # Each viewer reads them in their own zone: Slack's date formatting, UTC as fallback.
    for moment in times:
        assert f"<!date^{int(moment.timestamp())}^" in shown
    assert buttons(message, "other_times")


def test_other_times_replace_the_batch_with_three_new_ones(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    assert pair.channel_id is not None
    ts, message = kickoff(fake_slack, pair)
    first = offered(message)
    (other,) = buttons(message, "other_times")
    updates = len(fake_slack.calls_to("chat.update"))
    click(slack, MAYA, pair.channel_id, ts, "other_times", other["value"])
    fake_slack.wait_for("chat.update", count=updates + 1)
    _, updated = kickoff(fake_slack, pair)
    second = offered(updated)
    assert len(second) == 3 and not set(first) & set(second)
    assert all(inside_both(BERLIN, NEW_YORK, t, SESSION) for t in second)
    # The rest of the kick-off is as it was, buttons and all.
    assert buttons(updated, "set_goals") and "Ground rules" in str(updated["blocks"])
    assert clock  # time stood still: nothing else was due


ZONES = {
    "London": "Europe/London",
    "New York": "America/New_York",
    "Berlin": "Europe/Berlin",
    "Kolkata": "Asia/Kolkata",
    "Los Angeles": "America/Los_Angeles",
}
PAIRS = [(a, b) for a in ZONES for b in ZONES if a < b]


@pytest.mark.parametrize(("maya_in", "sam_in"), PAIRS)
@pytest.mark.usefixtures("clock")
def test_times_are_inside_both_peoples_hours_wherever_they_are(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer,
    maya_in: str, sam_in: str,
) -> None:  # fmt: skip
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    assert pair.channel_id is not None
    with runtime.sessions.begin() as session:
        for user, place in ((MAYA, maya_in), (SAM, sam_in)):
            session.execute(
                update(Participant).where(Participant.user_id == user).values(timezone=ZONES[place])
            )
    ts, message = kickoff(fake_slack, pair)
    (other,) = buttons(message, "other_times")
    updates = len(fake_slack.calls_to("chat.update"))
    click(slack, SAM, pair.channel_id, ts, "other_times", other["value"])
    fake_slack.wait_for("chat.update", count=updates + 1)
    _, updated = kickoff(fake_slack, pair)
    a, b = WorkingHours(tz=ZONES[maya_in]), WorkingHours(tz=ZONES[sam_in])
    times = offered(updated)
    assert all(inside_both(a, b, t, SESSION) for t in times)
    if weekly_overlap_minutes(a, b) >= 5 * 60:  # an hour a day: a whole batch fits
        assert len(times) == 3
    if weekly_overlap_minutes(a, b) == 0:  # Kolkata and Los Angeles: nothing to offer
        assert times == [] and "couldn't find more times" in str(updated["blocks"])


def test_picking_a_time_posts_one_invite_and_plans_the_meeting(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    ts, message = kickoff(fake_slack, pair)
    start = offered(message)[0]
    pick(slack, SAM, pair, ts, message)
    fake_slack.wait_for("files.completeUploadExternal")
    bot.settle()
    (upload,) = invites(fake_slack, pair)
    assert upload.filename.endswith(".ics")
    assert upload.initial_comment is not None and f"<@{SAM}> picked" in upload.initial_comment
    (event,) = Calendar.from_ical(upload.content).walk("VEVENT")
    assert str(event["UID"]) == invite_uid(pair.id, start)
    assert event.decoded("DTSTART") == start and event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTEND") - event.decoded("DTSTART") == SESSION
    assert str(event["SUMMARY"]) == "Spring pilot: Maya & Sam"
    assert str(event["DESCRIPTION"]) == FIRST_SESSION
    (meeting,) = meetings(runtime)
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.PLANNED, start)
    # The other one picks too: one meeting is planned already, so no second invite.
    answered = len(fake_slack.responses)
    pick(slack, MAYA, pair, ts, message)
    reply = fake_slack.wait_for_response(count=answered + 1)[-1]
    assert "already has a meeting planned" in reply["text"]
    bot.settle()
    assert len(invites(fake_slack, pair)) == 1 and len(meetings(runtime)) == 1
    assert clock


def test_a_prompts_times_make_an_invite_naming_its_prompt(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    assert pair.channel_id is not None
    (prompt,) = [
        c for c in clock.tick(datetime(2027, 1, 18, 15, tzinfo=UTC)) if "talk" in c.args["text"]
    ]
    ts = prompt.response["ts"]
    _, message = posted(fake_slack, pair.channel_id, "Something to talk about")
    times = offered(message)
    assert len(times) == 3
    assert all(
        pair.started_at + timedelta(weeks=2) <= t < pair.started_at + timedelta(weeks=4)
        for t in times
    )
    assert all(inside_both(BERLIN, NEW_YORK, t, SESSION) for t in times)
    # Other times in the prompt: the same prompt, three new times.
    (other,) = buttons(message, "other_times")
    updates = len(fake_slack.calls_to("chat.update"))
    click(slack, SAM, pair.channel_id, ts, "other_times", other["value"])
    fake_slack.wait_for("chat.update", count=updates + 1)
    _, updated = posted(fake_slack, pair.channel_id, "Something to talk about")
    assert updated["blocks"][0] == message["blocks"][0]
    assert len(offered(updated)) == 3 and not set(offered(updated)) & set(times)
    pick(slack, MAYA, pair, ts, updated)
    fake_slack.wait_for("files.completeUploadExternal")
    bot.settle()
    (event,) = Calendar.from_ical(invites(fake_slack, pair)[0].content).walk("VEVENT")
    topic = str(message["text"]).split("next time: ", 1)[1]
    assert str(event["SUMMARY"]) == f"Spring pilot: Maya & Sam ({topic})"
    assert str(event["DESCRIPTION"]) in str(message["blocks"]).replace("\\n", "\n")
    assert event.decoded("DTSTART") == offered(updated)[0]


def test_did_it_happen_is_asked_once_and_a_yes_records_the_meeting(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    assert pair.channel_id is not None
    ts, message = kickoff(fake_slack, pair)
    start = offered(message)[0]
    pick(slack, SAM, pair, ts, message)
    fake_slack.wait_for("files.completeUploadExternal")
    bot.settle()
    # Not while it is on.
    assert not [c for c in clock.tick(start + SESSION / 2) if "happen" in c.args["text"]]
    asked = [c for c in clock.tick(start + SESSION) if "happen" in c.args["text"]]
    (question,) = asked
    assert question.args["channel"] == pair.channel_id
    assert not [
        c for c in clock.tick(start + SESSION + timedelta(hours=1)) if "happen" in c.args["text"]
    ]
    (yes,) = buttons(posted(fake_slack, pair.channel_id, "Did your meeting")[1], "meeting_held")
    click(slack, MAYA, pair.channel_id, question.response["ts"], "meeting_held", yes["value"])
    fake_slack.wait_for("chat.update", where=lambda c: "noted that you met" in str(c.args))
    (meeting,) = meetings(runtime)
    assert meeting.status == MeetingStatus.HELD
    # A second tap (Sam's, on a stale copy) changes nothing.
    answered = len(fake_slack.responses)
    slack.click(SAM, action_id="meeting_missed", value=yes["value"], channel_id=pair.channel_id)
    reply = fake_slack.wait_for_response(count=answered + 1)[-1]
    assert "already been answered" in reply["text"]
    assert meetings(runtime)[0].status == MeetingStatus.HELD


def test_the_first_mover_is_reminded_once_after_five_working_days(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, clock: Clock
) -> None:
    start_pair(slack, fake_slack, bot, round_weeks=12)

    def reminders(at: datetime) -> list[str]:
        return [c.args["channel"] for c in clock.tick(at) if "plan your first" in c.args["text"]]

    # Monday's kick-off; five working days are Tuesday to the next Monday.
    assert reminders(datetime(2027, 1, 11, 15, tzinfo=UTC)) == []
    # Tuesday: not before Sam's working day starts in New York (14:00 UTC).
    assert reminders(datetime(2027, 1, 12, 13, tzinfo=UTC)) == []
    assert reminders(datetime(2027, 1, 12, 14, tzinfo=UTC)) == [SAM]
    assert reminders(datetime(2027, 1, 12, 15, tzinfo=UTC)) == []
    assert reminders(datetime(2027, 1, 13, 15, tzinfo=UTC)) == []
    (dm,) = [
        m for (ch, _), m in fake_slack.messages.items() if "plan your first" in str(m.get("text"))
    ]
    times = offered(dm)
    assert len(times) == 3 and all(inside_both(BERLIN, NEW_YORK, t, SESSION) for t in times)
    assert all(t > datetime(2027, 1, 12, 14, tzinfo=UTC) for t in times)


def test_no_reminder_once_a_meeting_is_planned(
    slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    ts, message = kickoff(fake_slack, pair)
    pick(slack, MAYA, pair, ts, message)
    fake_slack.wait_for("files.completeUploadExternal")
    bot.settle()
    for day in (12, 13, 14):
        sent = clock.tick(datetime(2027, 1, day, 15, tzinfo=UTC))
        assert not [c for c in sent if "plan your first" in c.args["text"]]


def test_two_picks_at_once_plan_one_meeting_and_post_one_invite(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, bot: BotServer, clock: Clock
) -> None:
    pair = start_pair(slack, fake_slack, bot, round_weeks=12)
    assert pair.channel_id is not None
    channel = pair.channel_id
    ts, message = kickoff(fake_slack, pair)
    first, second = buttons(message, "pick_time")[:2]
    answered = len(fake_slack.responses)
    barrier = threading.Barrier(2)

    def picks(user: str, value: str) -> None:
        barrier.wait()
        click(slack, user, channel, ts, "pick_time", value)

    threads = [
        threading.Thread(target=picks, args=(MAYA, first["value"])),
        threading.Thread(target=picks, args=(SAM, second["value"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    replies = fake_slack.wait_for_response(count=answered + 2)[answered:]
    bot.settle()
    assert len(meetings(runtime)) == 1 and len(invites(fake_slack, pair)) == 1
    assert sorted("already has a meeting planned" in r["text"] for r in replies) == [False, True]
    assert clock
