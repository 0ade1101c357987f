"""People across five time zones joining with real working hours, and a record of every post
with the moment it went out, for checking it against its recipients' hours."""

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlalchemy import select

from bot.domain.working_hours import WorkingHours, next_working_moment
from bot.runtime import Runtime
from bot.store.models import Pair
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.bot import BotServer
from tests.support.inputs import clock, many, selected, typed
from tests.support.participants import join

WEEKDAYS = ("0", "1", "2", "3", "4")


@dataclass(frozen=True)
class Someone:
    """A participant of the simulation: who, where, their hours and which side."""

    user_id: str
    tz: str
    offset_minutes: int  # Slack's tz_offset in January, for the fake profile
    country: str | None
    shares: bool
    start: time = time(9)
    end: time = time(17)
    manager: str | None = None

    @property
    def hours(self) -> WorkingHours:
        """What the survey will store for them."""
        return WorkingHours(
            tz=self.tz,
            start=self.start,
            end=self.end,
            days=frozenset(range(5)),
            country=self.country,
        )


PEOPLE = (
    Someone("U0LDN1", "Europe/London", 0, "GB", shares=True),
    Someone("U0KOL1", "Asia/Kolkata", 330, "IN", shares=True),
    Someone("U0LAX1", "America/Los_Angeles", -480, "US-CA", shares=True),
    Someone("U0BER1", "Europe/Berlin", 60, "DE-BE", shares=True, start=time(8), end=time(16)),
    Someone("U0NYC1", "America/New_York", -300, "US-NY", shares=True),
    # Each learner reports to the sharer in their own city, so every pair crosses time zones.
    Someone("U0NYC2", "America/New_York", -300, "US", False, time(10), time(18), manager="U0NYC1"),
    Someone("U0BER2", "Europe/Berlin", 60, "DE", shares=False, manager="U0BER1"),
    Someone("U0LAX2", "America/Los_Angeles", -480, None, shares=False, manager="U0LAX1"),
    Someone("U0LDN2", "Europe/London", 0, "GB-SCT", shares=False, manager="U0LDN1"),
    Someone("U0KOL2", "Asia/Kolkata", 330, "IN", shares=False, manager="U0KOL1"),
)


@dataclass
class Posts:
    """Every chat.postMessage so far, each with the (frozen) moment it was made."""

    fake: FakeSlack
    seen: int = 0
    sent: list[tuple[datetime, Call]] = field(default_factory=list)

    def note(self, at: datetime) -> list[Call]:
        """The posts made since the last note, stamped `at`."""
        calls = self.fake.calls_to("chat.postMessage")[self.seen :]
        self.seen += len(calls)
        self.sent += [(at, c) for c in calls]
        return calls


def join_in_own_hours(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: BotServer,
    frozen: Any,
    someone: Someone,
    after: datetime,
) -> datetime:
    """They join at the first moment of their own working time after `after` (so the welcome,
    a reply to joining, is inside it too); that moment."""
    at = next_working_moment(someone.hours, after)
    frozen.move_to(at)
    fake.add_user(
        someone.user_id,
        real_name=someone.user_id.title(),
        tz=someone.tz,
        tz_offset=someone.offset_minutes * 60,
    )
    join(
        slack,
        fake,
        someone.user_id,
        side=selected("share" if someone.shares else "learn", "radio_buttons"),
        stage=selected("0" if someone.shares else "4"),
        department=typed("Marketing" if someone.shares else "Finance"),
        manager={"type": "users_select", "selected_user": someone.manager},
        shares=many("digital_tools") if someone.shares else many(),
        learns=many("leadership") if someone.shares else many("digital_tools"),
        work_start=clock(f"{someone.start:%H:%M}"),
        work_end=clock(f"{someone.end:%H:%M}"),
        work_days=many(*WEEKDAYS, kind="checkboxes"),
        country=typed(someone.country or ""),
    )
    bot.settle()  # the time zone is read from the profile after the answer
    return at


def members(runtime: Runtime) -> dict[str, tuple[str, str]]:
    """Each pair's group DM and its two people."""
    with runtime.sessions() as session:
        pairs = session.scalars(select(Pair).where(Pair.channel_id.is_not(None))).all()
        return {p.channel_id: (p.mentor_id, p.mentee_id) for p in pairs if p.channel_id}
