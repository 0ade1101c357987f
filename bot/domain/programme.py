"""A programme's settings and the rules for valid ones (pure)."""

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.matching.model import Fit
from bot.domain.slots import SESSION_LENGTHS
from bot.domain.states import CrossDepartment, FirstMover, Kind
from bot.domain.working_hours import DEFAULT_MIN_OVERLAP_MINUTES

KINDS: dict[Kind, str] = {
    Kind.REVERSE: "Reverse: juniors share, seniors learn",
    Kind.TRADITIONAL: "Traditional: seniors share, juniors learn",
    Kind.PEER: "Peer: colleagues at similar stages",
}
CROSS_DEPARTMENT: dict[CrossDepartment, str] = {
    CrossDepartment.PREFERRED: "Preferred: pair across departments when it fits",
    CrossDepartment.REQUIRED: "Required: only pair across departments",
}
FIRST_MOVERS: dict[FirstMover, str] = {
    FirstMover.LEARN: "The learning side (their calendar is usually fuller)",
    FirstMover.SHARE: "The sharing side",
}
NO_FLOOR = "none"  # the quality-floor choice for "propose any pair the rules allow"
QUALITY_FLOORS: dict[str, str] = {
    NO_FLOOR: "None: propose any pair the rules allow",
    Fit.GOOD: "Good: never propose a weak fit",
    Fit.STRONG: "Strong: only the strongest fits",
}
MIN_GROUP_FLOOR = 5  # stats never show a group smaller than this, whatever an owner sets
MAX_NAME = 80
MAX_ROLE_WORD = 24
MAX_OBJECTIVE = 300  # one or two sentences
MAX_CHAMPIONS = 10  # senior champions an announcement names


# Letters, spaces and hyphens: a role word is shown in formatted messages.
ROLE_WORD = re.compile(r"(?:[^\W\d_]|[ \-])+")


@dataclass(frozen=True)
class ProgrammeSettings:
    """How a programme runs, as an owner sets it."""

    name: str
    kind: Kind
    share_word: str
    learn_word: str
    cadence_weeks: int
    round_weeks: int
    signup_open: bool
    signup_deadline: date | None
    cross_department: CrossDepartment
    min_group_size: int
    consent_expiry_days: int
    pilot: bool
    quality_floor: Fit | None = None  # pairs below it are never proposed
    partners_per_person: int = 1  # how many partners a learner may have at once
    follows_id: int | None = None  # the pilot this programme follows, compared with it in stats
    session_minutes: int = 30  # how long a meeting is: suggested times and invites
    first_mover: FirstMover = FirstMover.LEARN  # who proposes the first meeting
    objective: str = ""  # what the programme is for, in one or two sentences
    # The least working time a pair must share each week to be proposed (0: no such rule).
    min_overlap_minutes: int = DEFAULT_MIN_OVERLAP_MINUTES


PARTNERS_PER_PERSON = range(1, 4)
CADENCE_WEEKS = range(1, 9)
ROUND_WEEKS = range(2, 53)
MIN_GROUP_SIZES = range(MIN_GROUP_FLOOR, 1001)
CONSENT_EXPIRY_DAYS = range(1, 31)
MIN_OVERLAP_MINUTES = range(0, 40 * 60 + 1)  # up to a whole 40-hour week


def defaults(name: str) -> ProgrammeSettings:
    """A new programme's settings: reverse mentoring, every two weeks, open for sign-up."""
    return ProgrammeSettings(
        name=name,
        kind=Kind.REVERSE,
        share_word="mentor",
        learn_word="mentee",
        cadence_weeks=2,
        round_weeks=12,
        signup_open=True,
        signup_deadline=None,
        cross_department=CrossDepartment.PREFERRED,
        min_group_size=MIN_GROUP_FLOOR,
        consent_expiry_days=7,
        pilot=False,
    )


def problems(settings: ProgrammeSettings, *, today: date) -> dict[str, str]:
    """Everything wrong with the settings, by field; empty when they can be saved."""
    errors: dict[str, str] = {}
    if not settings.name:
        errors["name"] = "Give the programme a name."
    elif len(settings.name) > MAX_NAME:
        errors["name"] = f"Keep the name under {MAX_NAME} characters."
    if settings.kind not in KINDS:
        errors["kind"] = "Choose the kind of programme."
    for field, word in (("share_word", settings.share_word), ("learn_word", settings.learn_word)):
        if not word or len(word) > MAX_ROLE_WORD:
            errors[field] = f"Use a word of 1 to {MAX_ROLE_WORD} characters."
        elif not ROLE_WORD.fullmatch(word):
            # Role words are shown in formatted messages: no marks that could ping or format.
            errors[field] = "Use letters, spaces or hyphens only."
    if settings.share_word and settings.share_word.casefold() == settings.learn_word.casefold():
        errors["learn_word"] = "The two roles need different words."
    if settings.cadence_weeks not in CADENCE_WEEKS:
        errors["cadence_weeks"] = "Meet every 1 to 8 weeks."
    if settings.round_weeks not in ROUND_WEEKS:
        errors["round_weeks"] = "A round lasts 2 to 52 weeks."
    elif settings.round_weeks < settings.cadence_weeks:
        errors["round_weeks"] = "A round must last at least one meeting cadence."
    if settings.signup_deadline is not None and settings.signup_deadline < today:
        errors["signup_deadline"] = "The sign-up deadline can't be in the past."
    if settings.cross_department not in CROSS_DEPARTMENT:
        errors["cross_department"] = "Choose whether cross-department pairs are required."
    if settings.min_group_size not in MIN_GROUP_SIZES:
        errors["min_group_size"] = (
            f"Use at least {MIN_GROUP_FLOOR}: smaller groups identify people."
        )
    if settings.consent_expiry_days not in CONSENT_EXPIRY_DAYS:
        errors["consent_expiry_days"] = "Give people 1 to 30 days to answer."
    if settings.partners_per_person not in PARTNERS_PER_PERSON:
        errors["partners_per_person"] = "A learner may have 1 to 3 partners."
    if settings.session_minutes not in SESSION_LENGTHS:
        errors["session_minutes"] = "A session lasts 30, 45 or 60 minutes."
    if settings.first_mover not in FIRST_MOVERS:
        errors["first_mover"] = "Choose who proposes the first meeting."
    if len(settings.objective) > MAX_OBJECTIVE:
        errors["objective"] = (
            f"Keep the objective to one or two sentences ({MAX_OBJECTIVE} characters)."
        )
    if settings.min_overlap_minutes not in MIN_OVERLAP_MINUTES:
        errors["min_overlap_minutes"] = (
            "Use 0 (no minimum) up to 2400 minutes (a 40-hour week) of shared working time."
        )
    return errors


def signup_is_open(*, signup_open: bool, deadline: date | None, today: date) -> bool:
    """Open for sign-up: switched on, and the deadline (inclusive) not passed."""
    return signup_open and (deadline is None or today <= deadline)
