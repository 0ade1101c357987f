"""A programme's figures from released blocks and snapshots: what is shown, and why not."""

from datetime import date, timedelta
from random import Random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import anonymity
from bot.domain.anonymity import OTHER, Rate
from bot.domain.stat_snapshots import CONSENT, PAIRS, PEOPLE, PeopleNow, change_needed, snapshot
from bot.domain.stats import Block, Counts, figures
from bot.domain.stats_text import compare, mean, percent

MONDAY = date(2026, 9, 7)


def block(n: int = 0, **overrides: Any) -> Block:
    values: dict[str, Any] = {
        "starts_on": MONDAY + timedelta(weeks=2 * n),
        "ends_on": MONDAY + timedelta(weeks=2 * n + 2),
        "people": 12,
        "most_per_person": 1,
        "answers": 12,
        "unanswered": 2,
        "comments": 0,
        "cells": {"met": {"yes": 10, "no": 2}, "usefulness": {4: 7, 5: 5}},
        "score_sum": 4 * 7 + 5 * 5,
        "scored": 12,
    }
    return Block(**(values | overrides))


PILOT_NOW = PeopleNow(
    sides={"share": 6, "learn": 6},
    stages={0: 6, 3: 4, 4: 2},
    paused_now=1,
    proposals={"accepted": 6, "declined": 1},
    active_pairs=6,
    pairs_met=5,
)


def pilot(**overrides: Any) -> Counts:
    cells = snapshot(PILOT_NOW, minimum=5)
    values: dict[str, Any] = {
        "name": "Pilot",
        "pilot": True,
        "minimum_group": 5,
        "checkins": [block()],
        "snapshots": {figure: [(MONDAY, found)] for figure, found in cells.items()},
    }
    return Counts(**(values | overrides))


def test_a_twelve_person_pilot_shows_something_of_everything() -> None:
    f = figures(pilot(), rng=Random(1))
    assert f.sides.total == 12 and dict(f.sides.groups)["share"] == 6
    # 1 of 7 proposals declined: the rate is a band rather than withheld.
    assert percent(f.consent_rate) == "80–100%"
    assert f.active_pairs == 6
    assert percent(f.met_rate) == "80–100%"  # 5 of 6 pairs have met
    assert percent(f.response_rate) == "80–100%"  # 12 of 14 asked answered
    assert percent(f.met_share) == "80–100%"
    assert mean(f.average_usefulness) == "4.4"  # 7 fours and 5 fives: nothing merged
    assert f.notes.get("check-ins") is None


def test_nothing_about_answers_before_a_block_is_released() -> None:
    f = figures(pilot(checkins=[], waiting={"checkin": 3}), rng=Random(1))
    assert f.response_rate is None and f.met.total is None and f.average_usefulness is None
    assert "shown once 5 people have answered" in f.notes["check-ins"]


def test_cells_of_a_block_count_people_not_answers() -> None:
    # One pair, five check-ins each, merged into one block: 2 people, never released.
    assert (
        anonymity.release_block({"m": {"yes": 10}}, people=2, most_per_person=5, minimum=5) is None
    )
    # Six people, but one of them may have given up to 3 of the answers.
    merged = anonymity.coarsen({"yes": 12, "no": 3}, most_per_person=3, minimum=5)
    assert merged == {OTHER: 15}


def test_a_merged_score_makes_the_mean_a_band() -> None:
    scores = {4: 9, 2: 1}
    f = figures(
        pilot(checkins=[block(cells={"usefulness": scores}, score_sum=38, scored=10)]),
        rng=Random(1),
    )
    assert mean(f.average_usefulness) == "between 3 and 4"


def test_people_figures_come_from_the_last_shown_snapshot() -> None:
    later = PeopleNow(sides={"share": 6, "learn": 5}, stages={0: 6, 3: 3, 4: 2})
    earlier = snapshot(PILOT_NOW, minimum=5)
    one_left = snapshot(later, minimum=5)
    # One leaver changes sign-ups by one: that snapshot may not be shown beside the first.
    assert not anonymity.may_release(one_left[PEOPLE], [earlier[PEOPLE]], minimum=5)
    assert anonymity.may_release(earlier[PAIRS], [], minimum=5)
    assert earlier[CONSENT]["consent/total"] == 7


def test_the_pilot_is_compared_with_the_later_programme() -> None:
    comparison = compare(
        figures(pilot(), rng=Random(1)), figures(pilot(name="Wide", pilot=False), rng=Random(1))
    )
    rows = {label: (mine, theirs) for label, mine, theirs in comparison.rows}
    assert rows["Active pairs"] == ("6", "6")
    assert rows["Consent rate"] == ("80–100%", "80–100%")


def test_a_rate_is_exact_only_when_both_parts_rest_on_k_people() -> None:
    assert anonymity.rate(10, 20, minimum=5) == Rate(0.5, 0.5)
    assert anonymity.rate(19, 20, minimum=5) == Rate(0.8, 1.0)
    assert anonymity.rate(1, 20, minimum=5) == Rate(0.0, 0.2)
    assert anonymity.rate(3, 4, minimum=5) is None


answers = st.dictionaries(
    st.sampled_from(["yes", "no", "rescheduled"]), st.integers(0, 30), min_size=1
)


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(answers, min_size=1, max_size=6),
    most=st.integers(1, 4),
    configured=st.integers(0, 9),
)
def test_every_shown_cell_of_random_blocks_rests_on_k_people(
    cells: list[dict[str, int]], most: int, configured: int
) -> None:
    minimum = anonymity.minimum_group(configured)
    # A released block has at least k people, so at least k answers.
    blocks = [
        block(n, people=minimum, most_per_person=most, answers=sum(c.values()), cells={"met": c})
        for n, c in enumerate(cells)
        if sum(c.values()) >= minimum
    ]
    f = figures(pilot(checkins=blocks, minimum_group=configured), rng=Random(0))
    for key, value in f.met.groups:
        assert value is not None
        if key != OTHER:
            assert anonymity.people_at_least(value, most) >= minimum
    for b in blocks:
        shown = anonymity.coarsen(b.cells["met"], most_per_person=most, minimum=minimum)
        other = shown.get(OTHER, 0)
        # "other" is empty, big enough, or the whole block (which has k people).
        assert other in (0, b.answers) or anonymity.people_at_least(other, most) >= minimum


def test_pair_figures_move_in_steps_of_k_people_not_k_pairs() -> None:
    assert change_needed(PAIRS, 5) == 3 and change_needed(CONSENT, 8) == 4
    assert change_needed(PEOPLE, 5) == 5
