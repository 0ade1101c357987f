"""Suggested meeting times for a pair: inside both people's working hours, spread over a period.

How the suggestions are chosen (deterministic, from the inputs alone):

1. The pair's shared working time (`shared_intervals`: working days, no public holiday of
   either person) gives windows. A window offers starts an hour apart from its first quarter
   hour, as long as a whole session fits; the first of them rotates with the window's number
   (counted from the start of a block of four UTC weeks), so the days do not all offer the
   same hour.
2. The period is cut into `count` equal parts; each window belongs to the part it starts in.
3. Each part lists its candidates: every window's first start in turn (so different days come
   first), then every window's second start, and so on.
4. The parts are interleaved (part 1, 2, 3, part 1, 2, 3, ...) into one sequence that does not
   depend on `now`; candidates starting before `now + notice` or the period, or ending after
   the period, are dropped; the batch is `count` candidates from position `skip` on.

So three suggestions fall in three different thirds of the period, and "Other times"
(`skip=3`) gives the next three, never one of the first three, even when asked for later.

Speed: the scheduler may ask for every active pair in a tick, so a pair's windows are turned
once into arrays (cached per pair of hours, length and block) and a call is a few bisects and,
usually, three array reads: about 5 µs a pair (benchmarks/slots.py).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.working_hours import (
    DAY_MINUTES,
    DAY_NAMES,
    EPOCH,
    MINUTE,
    WEEK_MINUTES,
    WorkingHours,
    shared_intervals,
)

SESSION_LENGTHS = (30, 45, 60)  # minutes; a programme setting
QUARTER = 15  # minutes: every suggestion starts on a quarter hour
STEP = 60  # minutes between the starts offered inside one window
NOTICE = timedelta(hours=2)  # the least time between asking and the earliest suggestion
# Windows are worked out once per pair of hours, session length and span of weeks from the
# start of a block of weeks; windows are numbered from the block's start, so a longer span
# only adds windows at the end.
BLOCK_WEEKS = 4
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Plan:
    """A pair's usable windows over some weeks for one session length, as parallel arrays."""

    firsts: list[int]  # first start of each window, on a quarter hour
    counts: list[int]  # how many starts (an hour apart) fit in the window
    leads: list[int]  # the window's own first candidate: its rotated first start
    lasts: list[int]  # the window's latest start
    ends: list[int]  # where the window ends


@lru_cache(maxsize=1 << 15)
def _plan(a: WorkingHours, b: WorkingHours, length: int, week: int, weeks: int) -> _Plan:
    lo = week * WEEK_MINUTES
    plan = _Plan([], [], [], [], [])
    for start, end in shared_intervals(a, b, lo, lo + weeks * WEEK_MINUTES):
        first = -(-start // QUARTER) * QUARTER
        room = end - length - first
        if room >= 0:
            count = room // STEP + 1
            plan.firsts.append(first)
            plan.counts.append(count)
            plan.leads.append(first + len(plan.leads) % count * STEP)
            plan.lasts.append(first + (count - 1) * STEP)
            plan.ends.append(end)
    return plan


def _later_starts(plan: _Plan, begin: int, end: int) -> Iterator[int]:
    """A part's candidates after every window's first start: second starts, third starts..."""
    firsts, counts = plan.firsts, plan.counts
    position = 1
    while True:
        more = False
        for i in range(begin, end):
            count = counts[i]
            if position < count:
                more = True
                yield firsts[i] + (position + i) % count * STEP
        if not more:
            return
        position += 1


def suggest_times(
    a: WorkingHours,
    b: WorkingHours,
    *,
    period_start: datetime,
    period_end: datetime,
    length_minutes: int,
    now: datetime,
    count: int = 3,
    skip: int = 0,
    notice: timedelta = NOTICE,
) -> list[datetime]:
    """Up to `count` meeting starts (aware UTC, in time order) inside both people's working
    hours in the period, spread over it; `skip` passes over earlier batches ("Other times")."""
    if length_minutes <= 0 or count < 0 or skip < 0:
        raise ValueError("length must be positive, count and skip not negative")
    # Minutes since EPOCH, inline: this runs for every pair in a tick.
    lo = -((EPOCH - period_start) // MINUTE)
    hi = (period_end - EPOCH) // MINUTE
    earliest = -((EPOCH - now - notice) // MINUTE)
    if earliest < lo:
        earliest = lo
    latest = hi - length_minutes
    if count == 0 or earliest > latest:
        return []
    week = lo // WEEK_MINUTES // BLOCK_WEEKS * BLOCK_WEEKS
    # A day past the period's end, so that no window the period uses is cut by the plan's end.
    plan = _plan(a, b, length_minutes, week, (hi + DAY_MINUTES) // WEEK_MINUTES - week + 1)
    firsts, leads, lasts = plan.firsts, plan.leads, plan.lasts
    if not firsts:
        return []  # their hours never meet
    # The windows of each part, [begin, end); a part over before `earliest` offers nothing and
    # is left out, which does not reorder the others (a part only partly over stays whole:
    # dropping its early starts would).
    span = hi - lo
    begin = bisect_right(plan.ends, lo)  # the first window still open at the period's start
    parts: list[tuple[int, int]] = []
    whole = True  # every part has a window, and the first of each is a good start
    for p in range(1, count + 1):
        end = (
            bisect_left(firsts, lo - (-p * span // count)) if p < count else bisect_left(firsts, hi)
        )
        if end <= begin:
            whole = False
            continue
        if lasts[end - 1] >= earliest:
            parts.append((begin, end))
            if not earliest <= leads[begin] <= latest:
                whole = False
        else:
            whole = False
        begin = end
    if whole and skip == 0:
        # The usual answer: each part's first window, in its first start.
        return [EPOCH + MINUTE * leads[begin] for begin, _ in parts]
    # Round r takes each part's r-th candidate: every window's first start in turn (read off
    # directly while every part still has windows), then the later starts (a generator, only
    # for parts that get that far).
    wanted = skip + count
    chosen = []
    seen = 0
    r = 0
    shortest = min((end - begin for begin, end in parts), default=0)
    while r < shortest:
        for begin, _ in parts:
            candidate = leads[begin + r]
            if earliest <= candidate <= latest:
                if seen >= skip:
                    chosen.append(candidate)
                seen += 1
                if seen == wanted:
                    chosen.sort()
                    return [EPOCH + MINUTE * minute for minute in chosen]
        r += 1
    later: dict[int, Iterator[int]] = {}
    while parts and seen < wanted:
        alive = []
        for part in parts:
            first, end = part
            i = first + r
            if i < end:
                candidate = leads[i]
            else:
                if first not in later:
                    later[first] = _later_starts(plan, first, end)
                following = next(later[first], None)
                if following is None:
                    continue
                candidate = following
            alive.append(part)
            if earliest <= candidate <= latest:
                if seen >= skip:
                    chosen.append(candidate)
                seen += 1
                if seen == wanted:
                    break
        parts = alive
        r += 1
    chosen.sort()
    return [EPOCH + MINUTE * minute for minute in chosen]


def local_label(slot: datetime, tz: str) -> str:
    """A suggestion as the viewer reads it in their own zone: "Tue 8 Dec, 14:30"."""
    wall = slot.astimezone(ZoneInfo(tz))
    return f"{DAY_NAMES[wall.weekday()]} {wall.day} {MONTH_NAMES[wall.month - 1]}, {wall:%H:%M}"
