"""The intake survey's rules."""

from dataclasses import replace
from datetime import time

import pytest

from bot.domain.profile import MAX_DEPARTMENT, MAX_GOAL, Answers, problems
from bot.domain.states import Meeting, Side, Style

TOPICS = {"digital_tools", "leadership", "remote_work"}
GOOD = Answers(
    programme_id=1,
    side=Side.SHARE,
    stage=0,
    department="Marketing",
    manager_id="U0BOSS",
    shares=("digital_tools",),
    share_other="",
    learns=("leadership",),
    learn_other="",
    style=Style.EXTROVERT,
    meeting=Meeting.VIDEO,
    meetings_per_month=2,
    goal="",
    agreed=True,
)


def test_good_answers_have_no_problems() -> None:
    assert problems(GOOD, user_id="U0ALICE", topics=TOPICS) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"agreed": False}, "ground_rules"),
        ({"learns": ("digital_tools",)}, "learns"),
        ({"department": ""}, "department"),
        ({"department": "x" * (MAX_DEPARTMENT + 1)}, "department"),
        ({"goal": "x" * (MAX_GOAL + 1)}, "goal"),
        ({"manager_id": "U0ALICE"}, "manager"),
        ({"shares": ("astrology",)}, "shares"),
        ({"shares": (), "share_other": ""}, "shares"),
        ({"side": "boss"}, "side"),
        ({"stage": 9}, "stage"),
        ({"style": ""}, "style"),
        ({"meeting": "carrier pigeon"}, "meeting"),
        ({"meetings_per_month": 30}, "frequency"),
        ({"share_other": "x" * 301}, "share_other"),
        ({"work_days": ()}, "work_days"),
        ({"work_days": (7,)}, "work_days"),
        ({"work_start": None}, "work_end"),
        ({"work_start": time(17), "work_end": time(9)}, "work_end"),
        ({"country": "XX"}, "country"),
        ({"country": "GB-NOWHERE"}, "country"),
    ],
)
def test_each_problem_is_reported_on_its_field(change: dict[str, object], field: str) -> None:
    found = problems(replace(GOOD, **change), user_id="U0ALICE", topics=TOPICS)  # type: ignore[arg-type]
    assert field in found
    assert found[field]


def test_learners_need_something_to_learn() -> None:
    answers = replace(GOOD, side=Side.LEARN, learns=(), learn_other="")
    assert "learns" in problems(answers, user_id="U0ALICE", topics=TOPICS)
    assert (
        problems(replace(answers, learn_other="Negotiation"), user_id="U0ALICE", topics=TOPICS)
        == {}
    )
