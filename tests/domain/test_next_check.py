"""A pair's next check is never later than the first moment anything becomes due for it."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.next_check import NEVER, next_check
from bot.domain.schedule import PairState, decide

HOUR = 10
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
OFFSETS = st.sampled_from([-480, -300, 0, 60, 330, 540])


@st.composite
def moments(draw: st.DrawFn, after: datetime, weeks: int) -> datetime:
    return after + timedelta(minutes=draw(st.integers(0, weeks * 7 * 24 * 60)))


@st.composite
def pairs(draw: st.DrawFn) -> PairState:
    """Any active pair, at any point of its round, with any history the facts allow."""
    cadence = timedelta(weeks=draw(st.integers(1, 4)))
    round_length = cadence * draw(st.integers(1, 6)) + timedelta(weeks=draw(st.integers(0, 2)))
    started = draw(moments(START, 4))
    periods = max(round_length // cadence, 1)
    return PairState(
        pair_id=1,
        team_id="T1",
        started_at=started,
        cadence=cadence,
        round_length=round_length,
        mentor="U0MENTOR",
        mentee="U0MENTEE",
        mentor_offset=draw(OFFSETS),
        mentee_offset=draw(OFFSETS),
        paused=draw(st.booleans()) and draw(st.booleans()),
        has_channel=draw(st.booleans()) or draw(st.booleans()),
        prompted_up_to=draw(st.integers(-1, periods)),
        mentor_asked_up_to=draw(st.integers(-1, periods)),
        mentee_asked_up_to=draw(st.integers(-1, periods)),
        last_met=draw(st.none() | st.dates(date(2027, 1, 1), date(2027, 6, 1))),
        resumed_at=draw(st.none() | moments(START, 20)),
        last_prompt_at=draw(st.none() | moments(START, 20)),
    )


def nothing_due(state: PairState, now: datetime, nudged: set[date]) -> bool:
    due = decide([state], now, hour=HOUR)
    return not due.prompts and not due.checkins and {n.since for n in due.nudges} <= nudged


@settings(max_examples=400, deadline=None)
@given(state=pairs(), data=st.data())
def test_nothing_becomes_due_before_the_next_check(state: PairState, data: st.DataObject) -> None:
    # Any moment from a day before the pair starts to a week after its round.
    now = data.draw(moments(state.started_at - timedelta(days=1), state.round_length.days // 7 + 2))
    due = decide([state], now, hour=HOUR)
    if due.prompts or due.checkins:
        return  # a pair with something due is decided again at the next tick
    nudged = {n.since for n in due.nudges}  # a nudge found due was stored (or already was)
    check = next_check(state, now, hour=HOUR, nudged=bool(nudged))
    assert check > now
    # Every moment before the check, on the same facts, finds nothing new due.
    until = min(check, now + timedelta(weeks=30))
    span = int((until - now).total_seconds() // 60)
    for minutes in {
        1,
        span - 1,
        *data.draw(st.lists(st.integers(1, max(span - 1, 1)), max_size=24)),
    }:
        moment = now + timedelta(minutes=minutes)
        if now < moment < until:
            assert nothing_due(state, moment, nudged), moment
    if check < NEVER:
        assert check <= now + timedelta(weeks=30)


def test_the_check_comes_with_the_first_slot_of_a_prompt_still_to_come() -> None:
    state = PairState(
        7, "T1", START, timedelta(weeks=2), timedelta(weeks=12), "U0A", "U0B", 60, -300
    )
    before = START - timedelta(hours=1)
    assert next_check(state, before, hour=HOUR, nudged=False) == START
    # 10:00 in New York is the first moment good for both on the first day.
    check = next_check(state, START, hour=HOUR, nudged=False)
    assert check == datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
    assert decide([state], check, hour=HOUR).prompts


def test_a_paused_pair_waits_for_its_resume() -> None:
    state = PairState(
        7, "T1", START, timedelta(weeks=2), timedelta(weeks=12), "U0A", "U0B", 0, 0, paused=True
    )
    assert next_check(state, START, hour=HOUR, nudged=False) == NEVER
