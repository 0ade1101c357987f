"""A pair's reasons in words, and their storage form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast, get_args

from bot.domain.matching.model import (
    DAY_MINUTES,
    GENERALIST_MIN_TOPICS,
    SPECIALIST_MAX_TOPICS,
    WORKDAY_MINUTES,
    Match,
    Person,
    Reason,
    ReasonCode,
    RefusedPin,
    Role,
    Unmatched,
    frequency_level,
)
from bot.domain.states import Meeting


def reasons_for(mentor: Person, mentee: Person) -> tuple[Reason, ...]:
    """Why these two fit, most important first (the same terms as the score)."""
    reasons: list[Reason] = []
    if teaches := mentor.shares & mentee.learns:
        reasons.append(Reason("teaches", topics=tuple(sorted(teaches))))
    if back := mentee.shares & mentor.learns:
        reasons.append(Reason("learns_back", topics=tuple(sorted(back))))
    if mentor.department != mentee.department:
        reasons.append(Reason("cross_department"))
    if {mentor.style, mentee.style} == {"introvert", "extrovert"}:
        reasons.append(Reason("style"))
    if specialist := _specialist_role(mentor, mentee):
        reasons.append(Reason("breadth", roles=(specialist,)))
    gap = abs(mentor.utc_offset_minutes - mentee.utc_offset_minutes) % DAY_MINUTES
    overlap = max(WORKDAY_MINUTES - min(gap, DAY_MINUTES - gap), 0)
    if overlap > 0:
        reasons.append(Reason("hours", hours=overlap / 60))
    if mode := _shared_meeting(mentor.meeting, mentee.meeting):
        reasons.append(Reason("meeting", mode=mode))
    if frequency_level(mentor.meetings_per_month) == frequency_level(mentee.meetings_per_month):
        reasons.append(Reason("frequency"))
    roles: tuple[tuple[Role, Person], ...] = (("mentor", mentor), ("mentee", mentee))
    if waited := tuple(role for role, person in roles if person.waited):
        reasons.append(Reason("waited", roles=waited))
    return tuple(reasons)


def _specialist_role(mentor: Person, mentee: Person) -> Role | None:
    def kind_of(p: Person) -> str:
        if len(p.shares) <= SPECIALIST_MAX_TOPICS:
            return "specialist"
        return "generalist" if len(p.shares) >= GENERALIST_MIN_TOPICS else "neither"

    pair = (kind_of(mentor), kind_of(mentee))
    if pair == ("specialist", "generalist"):
        return "mentor"
    if pair == ("generalist", "specialist"):
        return "mentee"
    return None


def _shared_meeting(a: Meeting, b: Meeting) -> Meeting | None:
    if a == "either":
        return b
    return a if b in (a, "either") else None


# ---------------------------------------------------------------------------------------------
# Words


def describe(
    pair: Match,
    *,
    viewer: str | None,
    names: Mapping[str, str],
    topic_labels: Mapping[str, str],
) -> list[str]:
    """The pair's reasons in plain words for one of the two (or for an owner: viewer None)."""
    words = _Words(pair, viewer, names, topic_labels)
    lines = (words.line(reason) for reason in pair.reasons)
    return [line for line in lines if line]


