"""When a message may go out: inside the recipient's working time, or both people's."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.delivery_time import delivery_moment
from bot.domain.working_hours import WorkingHours, both_working, is_working
from tests.support.hours import working_hours

LONDON = WorkingHours(tz="Europe/London", country="GB-ENG")
NEW_YORK = WorkingHours(tz="America/New_York")
KOLKATA = WorkingHours(tz="Asia/Kolkata")
LOS_ANGELES = WorkingHours(tz="America/Los_Angeles")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_one_person_waits_for_their_next_working_moment() -> None:
    assert delivery_moment([LONDON], at("2027-01-05 10:00")) == at("2027-01-05 10:00")
    assert delivery_moment([LONDON], at("2027-01-05 17:00")) == at("2027-01-06 09:00")
    # Friday evening: Monday morning; Good Friday and Easter Monday are holidays in England.
    assert delivery_moment([LONDON], at("2027-01-08 18:00")) == at("2027-01-11 09:00")
    assert delivery_moment([LONDON], at("2027-03-25 18:00")) == at("2027-03-30 08:00")


def test_a_pair_waits_for_the_time_both_are_at_work() -> None:
    # London 09-17 and New York 09-17 (14-22 UTC) share 14:00-17:00 UTC in January.
    assert delivery_moment([LONDON, NEW_YORK], at("2027-01-05 09:00")) == at("2027-01-05 14:00")


def test_a_pair_with_no_shared_time_gets_it_when_either_is_at_work() -> None:
    # Kolkata 03:30-11:30 UTC, Los Angeles 17:00-01:00 UTC: never at once.
    moment = delivery_moment([KOLKATA, LOS_ANGELES], at("2027-01-05 12:00"))
    assert moment == at("2027-01-05 17:00")  # Los Angeles starts first
    assert is_working(LOS_ANGELES, moment)


def test_someone_with_no_working_days_holds_nothing_back() -> None:
    never = WorkingHours(tz="UTC", days=frozenset())
    assert delivery_moment([never], at("2027-01-05 03:00")) == at("2027-01-05 03:00")
    assert delivery_moment([], at("2027-01-05 03:00")) == at("2027-01-05 03:00")


@settings(max_examples=200, deadline=None)
@given(a=working_hours(), b=working_hours(), minute=st.integers(0, 60 * 24 * 365))
def test_the_moment_is_never_early_and_always_inside_working_time(
    a: WorkingHours, b: WorkingHours, minute: int
) -> None:
    after = at("2027-01-01 00:00") + minute * (at("2027-01-01 00:01") - at("2027-01-01 00:00"))
    one = delivery_moment([a], after)
    assert one >= after and is_working(a, one)
    two = delivery_moment([a, b], after)
    assert two >= after
    assert both_working(a, b, two) or is_working(a, two) or is_working(b, two)
