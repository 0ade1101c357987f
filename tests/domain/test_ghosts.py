"""The ghost rules (pure): asked after two whole silent periods and never earlier, paused one
period later, and time away never held against anyone. Owners see only a withheld count."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.domain import ghosts
from bot.domain.cadence import PairClock
from bot.domain.stat_snapshots import AT_RISK, PeopleNow, snapshot

START = datetime(2027, 1, 4, 8, tzinfo=UTC)  # a Monday
TWO_WEEKS = timedelta(weeks=2)
CLOCK = PairClock(START, TWO_WEEKS, timedelta(weeks=12))
NEW_YORK = -300
# Period 2 starts on 1 February; a day later, 10:00 in New York.
ASK = datetime(2027, 2, 2, 15, tzinfo=UTC)
QUIET = ghosts.Quiet(
    clock=CLOCK,
    anchor=START,
    offset=NEW_YORK,
    last_met=None,
    answered_up_to=None,
    unanswered_since=datetime(2027, 1, 18, 15, tzinfo=UTC),  # their first check-in
    asked_at=None,
)


def test_asked_at_the_first_good_moment_after_two_silent_periods_and_never_before() -> None:
    assert ghosts.ask_at(QUIET, ASK - timedelta(minutes=1), hour=10) is None
    assert ghosts.ask_at(QUIET, ASK, hour=10) == ASK
    # The second silent period itself is not enough: it has to be over (and a day more).
    assert ghosts.ask_at(QUIET, datetime(2027, 2, 1, 15, tzinfo=UTC), hour=10) is None


def test_any_sign_of_life_means_no_question() -> None:
    assert ghosts.ask_at(replace(QUIET, last_met=date(2027, 1, 20)), ASK, hour=10) is None
    assert ghosts.ask_at(replace(QUIET, answered_up_to=0), ASK, hour=10) is None
    # Never sent a check-in (the bot was down): nothing to have left unanswered.
    assert ghosts.ask_at(replace(QUIET, unanswered_since=None), ASK, hour=10) is None
    late = replace(QUIET, unanswered_since=ASK - timedelta(days=2))
    assert ghosts.ask_at(late, ASK, hour=10) is None


def test_silence_counts_from_a_resume_in_whole_periods() -> None:
    back = replace(
        QUIET,
        anchor=datetime(2027, 1, 20, 9, tzinfo=UTC),  # resumed in period 1
        unanswered_since=datetime(2027, 2, 1, 15, tzinfo=UTC),
    )
    # Periods 2 and 3 are the whole silent ones: asked on Tuesday 2 March, not before.
    assert ghosts.ask_at(back, ASK, hour=10) is None
    assert ghosts.ask_at(back, datetime(2027, 3, 2, 14, 59, tzinfo=UTC), hour=10) is None
    assert ghosts.ask_at(back, datetime(2027, 3, 2, 15, tzinfo=UTC), hour=10) is not None


def test_no_question_when_the_round_ends_first() -> None:
    short = replace(QUIET, clock=PairClock(START, TWO_WEEKS, timedelta(weeks=4)))
    assert ghosts.ask_at(short, ASK, hour=10) is None


def test_one_question_then_a_pause_a_whole_period_later() -> None:
    asked = replace(QUIET, asked_at=ASK)
    assert ghosts.ask_at(asked, ASK + timedelta(days=1), hour=10) is None
    assert not ghosts.pause_due(asked, ASK + TWO_WEEKS - timedelta(minutes=1))
    assert ghosts.pause_due(asked, ASK + TWO_WEEKS)
    # A meeting meanwhile settles it instead.
    met = replace(asked, last_met=date(2027, 2, 5))
    assert not ghosts.pause_due(met, ASK + TWO_WEEKS) and ghosts.answered_meanwhile(met)
    # A question from before a pause (or an earlier pair) is moot.
    moot = replace(asked, anchor=ASK + timedelta(days=1))
    assert not ghosts.open_question(moot) and not ghosts.pause_due(moot, ASK + TWO_WEEKS)


def test_owners_see_pairs_at_risk_only_from_k_people() -> None:
    assert snapshot(PeopleNow(pairs_at_risk=2), minimum=5)[AT_RISK] == {"at_risk/total": None}
    assert snapshot(PeopleNow(pairs_at_risk=3), minimum=5)[AT_RISK]["at_risk/total"] == 3
    assert snapshot(PeopleNow(pairs_at_risk=0), minimum=5)[AT_RISK]["at_risk/total"] == 0
