"""When the scheduler next needs to look at an active pair (pure, `now` passed in).

A tick decides only for the pairs whose next check has come. For each pair it found nothing
due for, it keeps the earliest moment anything could become due, as long as the facts it
decided on stay as they are. Facts the tick writes itself (prompts, check-in requests) and
facts that only make things later (a meeting, a pause, an ended pair) need nothing more; a fact
that can make something due sooner (a resume, a new time zone, the kick-off's group DM, a
continued round, new programme settings) asks for a check at once where it is stored
(`bot.store.keep_going.check_now`).

Every bound is at or before its moment: early costs one more look at the pair, late would
lose a message.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.domain.schedule import PairState, nudge_moment, slot_after

NEVER = datetime(9999, 1, 1, tzinfo=UTC)  # nothing can come without a new fact


def next_check(state: PairState, now: datetime, *, hour: int, nudged: bool) -> datetime:
    """The next moment to decide for a pair that has nothing due at `now` (`nudged`: its
    nudge for the current gap was already stored)."""
    if state.paused:
        return NEVER
    if now < state.started_at:
        return state.started_at
    clock = state.clock
    period, periods = clock.period(now), clock.periods
    moments = [NEVER]
    if period + 1 < periods:
        # The next period brings its prompt and the check-ins about this one.
        moments.append(clock.period_start(period + 1))
    if period < periods and state.has_channel and state.prompted_up_to < period:
        slot = slot_after(clock.period_start(period), state.offsets, hour=hour)
        moments.append(_pending(slot, now, state.offsets))
    if 1 <= period < periods:
        opened = clock.period_start(period)
        for offset, asked in (
            (state.mentor_offset, state.mentor_asked_up_to),
            (state.mentee_offset, state.mentee_asked_up_to),
        ):
            if asked < period - 1 and (state.resumed_at is None or state.resumed_at < opened):
                moments.append(_pending(slot_after(opened, [offset], hour=hour), now, [offset]))
    if state.has_channel and not nudged and now < clock.ends_at:
        moments.append(slot_after(nudge_moment(state)[1], state.offsets, hour=hour))
    return min((m for m in moments if m > now), default=NEVER)


def _pending(slot: datetime, now: datetime, offsets: Sequence[int]) -> datetime:
    """When a message of this period still to send can next be due: at its slot; once that has
    passed it is late, and goes as soon as working hours come for all of `offsets`, which
    begin on some local hour: the next time any of their clocks turns an hour."""
    if slot > now:
        return slot
    minute = now.replace(second=0, microsecond=0)
    return min(minute + timedelta(minutes=60 - (minute.minute + offset) % 60) for offset in offsets)
