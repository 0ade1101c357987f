"""Sam goes quiet: Maya answers her check-ins, Sam answers nothing and records no meeting."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.runtime import Runtime
from bot.slack.ghosts.blocks import QUESTION
from bot.store.models import Pair, Participant
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.inputs import selected
from tests.support.keep_going import MAYA, SAM, START, Clock, click_in

# Sam's question: period 2 begins on Mon 1 Feb; a day later, at 10:00 in New York.
ASKED = datetime(2027, 2, 2, 15, tzinfo=UTC)
# One more period without an answer.
PAUSED = ASKED + timedelta(weeks=2)


def questions(sent: list[Call]) -> list[Call]:
    """The "are you still in?" DMs among posts."""
    return [c for c in sent if c.args["text"] == QUESTION]


def answer_checkin(slack: SlackDriver, fake: FakeSlack, user: str, checkin: Call) -> None:
    """Open the check-in form from its DM and say "no, we didn't meet"."""
    before = len(fake.calls_to("views.open"))
    click_in(slack, user, checkin, "checkin_open")
    form = fake.wait_for("views.open", count=before + 1)[-1]
    slack.submit_view(
        user, view_id=form.response["view"]["id"],
        values={"met": {"met": selected("no", "radio_buttons")}},
    )  # fmt: skip


def go_quiet(slack: SlackDriver, fake: FakeSlack, clock: Clock, *, until: datetime) -> list[Call]:
    """Tick every six hours from the start up to `until`; Maya answers each check-in she gets.
    Every post sent meanwhile."""
    sent: list[Call] = []
    moment = START + timedelta(hours=1)
    while moment < until:
        posts = clock.tick(moment)
        for call in posts:
            if call.args["channel"] == MAYA and "check-in" in call.args["text"]:
                answer_checkin(slack, fake, MAYA, call)
        sent += posts
        moment += timedelta(hours=6)
    return sent


def person(runtime: Runtime, user_id: str = SAM) -> Participant | None:
    with runtime.sessions() as session:
        return session.scalar(select(Participant).where(Participant.user_id == user_id))


def the_pair(runtime: Runtime) -> Pair:
    with runtime.sessions() as session:
        pair: Pair | None = session.scalar(select(Pair))
    assert pair is not None
    return pair
