"""Joining through the fake Slack: the intake survey's answers, a programme, a join."""

from typing import Any

from tests.fakeslack import Call, FakeSlack, Response, SlackDriver
from tests.support.constants import ALICE, OWNER
from tests.support.inputs import clock, many, selected, typed


def survey_values(**overrides: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    answers: dict[str, dict[str, Any]] = {
        "side": selected("share", "radio_buttons"),
        "stage": selected("0"),
        "department": typed("Marketing"),
        "manager": {"type": "users_select", "selected_user": "U0BOSS"},
        "shares": many("digital_tools"),
        "share_other": typed(""),
        "learns": many("leadership"),
        "learn_other": typed(""),
        "style": selected("extrovert", "radio_buttons"),
        "meeting": selected("video", "radio_buttons"),
        "frequency": selected("2"),
        "goal": typed("Help my boss love TikTok"),
        # Around the clock, every day: tests that are not about working hours may post at
        # whatever time they run (tests/slack/test_working_hours.py sets real hours).
        "work_start": clock("00:00"),
        "work_end": clock("23:59"),
        "work_days": many(*"0123456", kind="checkboxes"),
        "ground_rules": many("agree", kind="checkboxes"),
    } | overrides
    return {block: {block: value} for block, value in answers.items()}


def new_programme(slack: SlackDriver, name: str = "Spring pilot") -> None:
    body = slack.command(OWNER, f"programme new {name}").json()
    assert "open for sign-up" in body["text"]


def open_survey(slack: SlackDriver, fake: FakeSlack, user: str = ALICE, word: str = "join") -> Call:
    before = len(fake.calls_to("views.open"))
    assert slack.command(user, word).status == 200
    return fake.wait_for("views.open", count=before + 1)[-1]


def join(
    slack: SlackDriver, fake: FakeSlack, user: str = ALICE, **overrides: dict[str, Any]
) -> Response:
    opened = open_survey(slack, fake, user)
    return slack.submit_view(
        user, view_id=opened.response["view"]["id"], values=survey_values(**overrides)
    )
