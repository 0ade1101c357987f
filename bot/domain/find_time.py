"""Finding a time: which picks are valid, who moves first, when a first mover is reminded (pure)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.pairs import TwoPeople
from bot.domain.slots import QUARTER, suggest_times
from bot.domain.states import FirstMover
from bot.domain.working_hours import (
    WorkingHours,
    both_working,
    is_working_day,
    next_working_moment,
)

BATCH = 3  # suggested times shown at once; *Other times* shows the next three
FIRST_MOVER_DAYS = 5  # working days after the kick-off before the first mover is reminded


def first_mover_of(pair: TwoPeople, mover: FirstMover) -> str:
    """The person who proposes the pair's first meeting: the mentee learns, the mentor shares."""
    return pair.mentee_id if mover == FirstMover.LEARN else pair.mentor_id


def suggestions(
    a: WorkingHours,
    b: WorkingHours,
    *,
    period_start: datetime,
    period_end: datetime,
    length_minutes: int,
    now: datetime,
    skip: int = 0,
) -> list[datetime]:
    """A batch of suggested starts inside both people's hours, spread over the period."""
    return suggest_times(
        a,
        b,
        period_start=period_start,
        period_end=period_end,
        length_minutes=length_minutes,
        now=now,
        count=BATCH,
        skip=skip,
    )


def pick_fits(
    a: WorkingHours, b: WorkingHours, *, start: datetime, length_minutes: int, now: datetime
) -> bool:
    """Whether a picked start is still ahead, on a quarter hour, and the whole session is
    inside both people's working hours (a button's value is checked, not trusted)."""
    if start <= now or start.second or start.microsecond or start.minute % QUARTER:
        return False
    last = start + timedelta(minutes=length_minutes - 1)
    return both_working(a, b, start) and both_working(a, b, last)


def reminder_due(hours: WorkingHours, kicked_off: datetime) -> datetime:
    """When a first mover with nothing planned is reminded: their first working moment after
    `FIRST_MOVER_DAYS` of their working days have passed since the kick-off's day."""
    zone = ZoneInfo(hours.tz)
    day = kicked_off.astimezone(zone).date()
    counted = 0
    for _ in range(366):  # hours with no working day at all stop after a year
        if counted == FIRST_MOVER_DAYS:
            break
        day += timedelta(days=1)
        if is_working_day(hours, day):
            counted += 1
    following = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return next_working_moment(hours, following)


# What the invite's description says for a meeting picked from the kick-off or the reminder.
FIRST_SESSION = (
    "A first session: share your strengths and what you'd like to get better at, agree what "
    "stays between you, decide how often you'll meet, and write down 1-3 goals."
)


class PlaceKind(StrEnum):
    """The message a batch of suggested times is shown in."""

    KICKOFF = "k"
    PROMPT = "p"
    REMINDER = "r"


@dataclass(frozen=True)
class Place:
    """Where suggested times are shown, and the cadence period they are for."""

    kind: PlaceKind
    period: int

    @property
    def code(self) -> str:
        """A short form for a button's value: "k0", "p3", "r1"."""
        return f"{self.kind}{self.period}"

    @classmethod
    def parse(cls, code: str) -> "Place | None":
        """A place from its code; None for anything else."""
        kind, digits = code[:1], code[1:]
        if kind not in PlaceKind._value2member_map_ or not digits.isdigit() or len(digits) > 4:
            return None
        return cls(PlaceKind(kind), int(digits))


def period_bounds(
    started_at: datetime, cadence: timedelta, period: int
) -> tuple[datetime, datetime]:
    """The start and end of a pair's cadence period (the kick-off is period 0)."""
    start = started_at + period * cadence
    return start, start + cadence
