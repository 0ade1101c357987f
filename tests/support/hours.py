"""Hypothesis strategies for working hours, shared by the working-hours and slot tests."""

from datetime import time

from hypothesis import strategies as st

from bot.domain.working_hours import WorkingHours

ZONES = [
    "Europe/London",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Adelaide",
    "America/Santiago",
    "UTC",
]


@st.composite
def working_hours(draw: st.DrawFn) -> WorkingHours:
    """Any valid hours: a start and a later end on five-minute marks, some days, a zone."""
    start = draw(st.integers(0, 24 * 12 - 2)) * 5
    end = draw(st.integers(start // 5 + 1, 24 * 12 - 1)) * 5
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return WorkingHours(
        tz=draw(st.sampled_from(ZONES)),
        start=time(start // 60, start % 60),
        end=time(end // 60, end % 60),
        days=days,
        country=draw(st.sampled_from([None, "GB", "US", "IN", "DE", "NZ"])),
    )
