"""What is due when for a pair: periods of the cadence, and good moments to post (pure)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PROMPT_HOUR = 10  # local time the prompt aims for
WORKDAY_START, WORKDAY_END = 8, 19  # a post lands inside these local hours for both people
SEARCH_DAYS = 14


@dataclass(frozen=True)
class PairClock:
    """A pair's rhythm: when it started, how often it meets, how long its round is."""

    started_at: datetime
    cadence: timedelta
    round_length: timedelta

    def period(self, now: datetime) -> int:
        """Which cadence period `now` falls in (0 = the first), or -1 before the start."""
        if now < self.started_at:
            return -1
        return int((now - self.started_at) / self.cadence)

    def period_start(self, index: int) -> datetime:
        """When period `index` begins."""
        return self.started_at + index * self.cadence

    @property
    def periods(self) -> int:
        """How many cadence periods the round has (at least one)."""
        return max(int(self.round_length / self.cadence), 1)

    @property
    def ends_at(self) -> datetime:
        """When the round ends."""
        return self.started_at + self.round_length


def local(moment: datetime, offset_minutes: int) -> datetime:
    """A UTC moment as a person's wall-clock time (naive)."""
    return (moment + timedelta(minutes=offset_minutes)).replace(tzinfo=None)


def is_good_moment(moment: datetime, offsets: Sequence[int]) -> bool:
    """A working day and working hours for everyone involved."""
    return all(
        local(moment, o).weekday() < 5 and WORKDAY_START <= local(moment, o).hour < WORKDAY_END
        for o in offsets
    )


def next_good_moment(
    after: datetime, offsets: Sequence[int], *, hour: int = PROMPT_HOUR
) -> datetime:
    """The earliest moment at or after `after` that is `hour` o'clock for one of the people
    and a working day and working hours for all of them.

    People whose working hours never overlap fall back to `hour` on the first one's working day.
    """
    candidates = []
    start_day = after.astimezone(UTC).date() - timedelta(days=1)
    for day in range(SEARCH_DAYS + 1):
        for offset in offsets:
            wall = datetime.combine(start_day + timedelta(days=day), datetime.min.time())
            moment = (wall + timedelta(hours=hour) - timedelta(minutes=offset)).replace(tzinfo=UTC)
            if moment >= after and is_good_moment(moment, offsets):
                candidates.append(moment)
        if candidates:
            return min(candidates)
    first = offsets[0] if offsets else 0
    for day in range(SEARCH_DAYS + 1):
        wall = datetime.combine(start_day + timedelta(days=day), datetime.min.time())
        moment = (wall + timedelta(hours=hour) - timedelta(minutes=first)).replace(tzinfo=UTC)
        if moment >= after and is_good_moment(moment, [first]):
            return moment
    return after


def working_moment(now: datetime, offsets: Sequence[int], *, hour: int = PROMPT_HOUR) -> datetime:
    """Now, if it is working hours for everyone; otherwise the next good moment at `hour`."""
    return now if is_good_moment(now, offsets) else next_good_moment(now, offsets, hour=hour)


def week_of(day: date) -> date:
    """The Monday of the week `day` is in: the finest time an anonymous answer or tally keeps."""
    return day - timedelta(days=day.weekday())
