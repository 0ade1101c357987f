"""End-of-round rules: when rounds end, how long a survey stays open, what the pair does next."""

from datetime import UTC, date, datetime

import pytest

from bot.domain.cadence import week_of
from bot.domain.round_end import outcome, round_ends_at, survey_closes_at
from bot.domain.states import ClosingChoice as Choice

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_rounds_follow_one_another() -> None:
    assert round_ends_at(START, round_weeks=12, round_index=0) == datetime(
        2026, 3, 30, 9, tzinfo=UTC
    )
    assert round_ends_at(START, round_weeks=12, round_index=1) == datetime(
        2026, 6, 22, 9, tzinfo=UTC
    )


def test_a_survey_stays_open_one_cadence() -> None:
    assert survey_closes_at(START, cadence_weeks=2) == datetime(2026, 1, 19, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        (["continue", "continue"], "continue"),
        (["continue", None], "wait"),
        ([None, None], "wait"),
        (["continue", "new_partner"], "end"),
        (["new_partner", None], "end"),
        (["stop", "continue"], "end"),
        (["stop", "stop"], "end"),
    ],
)
def test_both_must_choose_to_continue(choices: list[Choice | None], expected: str) -> None:
    assert outcome(choices) == expected


def test_answers_keep_only_the_week() -> None:
    assert week_of(datetime(2026, 11, 26, 23, 59, tzinfo=UTC).date()) == date(2026, 11, 23)
    assert week_of(datetime(2026, 11, 23, 0, 0, tzinfo=UTC).date()) == date(2026, 11, 23)
