"""`/mentoring pause until YYYY-MM-DD` end to end, over signed HTTP against the fake Slack."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from freezegun.api import StepTickTimeFactory
from sqlalchemy import select

from bot.domain.pause import long_date
from bot.runtime import Runtime
from bot.store.models import Participant
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.constants import ALICE
from tests.support.keep_going import Clock
from tests.support.participants import join, new_programme


def participant(runtime: Runtime) -> Participant:
    with runtime.sessions() as session:
        found = session.scalar(select(Participant).where(Participant.user_id == ALICE))
        assert found is not None
        return found


def berlin_today() -> date:
    """Alice's own day: the command checks dates against it."""
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()


@pytest.fixture
def alice(slack: SlackDriver, fake_slack: FakeSlack, bot: BotServer) -> None:
    fake_slack.add_user(ALICE, real_name="Alice", tz="Europe/Berlin", tz_offset=3600)
    new_programme(slack)
    join(slack, fake_slack)
    bot.settle()  # the time zone is read from Slack's profile after the answer


def status_text(slack: SlackDriver) -> str:
    return str(slack.command(ALICE, "status").json()["blocks"][0]["text"]["text"])


@pytest.mark.usefixtures("alice")
@pytest.mark.parametrize("words", ["pause until {day}", "pause {day}"])
def test_pause_until_a_date_confirms_it_and_status_shows_it(
    slack: SlackDriver, runtime: Runtime, words: str
) -> None:
    day = berlin_today() + timedelta(days=30)
    text = slack.command(ALICE, words.format(day=day.isoformat())).json()["text"]
    assert text == (
        f"Paused until {long_date(day)} — I'll resume you that morning. "
        "`/mentoring resume` any time sooner."
    )
    stored = participant(runtime)
    assert (stored.paused, stored.paused_until) == (True, day)
    assert f"Paused until {long_date(day)}" in status_text(slack)

    assert "active again" in slack.command(ALICE, "resume").json()["text"]
    stored = participant(runtime)
    assert (stored.paused, stored.paused_until) == (False, None)
    assert "*Status:* active" in status_text(slack)


@pytest.mark.usefixtures("alice")
@pytest.mark.parametrize(
    ("words", "reply"),
    [
        ("pause until {today}", "isn't after today"),
        ("pause until {past}", "isn't after today"),
        ("pause until {far}", "more than 365 days"),
        ("pause until tomorrow", "couldn't read that date"),
        ("pause until 2027-13-45", "couldn't read that date"),
        ("pause until", "couldn't read that date"),
        ("pause <!channel> *soon*", "couldn't read that date"),
    ],
)
def test_a_bad_date_gets_a_friendly_reply_and_changes_nothing(
    slack: SlackDriver, runtime: Runtime, words: str, reply: str
) -> None:
    today = berlin_today()
    text = words.format(
        today=today.isoformat(),
        past=(today - timedelta(days=3)).isoformat(),
        far=(today + timedelta(days=400)).isoformat(),
    )
    answer = slack.command(ALICE, text).json()
    assert reply in answer["text"] and "nothing changed" in answer["text"].lower()
    assert "<!channel>" not in str(answer) and "*soon*" not in str(answer)
    stored = participant(runtime)
    assert (stored.paused, stored.paused_until) == (False, None)


def published_home(slack: SlackDriver, fake_slack: FakeSlack) -> dict[str, Any]:
    count = len(fake_slack.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    view: dict[str, Any] = fake_slack.wait_for("views.publish", count=count + 1)[-1].args["view"]
    return view


def pick_on_home(slack: SlackDriver, fake_slack: FakeSlack, day: str) -> dict[str, Any]:
    count = len(fake_slack.calls_to("views.publish"))
    view_id = fake_slack.published_home[ALICE]["id"]
    slack.click(ALICE, action_id="pause_until", value=day, view_id=view_id)
    view: dict[str, Any] = fake_slack.wait_for("views.publish", count=count + 1)[-1].args["view"]
    return view


@pytest.mark.usefixtures("alice")
def test_the_app_home_date_picker_pauses_until_that_day(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    home = published_home(slack, fake_slack)
    assert "datepicker" in str(home["blocks"]) and "Pause until" in str(home["blocks"])
    # A day that isn't ahead is explained on the App Home itself, and changes nothing.
    today = berlin_today()
    refused = pick_on_home(slack, fake_slack, today.isoformat())
    assert "isn't after today" in str(refused["blocks"])
    assert participant(runtime).paused is False

    day = today + timedelta(days=20)
    paused = pick_on_home(slack, fake_slack, day.isoformat())
    assert f"Paused until {long_date(day)}" in str(paused["blocks"])
    assert "datepicker" not in str(paused["blocks"])  # resuming is the button now
    stored = participant(runtime)
    assert (stored.paused, stored.paused_until) == (True, day)


@pytest.mark.usefixtures("alice")
def test_help_mentions_the_optional_date(slack: SlackDriver) -> None:
    assert "pause [until YYYY-MM-DD]" in str(slack.command(ALICE, "help").json()["blocks"])


MONDAY = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(runtime: Runtime, fake_slack: FakeSlack) -> Iterator[Clock]:
    with freeze_time(MONDAY, tick=True) as frozen:
        assert not isinstance(frozen, StepTickTimeFactory)
        yield Clock(frozen=frozen, runtime=runtime, fake=fake_slack)


def test_the_tick_resumes_on_that_morning_in_berlin_and_says_so_once(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime, clock: Clock, bot: BotServer
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice", tz="Europe/Berlin", tz_offset=3600)
    new_programme(slack)
    join(slack, fake_slack)
    bot.settle()
    reply = slack.command(ALICE, "pause until 2027-01-15").json()["text"]
    assert reply.startswith("Paused until Friday 15 January 2027 — I'll resume you that morning.")
    slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    home = fake_slack.wait_for("views.publish")[-1].args["view"]
    assert "Paused until Friday 15 January 2027" in str(home["blocks"])

    def welcomes_back(sent: list[Any]) -> list[Any]:
        return [c for c in sent if c.args["channel"] == ALICE and "un-paused" in c.args["text"]]

    # 07:00 in Berlin on the day: not yet.
    assert welcomes_back(clock.tick(datetime(2027, 1, 15, 6, 0, tzinfo=UTC))) == []
    assert participant(runtime).paused
    # 08:00 in Berlin: resumed and told, once however often the tick runs.
    assert len(welcomes_back(clock.tick(datetime(2027, 1, 15, 7, 0, tzinfo=UTC)))) == 1
    assert welcomes_back(clock.tick(datetime(2027, 1, 15, 7, 1, tzinfo=UTC))) == []
    stored = participant(runtime)
    assert (stored.paused, stored.paused_until) == (False, None)
