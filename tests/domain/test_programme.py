"""Programme settings rules."""

from dataclasses import replace
from datetime import date

import pytest

from bot.domain.programme import ProgrammeSettings, problems, signup_is_open
from bot.domain.states import CrossDepartment, Kind

TODAY = date(2026, 11, 23)
GOOD = ProgrammeSettings(
    name="Pilot",
    kind=Kind.REVERSE,
    share_word="guide",
    learn_word="learner",
    cadence_weeks=2,
    round_weeks=12,
    signup_open=True,
    signup_deadline=date(2026, 12, 1),
    cross_department=CrossDepartment.PREFERRED,
    min_group_size=5,
    consent_expiry_days=7,
    pilot=True,
)


def test_good_settings_pass() -> None:
    assert problems(GOOD, today=TODAY) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "sideways"}, "kind"),
        ({"learn_word": "Guide"}, "learn_word"),
        ({"share_word": ""}, "share_word"),
        ({"cadence_weeks": 0}, "cadence_weeks"),
        ({"round_weeks": 1}, "round_weeks"),
        ({"cadence_weeks": 8, "round_weeks": 4}, "round_weeks"),
        ({"signup_deadline": date(2026, 11, 22)}, "signup_deadline"),
        ({"min_group_size": 4}, "min_group_size"),
        ({"consent_expiry_days": 0}, "consent_expiry_days"),
        ({"cross_department": "maybe"}, "cross_department"),
        ({"session_minutes": 50}, "session_minutes"),
        ({"session_minutes": -1}, "session_minutes"),
        ({"first_mover": ""}, "first_mover"),
        ({"min_overlap_minutes": -1}, "min_overlap_minutes"),
        ({"min_overlap_minutes": 2401}, "min_overlap_minutes"),
    ],
)
def test_each_problem_lands_on_its_field(change: dict[str, object], field: str) -> None:
    assert field in problems(replace(GOOD, **change), today=TODAY)  # type: ignore[arg-type]


def test_signup_closes_after_the_deadline_day() -> None:
    deadline = date(2026, 12, 1)
    assert signup_is_open(signup_open=True, deadline=deadline, today=deadline)
    assert not signup_is_open(signup_open=True, deadline=deadline, today=date(2026, 12, 2))
    assert not signup_is_open(signup_open=False, deadline=None, today=TODAY)
    assert signup_is_open(signup_open=True, deadline=None, today=TODAY)


@pytest.mark.parametrize(
    "word", ["*boss*", "_it_", "`x`", "~s~", "<!here>", "#general", "a@b", "o'clock", "r2d2"]
)
def test_role_words_with_marks_are_refused(word: str) -> None:
    assert "share_word" in problems(replace(GOOD, share_word=word), today=TODAY)


@pytest.mark.parametrize("word", ["reverse-mentor", "Lernende", "senior leader", "élève"])
def test_role_words_of_letters_spaces_and_hyphens_pass(word: str) -> None:
    assert "share_word" not in problems(replace(GOOD, share_word=word), today=TODAY)
