"""When a message for some people may go out: inside their (shared) working time (pure)."""

from collections.abc import Sequence
from datetime import datetime

from bot.domain.working_hours import WorkingHours, next_shared_moment, next_working_moment


def delivery_moment(recipients: Sequence[WorkingHours], after: datetime) -> datetime:
    """The first moment at or after `after` at which a message for these people may go out.

    One person: inside their working hours on a working day. Two (a pair's group DM): inside
    the time both are at work. A pair with no shared time in the coming weeks gets it at the
    next moment either of them is at work, so it is never lost and always lands in someone's
    day. Hours with no working time at all (no working days) hold nothing back.
    """
    if len(recipients) >= 2:
        shared = next_shared_moment(recipients[0], recipients[1], after)
        if shared is not None:
            return shared
    moments = []
    for hours in recipients:
        try:
            moments.append(next_working_moment(hours, after))
        except ValueError:
            moments.append(after)
    return min(moments, default=after)
