"""The programme settings modal through the fake Slack."""

from typing import Any

from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import OWNER
from tests.support.inputs import many, selected, typed


def settings_values(**overrides: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    answers: dict[str, dict[str, Any]] = {
        "name": typed("Spring pilot"),
        "kind": selected("reverse", "radio_buttons"),
        "share_word": typed("guide"),
        "learn_word": typed("explorer"),
        "cadence_weeks": {"type": "number_input", "value": "3"},
        "round_weeks": {"type": "number_input", "value": "12"},
        "signup_deadline": {"type": "datepicker", "selected_date": None},
        "cross_department": selected("required", "radio_buttons"),
        "min_group_size": {"type": "number_input", "value": "8"},
        "consent_expiry_days": {"type": "number_input", "value": "5"},
        "quality_floor": selected("good", "radio_buttons"),
        "partners_per_person": {"type": "number_input", "value": "2"},
        "session_minutes": selected("45", "radio_buttons"),
        "first_mover": selected("learn", "radio_buttons"),
        "min_overlap_minutes": {"type": "number_input", "value": "90"},
        "flags": many("signup_open", "pilot", kind="checkboxes"),
        "owners": {"type": "multi_users_select", "selected_users": ["U0CAROL"]},
    } | overrides
    return {block: {block: value} for block, value in answers.items()}


def open_admin(
    slack: SlackDriver, fake: FakeSlack, text: str = "admin", *, user: str = OWNER
) -> str:
    count = len(fake.calls_to("views.open"))
    assert slack.command(user, text).status == 200
    return str(fake.wait_for("views.open", count=count + 1)[-1].response["view"]["id"])
