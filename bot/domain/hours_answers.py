"""What the intake survey accepts as working hours, and how they read back (pure)."""

from collections.abc import Collection
from datetime import time
from functools import lru_cache

import holidays

from bot.domain.working_hours import DAY_NAMES, WorkingHours, known_zone, split_country


@lru_cache(maxsize=1)
def holiday_countries() -> dict[str, tuple[str, ...]]:
    """Every country code with public holidays, and its subdivision codes."""
    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


def normalise_country(text: str | None) -> str | None:
    """A country as typed or picked ("gb", " GB-eng ") in its stored form; None for blank."""
    cleaned = (text or "").strip().upper()
    return cleaned or None


def known_country(country: str) -> bool:
    """Whether holidays are known for a country code, or "CC-SUBDIV" code."""
    code, subdivision = split_country(country)
    subdivisions = holiday_countries().get(code)
    if subdivisions is None:
        return False
    return subdivision is None or subdivision in subdivisions


def hours_problems(
    *, tz: str, start: time | None, end: time | None, days: Collection[int], country: str | None
) -> dict[str, str]:
    """Everything wrong with working hours as answered, by survey field; empty when fine."""
    errors: dict[str, str] = {}
    if not known_zone(tz):
        errors["timezone"] = "We don't know that time zone. Please pick one from the list."
    if start is None or end is None:
        errors["hours"] = "Tell us when your working day usually starts and ends."
    elif start >= end:
        errors["hours"] = "Your working day should end after it starts (e.g. 09:00 to 17:00)."
    if not days:
        errors["days"] = "Pick at least one day you usually work."
    elif any(d not in range(7) for d in days):
        errors["days"] = "Pick your working days from the list."
    if country is not None and not known_country(country):
        errors["country"] = (
            "We don't have public holidays for that country. Pick another, or leave it empty."
        )
    return errors


def describe(hours: WorkingHours) -> str:
    """Working hours in words: "09:00–17:00, Mon–Fri (Europe/London, GB holidays)"."""
    days = sorted(hours.days)
    if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        day_text = f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
    else:
        day_text = ", ".join(DAY_NAMES[d] for d in days)
    where = hours.tz + (f", {hours.country} holidays" if hours.country else "")
    return f"{hours.start:%H:%M}–{hours.end:%H:%M}, {day_text} ({where})"
