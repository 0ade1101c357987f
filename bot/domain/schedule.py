"""What an active pair is due at a moment: its prompt, a nudge, check-ins (pure, `now` passed in).

Everything is derived from stored facts (when the pair started, its cadence, the last period
that got a prompt or a check-in, the last day it met), so a restart loses nothing. Only the
current period's work is ever due: after downtime a pair gets at most one message of each
kind, never the periods it missed.

- Prompt: once per cadence period, at the prompt hour on a working day for both (the first
  such moment in the period). Due from then until the period ends, when it expires.
- Nudge: when no meeting was recorded for one and a half cadences (since the last meeting, or
  the start), once for that gap, while the round runs.
- Check-in: each person privately, once the period is over, at the prompt hour of their own
  working day; due until the following period ends. The last period has none: the end-of-round
  survey asks then.

After a pause (either person resumed at `resumed_at`) the pair gets one catch-up message, not a
burst: the current period's prompt if it is still to come; no check-in about a period that
ended before the resume, and the nudge's gap counts from the resume. A nudge never lands within
two working days (Monday to Friday) of the pair's last prompt, nor in the tick a prompt is due.

A message that is late (the bot was down) goes out at once if it is working hours for everyone
it is for, otherwise at the next good moment.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from bot.domain.cadence import PairClock, is_good_moment, next_good_moment
from bot.domain.prompts import Stage, stage_for

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday: weeks are counted from here
_MICRO = timedelta(microseconds=1)
_DAY = timedelta(days=1) // _MICRO
_WEEK = 7 * _DAY

# A tick this soon after a slot still posts in the slot (ticks run every minute or so).
GRACE = timedelta(hours=1)
NUDGE_AFTER = 1.5  # cadences without a recorded meeting
# A nudge that could not go out within this long of its moment is dropped, not sent late.
NUDGE_LIFETIME = timedelta(days=1)
NUDGE_PROMPT_GAP_DAYS = 2  # working days between a prompt and a nudge, at least


class PairState(NamedTuple):
    """What the scheduler knows about one active pair: a flat tuple, as there are tens of
    thousands each tick (nested objects would keep the garbage collector busy)."""

    pair_id: int
    team_id: str
    started_at: datetime
    cadence: timedelta
    round_length: timedelta
    mentor: str
    mentee: str
    mentor_offset: int  # minutes east of UTC
    mentee_offset: int
    paused: bool = False  # either of them
    has_channel: bool = True  # the group DM is open (kick-off sent)
    prompted_up_to: int = -1  # the last period with a prompt, -1 for none
    mentor_asked_up_to: int = -1  # the last period each was asked a check-in about
    mentee_asked_up_to: int = -1
    last_met: date | None = None
    resumed_at: datetime | None = None  # the later of the two people's last resume
    last_prompt_at: datetime | None = None  # when the pair's last prompt was stored

    @property
    def clock(self) -> PairClock:
        """The pair's rhythm."""
        return PairClock(self.started_at, self.cadence, self.round_length)

    @property
    def offsets(self) -> tuple[int, int]:
        """Both people's UTC offsets, mentor first."""
        return (self.mentor_offset, self.mentee_offset)


@dataclass(frozen=True)
class PromptDue:
    """A conversation prompt to post in the pair's group DM."""

    pair_id: int
    team_id: str
    period: int
    stage: Stage
    send_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class NudgeDue:
    """A friendly nudge for a pair that has not recorded a meeting since `since`."""

    pair_id: int
    team_id: str
    since: date
    send_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class CheckinDue:
    """A private check-in for one person about one period."""

    pair_id: int
    team_id: str
    user_id: str
    period: int
    send_at: datetime
    expires_at: datetime


@dataclass
class Due:
    """Everything due at one tick."""

    prompts: list[PromptDue] = field(default_factory=list)
    nudges: list[NudgeDue] = field(default_factory=list)
    checkins: list[CheckinDue] = field(default_factory=list)


