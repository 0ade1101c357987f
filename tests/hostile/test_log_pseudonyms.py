"""Logs name people by a random pseudonym, anonymous submissions by nobody, and the pseudonym
goes with the person when they leave."""

import io
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from bot import logs
from bot.store.models import Participant
from tests.support.bot import Hostile
from tests.support.constants import OWNER
from tests.support.inputs import selected, typed
from tests.support.keep_going import MAYA, SAM, START, Clock, click_in, start_pair
from tests.support.participants import join


@pytest.fixture
def captured_log() -> Iterator[Callable[[], list[str]]]:
    """The bot's logging as `python -m bot` sets it up; call it for the lines written so far."""
    buffer = io.StringIO()
    handler = logs.configure(stream=buffer)

    def written() -> list[str]:
        # Flush the queue by restarting the writer thread.
        handler.listener.stop()  # type: ignore[attr-defined]
        handler.listener.start()  # type: ignore[attr-defined]
        return buffer.getvalue().splitlines()

    try:
        yield written
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def log_id(hostile: Hostile, user: str) -> str | None:
    with hostile.runtime.sessions() as session:
        return session.scalar(select(Participant.log_id).where(Participant.user_id == user))


def test_requests_name_the_pseudonym_and_leave_takes_it_away(
    hostile: Hostile, captured_log: Callable[[], list[str]]
) -> None:
    slack, fake = hostile.slack, hostile.fake
    fake.add_user("U0ALICE", real_name="Alice")
    fake.add_user("U0BOSS", real_name="The Boss")
    slack.command(OWNER, "programme new Spring")
    slack.command("U0ALICE", "help")
    join(slack, fake, "U0ALICE")
    hostile.settle()
    pseudonym = log_id(hostile, "U0ALICE")
    assert pseudonym and "U0ALICE" not in pseudonym
    slack.command("U0ALICE", "status")
    lines = captured_log()
    requests = [line for line in lines if " request: " in line]
    assert any("name=/mentoring" in line and "user=-" in line for line in requests)
    assert any(f"user={pseudonym}" in line for line in requests)
    assert not [line for line in lines if "U0ALICE" in line]

    asked = slack.command("U0ALICE", "leave").json()
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    confirm = next(b for b in buttons if b["action_id"] == "leave_confirm")
    slack.click("U0ALICE", action_id="leave_confirm", value=confirm["value"])
    hostile.settle()
    before = len(captured_log())  # the leave's own request names the pseudonym, still set
    with hostile.runtime.sessions() as session:
        assert session.scalar(select(Participant).where(Participant.log_id == pseudonym)) is None
    slack.command("U0ALICE", "status")
    hostile.settle()
    after = captured_log()[before:]
    assert after
    assert not [line for line in after if "U0ALICE" in line or pseudonym in line]


def test_check_ins_and_concerns_are_logged_without_anyone(
    hostile: Hostile, captured_log: Callable[[], list[str]]
) -> None:
    slack, fake = hostile.slack, hostile.fake
    with freeze_time(START, tick=True) as frozen:
        start_pair(slack, fake, hostile.bot, round_weeks=6)
        clock = Clock(frozen=frozen, runtime=hostile.runtime, fake=fake)
        sent = clock.hourly(START + timedelta(hours=1), START + timedelta(days=14, hours=2))
        checkin = next(
            c for _, c in sent if c.args["channel"] == MAYA and "check-in" in c.args["text"]
        )
        before = len(captured_log())
        click_in(slack, MAYA, checkin, "checkin_open")
        opened = fake.wait_for("views.open")[-1]
        slack.submit_view(
            MAYA,
            view_id=opened.response["view"]["id"],
            values={"met": {"met": selected("yes", "radio_buttons")}},
        )
        slack.command(SAM, "concern")
        form = fake.wait_for("views.open", count=2)[-1]
        slack.submit_view(
            SAM,
            view_id=form.response["view"]["id"],
            values={"concern": {"concern": typed("they keep cancelling")}},
        )
        hostile.settle()
    names = {user: log_id(hostile, user) for user in (MAYA, SAM)}
    lines = captured_log()[before:]
    submissions = [line for line in lines if "view_submission" in line]
    assert any("name=checkin" in line for line in submissions)
    assert any("name=concern" in line for line in submissions)
    for line in submissions:
        assert "user=" not in line and "team=" not in line, line
    # Nor the clicks and the command that opened the forms: nothing near ties them to anyone.
    assert any("name=checkin_open" in line and "user=" not in line for line in lines)
    for line in lines:
        for who in (MAYA, SAM, *names.values()):
            assert who and who not in line, line
