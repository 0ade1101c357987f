"""The intake survey: its vocabulary, its answers, and the rules for valid answers (pure)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import time

from bot.domain.hours_answers import hours_problems
from bot.domain.states import Meeting, Side, Style
from bot.domain.text import clean
from bot.domain.working_hours import DEFAULT_END, DEFAULT_START, WEEKDAYS

GONE = "-"  # stands in for a person who left, where a row must outlive them

SIDES: tuple[Side, ...] = tuple(Side)
STAGES: dict[int, str] = {
    0: "Under 2 years of work",
    1: "2–5 years",
    2: "5–10 years",
    3: "10–20 years",
    4: "20+ years",
}
STYLES: dict[Style, str] = {
    Style.INTROVERT: "More introvert",
    Style.BETWEEN: "In between",
    Style.EXTROVERT: "More extrovert",
}
MEETINGS: dict[Meeting, str] = {
    Meeting.VIDEO: "Video call",
    Meeting.IN_PERSON: "In person",
    Meeting.EITHER: "Either",
}
FREQUENCIES: dict[int, str] = {1: "Once a month", 2: "Twice a month", 4: "Every week"}

MAX_DEPARTMENT = 80
MAX_OTHER_TOPICS = 300
MAX_GOAL = 500
# Where each working-hours problem (hours_answers.hours_problems) is shown in the survey.
HOURS_FIELDS = {"hours": "work_end", "days": "work_days", "country": "country"}

GROUND_RULES_VERSION = "2026-11"
GROUND_RULES = (
    "*Confidentiality.* What you talk about stays between the two of you. Nobody else, not "
    "your line managers and not the programme owners, sees what a pair says.\n"
    "*Respect.* Both of you are here to learn. Listen, be candid and kind, assume good "
    "intent.\n"
    "*Time.* Meet regularly at the rhythm you agree, and tell your partner early if you can't.\n"
    "*Anonymous answers.* Check-in answers are stored without your name or your pair: owners "
    "only ever see totals, and never for groups smaller than the programme's minimum."
)


@dataclass(frozen=True)
class Answers:
    """What a person answered in the intake survey, cleaned."""

    programme_id: int
    side: Side
    stage: int
    department: str
    manager_id: str | None
    shares: tuple[str, ...]
    share_other: str
    learns: tuple[str, ...]
    learn_other: str
    style: Style
    meeting: Meeting
    meetings_per_month: int
    goal: str
    agreed: bool
    # Usual working hours (None: not given or not a time), days (Monday = 0) and the country
    # whose public holidays are days off (None: none).
    work_start: time | None = DEFAULT_START
    work_end: time | None = DEFAULT_END
    work_days: tuple[int, ...] = tuple(sorted(WEEKDAYS))
    country: str | None = None


# Field names double as the survey's block ids, so errors land on the right input.
def problems(answers: Answers, *, user_id: str, topics: Collection[str]) -> dict[str, str]:
    """Everything wrong with the answers, by field; empty when they can be saved."""
    errors: dict[str, str] = {}
    if answers.side not in SIDES:
        errors["side"] = "Choose whether you want to share, learn, or either."
    if answers.stage not in STAGES:
        errors["stage"] = "Choose your career stage."
    if not answers.department:
        errors["department"] = "Tell us your department."
    elif len(answers.department) > MAX_DEPARTMENT:
        errors["department"] = f"Keep it under {MAX_DEPARTMENT} characters."
    if answers.manager_id == user_id:
        errors["manager"] = "That's you. Pick your line manager, or leave it empty."
    for field, chosen in (("shares", answers.shares), ("learns", answers.learns)):
        if any(t not in topics for t in chosen):
            errors[field] = "Some of these topics no longer exist. Please choose again."
    both = sorted(set(answers.shares) & set(answers.learns))
    if both:
        errors["learns"] = "A topic can't be both one you share and one you want to learn."
    for field, text in (("share_other", answers.share_other), ("learn_other", answers.learn_other)):
        if len(text) > MAX_OTHER_TOPICS:
            errors[field] = f"Keep it under {MAX_OTHER_TOPICS} characters."
    if answers.side in (Side.SHARE, Side.EITHER) and not (answers.shares or answers.share_other):
        errors.setdefault("shares", "Pick at least one topic you can share.")
    if answers.side in (Side.LEARN, Side.EITHER) and not (answers.learns or answers.learn_other):
        errors.setdefault("learns", "Pick at least one topic you want to learn.")
    if answers.style not in STYLES:
        errors["style"] = "Choose your working style."
    if answers.meeting not in MEETINGS:
        errors["meeting"] = "Choose how you'd like to meet."
    if answers.meetings_per_month not in FREQUENCIES:
        errors["frequency"] = "Choose how often you can meet."
    if len(answers.goal) > MAX_GOAL:
        errors["goal"] = f"Keep it under {MAX_GOAL} characters."
    if not answers.agreed:
        errors["ground_rules"] = "Please agree to the ground rules to take part."
    # The time zone comes from Slack's profile afterwards, so it is not checked here.
    hours = hours_problems(
        tz="UTC",
        start=answers.work_start,
        end=answers.work_end,
        days=answers.work_days,
        country=answers.country,
    )
    for name, why in hours.items():
        errors[HOURS_FIELDS[name]] = why
    return errors


def clean_text(value: str | None) -> str:
    """Survey free text as it is stored: cleaned of invisible characters, trimmed."""
    return clean(value or "")
