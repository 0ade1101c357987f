"""What is due when for a pair: prompts, nudges and check-ins at good local moments, no backlog."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.cadence import local, next_good_moment, week_of
from bot.domain.prompt_files import default_library
from bot.domain.prompts import choose_prompt
from bot.domain.schedule import (
    Due,
    PairState,
    checkins_due,
    decide,
    nudge_due,
    pair_topics,
    prompt_due,
    slot_after,
)

HOUR = 10
BERLIN, NEW_YORK = 60, -300
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
TWO_WEEKS = timedelta(weeks=2)
PAIR = PairState(
    pair_id=7,
    team_id="T1",
    started_at=START,
    cadence=TWO_WEEKS,
    round_length=timedelta(weeks=12),
    mentor="U0MENTOR",
    mentee="U0MENTEE",
    mentor_offset=BERLIN,
    mentee_offset=NEW_YORK,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_prompt_waits_for_ten_oclock_in_new_york_on_a_working_day() -> None:
    # 10:00 in Berlin is 04:00 in New York; 10:00 in New York is 16:00 in Berlin.
    assert prompt_due(PAIR, at("2027-01-04 14:59"), hour=HOUR) is None
    due = prompt_due(PAIR, at("2027-01-04 15:01"), hour=HOUR)
    assert due is not None
    assert (due.period, due.stage, due.send_at) == (0, "first", at("2027-01-04 15:00"))
    assert due.expires_at == START + TWO_WEEKS
    assert local(due.send_at, NEW_YORK).hour == 10 and local(due.send_at, BERLIN).hour == 16


def test_a_period_starting_at_the_weekend_is_prompted_on_monday() -> None:
    saturday = PAIR._replace(started_at=at("2027-01-09 12:00"))
    assert prompt_due(saturday, at("2027-01-10 23:00"), hour=HOUR) is None
    due = prompt_due(saturday, at("2027-01-11 15:00"), hour=HOUR)
    assert due is not None and due.send_at.weekday() == 0


def test_one_prompt_per_period_and_stages_follow_the_round() -> None:
    second = at("2027-01-18 15:00")
    assert prompt_due(PAIR._replace(prompted_up_to=1), second, hour=HOUR) is None
    due = prompt_due(PAIR._replace(prompted_up_to=0), second, hour=HOUR)
    assert due is not None and (due.period, due.stage) == (1, "first")  # six periods: two first
    middle = prompt_due(PAIR._replace(prompted_up_to=1), at("2027-02-01 15:00"), hour=HOUR)
    assert middle is not None and middle.stage == "middle"
    last = prompt_due(PAIR._replace(prompted_up_to=4), at("2027-03-15 15:00"), hour=HOUR)
    assert last is not None and (last.period, last.stage) == (5, "closing")
    assert prompt_due(PAIR, at("2027-03-29 15:00"), hour=HOUR) is None  # the round is over


def test_after_downtime_only_the_current_period_and_never_at_night() -> None:
    # Down from the first prompt until a Thursday night in period 3 (Berlin 23:00).
    late = at("2027-02-18 22:00")
    due = decide([PAIR], late, hour=HOUR)
    assert [p.period for p in due.prompts] == [3]
    assert due.prompts[0].send_at == at("2027-02-19 15:00")  # Friday, 10:00 in New York
    assert [c.period for c in due.checkins] == [2, 2]  # only the last period's check-in
    # In working hours for both, a late prompt goes at once.
    afternoon = at("2027-02-18 15:30")
    assert decide([PAIR], afternoon, hour=HOUR).prompts[0].send_at == afternoon


def test_a_paused_pair_gets_nothing_and_no_channel_means_no_prompt() -> None:
    moment = at("2027-02-18 15:30")
    assert decide([PAIR._replace(paused=True)], moment, hour=HOUR) == decide([], moment, hour=HOUR)
    assert prompt_due(PAIR._replace(has_channel=False), moment, hour=HOUR) is None


def test_one_nudge_after_a_cadence_and_a_half_without_meeting() -> None:
    # Three weeks after the start day; 10:00 in New York that Monday.
    assert nudge_due(PAIR, at("2027-01-25 14:00"), hour=HOUR) is None
    nudge = nudge_due(PAIR, at("2027-01-25 15:00"), hour=HOUR)
    assert nudge is not None and nudge.since == date(2027, 1, 4)
    met = PAIR._replace(last_met=date(2027, 1, 20))
    assert nudge_due(met, at("2027-01-25 15:00"), hour=HOUR) is None
    again = nudge_due(met, at("2027-02-10 15:00"), hour=HOUR)
    assert again is not None and again.since == date(2027, 1, 20)  # a new gap, a new key
    # The round ends on 29 March: no nudge after that, whatever the gap.
    assert (
        nudge_due(PAIR._replace(last_met=date(2027, 3, 8)), at("2027-03-29 15:00"), hour=HOUR)
        is None
    )


def test_check_ins_go_to_each_person_at_their_own_morning() -> None:
    morning = checkins_due(PAIR, at("2027-01-18 09:10"), hour=HOUR)
    assert [(c.user_id, c.send_at) for c in morning] == [("U0MENTOR", at("2027-01-18 09:00"))]
    afternoon = checkins_due(PAIR, at("2027-01-18 15:00"), hour=HOUR)
    by_person = {c.user_id: c.send_at for c in afternoon}
    assert by_person["U0MENTEE"] == at("2027-01-18 15:00")  # 10:00 in New York
    assert {c.period for c in afternoon} == {0}
    assert checkins_due(PAIR, at("2027-01-18 08:00"), hour=HOUR) == []
    asked = PAIR._replace(mentor_asked_up_to=0)
    assert [c.user_id for c in checkins_due(asked, at("2027-01-18 15:00"), hour=HOUR)] == [
        "U0MENTEE"
    ]
    # The last period has no check-in: the end-of-round survey asks then.
    assert checkins_due(PAIR, at("2027-03-29 15:00"), hour=HOUR) == []


def test_pair_topics_prefer_what_one_shares_and_the_other_learns() -> None:
    assert pair_topics(["digital_tools", "leadership"], [], [], ["digital_tools"]) == {
        "digital_tools"
    }
    assert pair_topics(["leadership"], ["remote_hybrid"], [], ["digital_tools"]) == {
        "leadership",
        "remote_hybrid",
        "digital_tools",
    }


def test_rotation_stays_in_the_pairs_topics_until_they_are_used_up() -> None:
    library = default_library()
    interests = pair_topics(["digital_tools"], [], [], ["digital_tools", "future_of_work"])
    fitting = [
        p
        for p in library.prompts
        if p.topic in interests and p.stage in ("first", "middle") and p.topic != "kickoff"
    ]
    used: list[str] = []
    for _ in fitting:
        prompt = choose_prompt(library, used=used, interests=interests, stage="middle", seed=7)
        assert prompt is not None and prompt.topic in interests
        used.append(prompt.id)
    assert len(set(used)) == len(used)  # no repeat before every fitting one is used


def test_answers_keep_only_the_monday() -> None:
    assert week_of(date(2027, 1, 7)) == date(2027, 1, 4)
    assert week_of(date(2027, 1, 4)) == date(2027, 1, 4)


@settings(max_examples=400, deadline=None)
@given(
    after=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
    ),
    offsets=st.lists(st.integers(-48, 56).map(lambda q: q * 15), min_size=1, max_size=2),
    hour=st.integers(8, 17),
)
def test_the_week_table_answers_exactly_as_the_search(
    after: datetime, offsets: list[int], hour: int
) -> None:
    assert slot_after(after, offsets, hour=hour) == next_good_moment(after, offsets, hour=hour)


@settings(max_examples=300, deadline=None)
@given(
    started_days=st.integers(0, 120),
    now_hours=st.integers(0, 24 * 130),
    cadence_weeks=st.integers(1, 4),
    periods=st.integers(1, 8),
    prompted=st.integers(-1, 8),
    asked=st.tuples(st.integers(-1, 8), st.integers(-1, 8)),
    met_days=st.none() | st.integers(0, 120),
    has_channel=st.booleans(),
)
def test_the_quick_guards_never_drop_anything_the_detailed_checks_find(
    started_days: int,
    now_hours: int,
    cadence_weeks: int,
    periods: int,
    prompted: int,
    asked: tuple[int, int],
    met_days: int | None,
    has_channel: bool,
) -> None:
    state = PAIR._replace(
        started_at=START + timedelta(days=started_days, minutes=7),
        cadence=timedelta(weeks=cadence_weeks),
        round_length=timedelta(weeks=cadence_weeks * periods),
        prompted_up_to=prompted,
        mentor_asked_up_to=asked[0],
        mentee_asked_up_to=asked[1],
        last_met=None if met_days is None else (START + timedelta(days=met_days)).date(),
        has_channel=has_channel,
    )
    now = START + timedelta(hours=now_hours)
    prompt, nudge = prompt_due(state, now, hour=HOUR), nudge_due(state, now, hour=HOUR)
    expected = Due(
        prompts=[prompt] if prompt else [],
        nudges=[nudge] if nudge and not prompt else [],  # never in a prompt's tick
        checkins=checkins_due(state, now, hour=HOUR),
    )
    assert decide([state], now, hour=HOUR) == expected


def test_after_a_pause_the_pair_gets_one_catch_up_message_not_a_burst() -> None:
    # Paused from week 1 to week 5: period 1 (18-31 Jan) was missed; resumed on Mon 8 Feb, in
    # period 2 (1-14 Feb), whose prompt was never posted; no meeting since the start.
    away = PAIR._replace(prompted_up_to=0, mentor_asked_up_to=-1, mentee_asked_up_to=-1)
    now = at("2027-02-08 15:30")
    burst = decide([away], now, hour=HOUR)
    # Without knowing about the pause: a prompt, and check-ins about the period they missed.
    assert len(burst.prompts) == 1 and len(burst.checkins) == 2
    resumed = away._replace(resumed_at=at("2027-02-08 08:00"))
    due = decide([resumed], now, hour=HOUR)
    assert [p.period for p in due.prompts] == [2]
    assert due.checkins == [] and due.nudges == []
    # The nudge's gap counts from the resume, and never within two working days of a prompt.
    prompted = resumed._replace(prompted_up_to=2, last_prompt_at=at("2027-02-08 15:30"))
    for hour in range(0, 24 * 30, 6):
        moment = now + timedelta(hours=hour)
        nudge = nudge_due(prompted, moment, hour=HOUR)
        if nudge is not None:
            assert nudge.since == date(2027, 2, 8)
            assert nudge.send_at >= at("2027-02-08") + 1.5 * TWO_WEEKS
            break
    else:
        raise AssertionError("no nudge at all")


def test_a_nudge_never_lands_within_two_working_days_of_a_prompt() -> None:
    # No meeting since the start: the nudge is due from 25 Jan; a prompt went out on Fri 22 Jan.
    state = PAIR._replace(prompted_up_to=1, last_prompt_at=at("2027-01-22 15:00"))
    assert nudge_due(state, at("2027-01-25 15:00"), hour=HOUR) is None  # Monday: one day
    nudge = nudge_due(state, at("2027-01-26 15:00"), hour=HOUR)  # Tuesday: two working days
    assert nudge is not None and nudge.send_at >= at("2027-01-26 15:00")
    # And never in the same tick as a prompt.
    both = PAIR._replace(started_at=at("2027-01-04 09:00"), prompted_up_to=0)
    due = decide([both], at("2027-01-18 15:00"), hour=HOUR)
    assert len(due.prompts) == 1 and due.nudges == []