def decide(states: Iterable[PairState], now: datetime, *, hour: int) -> Due:
    """What is due now for every pair (paused pairs get nothing)."""
    due = Due()
    for state in states:
        if state.paused or now < state.started_at:
            continue
        # Cheap necessary conditions first: on most ticks most pairs have nothing due.
        period = (now - state.started_at) // state.cadence
        periods = max(state.round_length // state.cadence, 1)
        prompt = None
        if state.has_channel and state.prompted_up_to < period < periods:
            prompt = prompt_due(state, now, hour=hour)
            if prompt is not None:
                due.prompts.append(prompt)
        nudge = nudge_due(state, now, hour=hour) if prompt is None else None
        if nudge is not None:
            due.nudges.append(nudge)
        if 1 <= period < periods and min(state.mentor_asked_up_to, state.mentee_asked_up_to) < (
            period - 1
        ):
            due.checkins.extend(checkins_due(state, now, hour=hour))
    return due


def prompt_due(state: PairState, now: datetime, *, hour: int) -> PromptDue | None:
    """The current period's prompt, if its moment has come and it was not posted yet."""
    clock = state.clock
    period = clock.period(now)
    if not state.has_channel or not 0 <= period < clock.periods:
        return None
    if state.prompted_up_to >= period:
        return None
    end = clock.period_start(period + 1)
    slot = slot_after(clock.period_start(period), state.offsets, hour=hour)
    send_at = _send_at(slot, now, state.offsets, hour)
    if send_at is None or send_at >= end:
        return None
    stage = stage_for(period, clock.periods)
    return PromptDue(state.pair_id, state.team_id, period, stage, send_at, end)


def nudge_due(state: PairState, now: datetime, *, hour: int) -> NudgeDue | None:
    """A nudge once the pair has gone one and a half cadences without a recorded meeting."""
    if not state.has_channel:
        return None
    since, moment = nudge_moment(state)
    if now < moment or now >= state.clock.ends_at:
        return None
    slot = slot_after(moment, state.offsets, hour=hour)
    send_at = _send_at(slot, now, state.offsets, hour)
    if send_at is None:
        return None
    return NudgeDue(state.pair_id, state.team_id, since, send_at, send_at + NUDGE_LIFETIME)


def nudge_moment(state: PairState) -> tuple[date, datetime]:
    """The day the pair's gap without a meeting counts from, and when it earns a nudge."""
    since = state.started_at.date()
    if state.last_met is not None and state.last_met > since:
        since = state.last_met
    if state.resumed_at is not None and state.resumed_at.date() > since:
        since = state.resumed_at.date()
    moment = datetime.combine(since, time.min, tzinfo=UTC) + NUDGE_AFTER * state.cadence
    if state.last_prompt_at is not None:
        moment = max(moment, add_working_days(state.last_prompt_at, NUDGE_PROMPT_GAP_DAYS))
    return since, moment


def checkins_due(state: PairState, now: datetime, *, hour: int) -> list[CheckinDue]:
    """Each person's check-in about the period that just ended, if not asked yet."""
    clock = state.clock
    period = clock.period(now) - 1
    if not 0 <= period < clock.periods - 1:
        return []
    end = clock.period_start(period + 2)
    due = []
    for user_id, offset, asked in (
        (state.mentor, state.mentor_offset, state.mentor_asked_up_to),
        (state.mentee, state.mentee_offset, state.mentee_asked_up_to),
    ):
        if asked >= period:
            continue
        if state.resumed_at is not None and state.resumed_at >= clock.period_start(period + 1):
            continue  # the period ended while they were away: the catch-up is the prompt
        slot = slot_after(clock.period_start(period + 1), [offset], hour=hour)
        send_at = _send_at(slot, now, [offset], hour)
        if send_at is not None and send_at < end:
            due.append(CheckinDue(state.pair_id, state.team_id, user_id, period, send_at, end))
    return due


def add_working_days(moment: datetime, days: int) -> datetime:
    """`moment` plus `days` days, Saturdays and Sundays (UTC) not counted."""
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def _send_at(slot: datetime, now: datetime, offsets: Sequence[int], hour: int) -> datetime | None:
    """When to send something whose moment is `slot`: None before it, now if on time or if it is
    working hours for everyone, otherwise the next good moment (never in the middle of a night).
    """
    if now < slot:
        return None
    if now - slot <= GRACE:
        return slot
    return _late_send_at(now, tuple(offsets), hour)


@lru_cache(maxsize=4096)
def _late_send_at(now: datetime, offsets: tuple[int, ...], hour: int) -> datetime:
    """Now if it is working hours for everyone, else their next good moment (the same for
    every late message to the same time zones in one tick, hence the cache)."""
    return now if is_good_moment(now, offsets) else slot_after(now, offsets, hour=hour)


def slot_after(after: datetime, offsets: Sequence[int], *, hour: int) -> datetime:
    """`cadence.next_good_moment`, answered from a table of one week computed once per set of
    time zones, so deciding for tens of thousands of pairs takes a lookup each, not a search.

    Its answer only changes at the moments it tries (`hour` o'clock in one of the zones) and
    repeats every week, so `after` is rounded up to the next such moment and moved into the
    table's week.
    """
    key = tuple(offsets)
    since = (after - _EPOCH) // _MICRO
    # The first moment at or after `after` that is `hour` o'clock in one of the zones.
    candidate = min(phase + -((phase - since) // _DAY) * _DAY for phase in _phases(key, hour))
    weeks, into_week = divmod(candidate, _WEEK)
    answer = _week_table(key, hour)[into_week]
    return _EPOCH + (weeks * _WEEK + answer) * _MICRO


@lru_cache(maxsize=1024)
def _phases(offsets: tuple[int, ...], hour: int) -> frozenset[int]:
    """When `hour` o'clock comes in each zone, as microseconds into a UTC day."""
    return frozenset((timedelta(hours=hour, minutes=-o) // _MICRO) % _DAY for o in offsets)


@lru_cache(maxsize=1024)
def _week_table(offsets: tuple[int, ...], hour: int) -> dict[int, int]:
    """For every moment of one week that `next_good_moment` tries, its answer (microseconds
    since the start of that week)."""
    table = {}
    for phase in _phases(offsets, hour):
        for day in range(7):
            moment = phase + day * _DAY
            found = next_good_moment(_EPOCH + moment * _MICRO, offsets, hour=hour)
            table[moment] = (found - _EPOCH) // _MICRO
    return table


def pair_topics(
    mentor_shares: Collection[str],
    mentor_learns: Collection[str],
    mentee_shares: Collection[str],
    mentee_learns: Collection[str],
) -> frozenset[str]:
    """The topics to prefer for a pair: what one shares and the other wants to learn, or, when
    nothing matches that way, anything either of them shares or wants to learn."""
    complementary = (set(mentor_shares) & set(mentee_learns)) | (
        set(mentee_shares) & set(mentor_learns)
    )
    if complementary:
        return frozenset(complementary)
    return frozenset(mentor_shares) | set(mentor_learns) | set(mentee_shares) | set(mentee_learns)
