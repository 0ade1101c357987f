"""The survey's working-hours inputs, and reading them back from a submitted survey."""

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    TimePickerElement,
)

from bot.domain import profile
from bot.domain.hours_answers import normalise_country
from bot.domain.working_hours import DAY_NAMES, DEFAULT_END, DEFAULT_START, WEEKDAYS
from bot.slack.core.view_state import ViewState
from bot.slack.ui import OPTION_TEXT, fit_to
from bot.store.models import Participant

MAX_COUNTRY = 16


def _option(value: str, label: str) -> Option:
    return Option(value=value, label=fit_to(label, OPTION_TEXT))


def _input(
    block_id: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=element,
        optional=optional,
        hint=PlainTextObject(text=hint) if hint else None,
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def hours_inputs(current: Participant | None) -> list[Block]:
    """Usual working hours and days (09:00-17:00, Monday to Friday unless answered before),
    and the optional country for public holidays."""
    start = _clock(current.work_start_minute) if current else f"{DEFAULT_START:%H:%M}"
    end = _clock(current.work_end_minute) if current else f"{DEFAULT_END:%H:%M}"
    worked = {int(d) for d in current.work_days if d.isdigit()} if current else set(WEEKDAYS)
    days = [_option(str(n), name) for n, name in enumerate(DAY_NAMES)]
    return [
        _input(
            "work_start",
            "Your working day usually starts at",
            TimePickerElement(action_id="work_start", initial_time=start),
            hint="Upward only messages you in your working hours, on your working days.",
        ),
        _input(
            "work_end",
            "…and ends at",
            TimePickerElement(action_id="work_end", initial_time=end),
        ),
        _input(
            "work_days",
            "Your working days",
            CheckboxesElement(
                action_id="work_days",
                options=days,
                initial_options=[o for o in days if int(o.value or -1) in worked] or None,
            ),
        ),
        _input(
            "country",
            "Country for public holidays",
            PlainTextInputElement(
                action_id="country",
                max_length=MAX_COUNTRY,
                placeholder="e.g. GB, US-CA, IN, DE",
                initial_value=(current.holiday_country or None) if current else None,
            ),
            optional=True,
            hint="A two-letter country code, with a region if you like (US-CA): no messages "
            "on its public holidays. Leave it empty for none.",
        ),
    ]


def read_hours(state: ViewState) -> dict[str, Any]:
    """The working-hours answers; a survey without them (an older modal) keeps the defaults."""
    found: dict[str, Any] = {}
    if state.has("work_start"):
        found["work_start"] = state.clock_time("work_start")
    if state.has("work_end"):
        found["work_end"] = state.clock_time("work_end")
    if state.has("work_days"):
        picked = {
            int(d) if d.isdigit() and len(d) == 1 else -1 for d in state.selected_many("work_days")
        }
        found["work_days"] = tuple(sorted(picked))
    if state.has("country"):
        found["country"] = normalise_country(profile.clean_text(state.text("country")))
    return found