@dataclass(frozen=True)
class _Words:
    pair: Match
    viewer: str | None
    names: Mapping[str, str]
    labels: Mapping[str, str]
    inside: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inside", self.viewer in (self.pair.mentor, self.pair.mentee))

    def who(self, role: Role) -> str:
        user = self.pair.mentor if role == "mentor" else self.pair.mentee
        return "you" if user == self.viewer else self.names.get(user, user)

    def does(self, role: Role, verb_you: str, verb_other: str) -> str:
        name = self.who(role)
        return f"{name} {verb_you if name == 'you' else verb_other}"

    def topics(self, topics: tuple[str, ...]) -> str:
        labels = [self.labels.get(t, t.replace("_", " ")) for t in topics]
        return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"

    def exchange(self, sharer: Role, learner: Role, topics: tuple[str, ...]) -> str:
        it = "it" if len(topics) == 1 else "them"
        return (
            f"{self.who(sharer)} can share {self.topics(topics)}; "
            f"{self.does(learner, 'want', 'wants')} to learn {it}"
        )

    def line(self, reason: Reason) -> str:
        you = "you" if self.inside else "they"
        your = "your" if self.inside else "their"
        code = reason.code
        if code == "teaches":
            return self.exchange("mentor", "mentee", reason.topics)
        if code == "learns_back":
            return "in return, " + self.exchange("mentee", "mentor", reason.topics)
        if code == "cross_department":
            return f"{you} work in different departments"
        if code == "style":
            one = "one of you" if self.inside else "one"
            return f"{one} is more introvert, the other more extrovert"
        if code == "breadth" and reason.roles:
            deep = reason.roles[0]
            wide: Role = "mentee" if deep == "mentor" else "mentor"
            return (
                f"{self.does(deep, 'go', 'goes')} deep on a few topics; "
                f"{self.does(wide, 'know', 'knows')} a wide range"
            )
        if code == "hours":
            return f"{your} working hours overlap by {_hours(reason.hours)}"
        if code == "meeting":
            return _meeting_words(you, reason.mode)
        if code == "frequency":
            return f"{you} both hope to meet equally often"
        if code == "waited":
            return self.waited(reason.roles)
        return ""

    def waited(self, roles: tuple[Role, ...]) -> str:
        # Only the person who waited hears it (and owners): it is no reason for the partner.
        if not self.inside:
            names = " and ".join(self.who(r) for r in roles)
            return f"{names} waited last round" if names else ""
        if any(self.who(r) == "you" for r in roles):
            return "you waited last round, so you were first in line this time"
        return ""


def _hours(hours: float) -> str:
    if hours == int(hours):
        return f"{int(hours)} hour" + ("" if hours == 1 else "s")
    return f"{hours:.1f} hours"


def _meeting_words(you: str, mode: Meeting | None) -> str:
    if mode == "video":
        return f"{you} can both meet by video"
    if mode == "in_person":
        return f"{you} can both meet in person"
    return f"{you} are both happy to meet by video or in person"


def describe_unmatched(unmatched: Unmatched) -> str:
    """Why someone was left unmatched, in words for a programme owner."""
    return {
        # One label for every way of being away (a pause, or "stop" in a closing survey), so
        # the preview never tells an owner what someone answered in private.
        "paused": "away this round",
        "no_eligible_partner": (
            "nobody in the pool fits the rules for them (reporting line, earlier pairs, "
            "seniority direction, side or department)"
        ),
        "no_shared_hours": "no partner with enough shared working hours",
        "no_good_match": (
            "no good match this round: everyone the rules allow fits them below the "
            "programme's quality floor"
        ),
        "odd_one_out": (
            "the numbers didn't work out: everyone who would fit was better matched with "
            "someone else"
        ),
    }[unmatched.reason]


def describe_refused(pin: RefusedPin) -> str:
    """Why a pair the owner asked to keep could not be kept, in words for the owner."""
    return {
        "not_in_pool": "one of them is paused or no longer in the programme",
        "excluded": "you also asked never to pair them",
        "not_allowed": (
            "the programme's rules forbid this pair (reporting line, earlier pair, seniority "
            "direction, side, department or too little shared working time)"
        ),
        "taken": "another pair you kept already uses one of them",
    }[pin.reason]


# ---------------------------------------------------------------------------------------------
# Storage form of reasons (JSON-friendly)


def reason_to_dict(reason: Reason) -> dict[str, Any]:
    """A reason as plain JSON data, leaving out empty fields."""
    data: dict[str, Any] = {"code": reason.code}
    if reason.topics:
        data["topics"] = list(reason.topics)
    if reason.hours:
        data["hours"] = reason.hours
    if reason.roles:
        data["roles"] = list(reason.roles)
    if reason.mode is not None:
        data["mode"] = reason.mode
    return data


def reason_from_dict(data: Mapping[str, Any]) -> Reason:
    """A reason back from ``reason_to_dict``; unknown codes or values raise ValueError."""
    code, mode = data.get("code"), data.get("mode")
    roles = tuple(data.get("roles", ()))
    if code not in get_args(ReasonCode):
        raise ValueError(f"unknown reason code {code!r}")
    if mode is not None and mode not in tuple(Meeting):
        raise ValueError(f"unknown meeting mode {mode!r}")
    if any(r not in get_args(Role) for r in roles):
        raise ValueError(f"unknown roles {roles!r}")
    return Reason(
        code=cast(ReasonCode, code),
        topics=tuple(str(t) for t in data.get("topics", ())),
        hours=float(data.get("hours", 0.0)),
        roles=roles,
        mode=mode,
    )
