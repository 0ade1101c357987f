"""Ghosts, with dignity: when a quiet person is asked once whether they are still in, and when
an unanswered question pauses them (pure, `now` passed in).

Silence is counted in whole cadence periods of the pair, from its *anchor*: the latest of the
current round's start (both chose to carry on) and both people's last pause, resume or profile
change (so time away, or just back, never counts). A person is silent when, since the anchor,
they answered no check-in, the pair recorded no meeting, and a check-in they were sent has
waited a whole period. After two whole silent periods, and one day more (the check-in sent at
that period's end gets a day to be answered first), they get one private question: *Still in*
/ *Pause until…* / *Leave the programme*. If one more period passes with no answer and still no
sign of life, they are paused and the pair ends. No question is asked when the round would end
before its answer is due: the closing survey asks then.

Only facts the design already keeps are read: the pair's meetings and each check-in request's
"answered" mark, never what anyone answered.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.cadence import PairClock
from bot.domain.schedule import GRACE, slot_after

SILENT_PERIODS = 2
# The check-in about the second silent period goes out as it ends: a day to answer it first.
ASK_DELAY = timedelta(days=1)


@dataclass(frozen=True)
class Quiet:
    """What the ghost check knows about one person of an active pair."""

    clock: PairClock
    anchor: datetime  # silence is counted from here
    offset: int  # the person's minutes east of UTC
    last_met: date | None  # the pair's last recorded meeting
    answered_up_to: int | None  # the last period of theirs answered in this pair, None: none
    # The earliest check-in asked since the anchor that they left unanswered (None: none):
    # silence counts only when they were asked, so downtime or a pause is never held against
    # anyone.
    unanswered_since: datetime | None
    asked_at: datetime | None  # the open "still in?" question, if any


def anchor(started_at: datetime, *changes: datetime) -> datetime:
    """The moment silence is counted from: the start of the pair's current round (both chose to
    carry on: a sign of life) or a later pause, resume or profile edit."""
    return max((started_at, *changes))


def first_silent_period(quiet: Quiet) -> int:
    """The first whole period of the pair that begins at or after the anchor."""
    clock = quiet.clock
    elapsed = (quiet.anchor - clock.started_at) / clock.cadence
    return max(0, math.ceil(elapsed))


def active_since_anchor(quiet: Quiet) -> bool:
    """Whether the person (or the pair, by a meeting) has shown a sign of life since the anchor.

    A check-in about the period before the first silent one is asked inside the silence, so an
    answer to it counts (and one period earlier still, in case it was asked just after a resume).
    """
    if quiet.last_met is not None and quiet.last_met >= quiet.anchor.date():
        return True
    first = first_silent_period(quiet)
    return quiet.answered_up_to is not None and quiet.answered_up_to >= first - 2


def ask_at(quiet: Quiet, now: datetime, *, hour: int) -> datetime | None:
    """When to send the question, if it is due now; None when it is not (yet, or at all)."""
    if quiet.asked_at is not None and quiet.asked_at >= quiet.anchor:
        return None  # asked already; only a reply, a pause or a new pair starts afresh
    clock = quiet.clock
    first = first_silent_period(quiet)
    if first + SILENT_PERIODS >= clock.periods:
        return None  # the round ends first: its closing survey asks what they want next
    moment = clock.period_start(first + SILENT_PERIODS) + ASK_DELAY
    if now < moment or active_since_anchor(quiet):
        return None
    if quiet.unanswered_since is None or now < quiet.unanswered_since + clock.cadence:
        return None  # not yet a whole period since they were first asked and said nothing
    slot = slot_after(moment, [quiet.offset], hour=hour)
    if now < slot:
        return None
    send_at = slot if now - slot <= GRACE else slot_after(now, [quiet.offset], hour=hour)
    if send_at + clock.cadence > clock.ends_at:
        return None  # the round ends before an answer is due: its closing survey asks instead
    return send_at


def open_question(quiet: Quiet) -> bool:
    """Whether the person was asked and nothing since has made the question moot."""
    return quiet.asked_at is not None and quiet.asked_at >= quiet.anchor


def pause_due(quiet: Quiet, now: datetime) -> bool:
    """Whether an open question has gone one whole period unanswered, with no sign of life."""
    if not open_question(quiet) or quiet.asked_at is None:
        return False
    return now >= quiet.asked_at + quiet.clock.cadence and not active_since_anchor(quiet)


def answered_meanwhile(quiet: Quiet) -> bool:
    """Whether an open question was overtaken by a check-in answer or a meeting."""
    return open_question(quiet) and active_since_anchor(quiet)
