"""A programme's figures for its owners, from aggregate counts, with small groups withheld.

The store hands in counts (`Counts`), never rows about a person or a pair; `figures` turns them
into what may be shown (`Figures`), every number passing through `bot.domain.anonymity`.
"""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from bot.domain import anonymity
from bot.domain.anonymity import Breakdown, K
from bot.domain.cadence import week_of
from bot.domain.profile import SIDES, STAGES
from bot.domain.states import ClosingChoice, MetAnswer, ProposalStatus, TallyKind

OUTCOMES = (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
MET = (MetAnswer.YES, MetAnswer.RESCHEDULED, MetAnswer.NO)
SCORES = (1, 2, 3, 4, 5)
NO_SCORE = 0  # a check-in answered without a usefulness score
CHOICES = tuple(ClosingChoice)


@dataclass(frozen=True)
class Counts:
    """Aggregate counts for one programme, as the store computes them with GROUP BY."""

    name: str
    pilot: bool
    minimum_group: int
    role_words: tuple[str, str] = ("mentor", "mentee")  # the programme's words for the sides
    sides: Mapping[str, int] = field(default_factory=dict)
    stages: Mapping[int, int] = field(default_factory=dict)
    paused_now: int = 0
    proposals: Mapping[str, int] = field(default_factory=dict)  # by status
    active_pairs: int = 0
    pairs_ever: int = 0
    pair_periods: float = 0.0  # cadence periods the pairs have been together, summed
    meetings: int = 0
    checkins_asked: int = 0
    checkins_answered: int = 0
    met: Mapping[str, int] = field(default_factory=dict)
    usefulness: Mapping[int | None, int] = field(default_factory=dict)  # None: no score
    usefulness_sum: int = 0
    choices: Mapping[str, int] = field(default_factory=dict)
    topics: Mapping[str, int] = field(default_factory=dict)
    events: Mapping[str, int] = field(default_factory=dict)  # left, paused
    comments_given: int = 0  # free-text answers, counted at least up to the showing threshold
    comment_sample: Sequence[str] = ()
    signups_by_day: Mapping[date, int] = field(default_factory=dict)
    checkins_by_week: Mapping[date, int] = field(default_factory=dict)
    meetings_by_day: Mapping[date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Weekly:
    """Participation and meetings week by week (each week keyed by its Monday)."""

    signups: Breakdown[date]
    checkins: Breakdown[date]
    meetings: Breakdown[date]


@dataclass(frozen=True)
class Figures:
    """What an owner may see about one programme; None is "fewer than `minimum`"."""

    name: str
    pilot: bool
    minimum: int
    role_words: tuple[str, str]
    sides: Breakdown[str]
    stages: Breakdown[int]
    paused_now: Breakdown[str]
    consent: Breakdown[str]
    consent_rate: float | None
    active_pairs: int | None
    meetings: int | None
    meetings_per_pair_per_cadence: float | None
    response: Breakdown[str]
    response_rate: float | None
    met: Breakdown[str]
    usefulness: Breakdown[int]
    average_usefulness: float | None
    round_end: Breakdown[str]
    topics: Breakdown[str]
    leavers: int | None
    pauses: int | None
    comments: tuple[str, ...]
    weekly: Weekly


def _in_order(counts: Mapping[str, int], keys: Sequence[str]) -> dict[str, int]:
    """Known keys in their order (missing ones as 0), then any others in sorted order."""
    ordered = {key: counts.get(key, 0) for key in keys}
    ordered.update({key: counts[key] for key in sorted(counts) if key not in ordered})
    return ordered


def _by_week(by_day: Mapping[date, int]) -> dict[date, int]:
    """Days folded into weeks, every week from the first to the last present (gaps as 0)."""
    weeks: dict[date, int] = {}
    for day, value in by_day.items():
        weeks[week_of(day)] = weeks.get(week_of(day), 0) + value
    if not weeks:
        return {}
    first, last = min(weeks), max(weeks)
    span = (last - first).days // 7
    return {
        first + timedelta(weeks=n): weeks.get(first + timedelta(weeks=n), 0)
        for n in range(span + 1)
    }


def figures(counts: Counts, *, rng: Random) -> Figures:
    """The figures an owner may see, every one checked by the anonymity rules."""
    minimum = anonymity.minimum_group(counts.minimum_group)
    split = functools.partial(anonymity.breakdown, minimum=minimum)
    signed_up = sum(counts.sides.values())
    consent: Breakdown[str] = split({s: counts.proposals.get(s, 0) for s in OUTCOMES})
    unanswered = max(0, counts.checkins_asked - counts.checkins_answered)
    response: Breakdown[str] = split(
        {"answered": counts.checkins_answered, "unanswered": unanswered}
    )
    scored = sum(v for k, v in counts.usefulness.items() if k is not None)
    scores = {score: counts.usefulness.get(score, 0) for score in SCORES}
    meetings = anonymity.count(counts.meetings, minimum=minimum)
    pair_periods = max(counts.pair_periods, counts.pairs_ever)  # a pair's first period counts
    by_topic = sorted(counts.topics.items(), key=lambda item: (-item[1], item[0]))
    round_end: Breakdown[str] = split(_in_order(counts.choices, CHOICES))
    usefulness: Breakdown[int] = split(scores | {NO_SCORE: counts.usefulness.get(None, 0)})
    return Figures(
        name=counts.name,
        pilot=counts.pilot,
        minimum=minimum,
        role_words=counts.role_words,
        sides=split(_in_order(counts.sides, SIDES)),
        stages=split({stage: counts.stages.get(stage, 0) for stage in STAGES}),
        paused_now=split({"active": signed_up - counts.paused_now, "paused": counts.paused_now}),
        consent=consent,
        consent_rate=anonymity.share(consent, ProposalStatus.ACCEPTED),
        active_pairs=anonymity.count(counts.active_pairs, minimum=minimum),
        meetings=meetings,
        meetings_per_pair_per_cadence=(
            counts.meetings / pair_periods
            if meetings is not None and counts.pairs_ever >= minimum
            else None
        ),
        response=response,
        response_rate=anonymity.share(response, "answered"),
        met=split(_in_order(counts.met, MET)),
        usefulness=usefulness,
        average_usefulness=anonymity.average(
            counts.usefulness_sum, scored, minimum=minimum, beside=usefulness
        ),
        round_end=round_end,
        topics=split(dict(by_topic)),
        leavers=anonymity.count(counts.events.get(TallyKind.LEFT, 0), minimum=minimum),
        pauses=anonymity.count(counts.events.get(TallyKind.PAUSED, 0), minimum=minimum),
        comments=anonymity.free_texts(counts.comment_sample, given=counts.comments_given, rng=rng),
        weekly=Weekly(
            signups=split(_by_week(counts.signups_by_day)),
            checkins=split(_by_week(counts.checkins_by_week)),
            meetings=split(_by_week(counts.meetings_by_day)),
        ),
    )


@dataclass(frozen=True)
class Comparison:
    """A pilot next to a later programme, figure by figure (None: withheld)."""

    pilot: str
    later: str
    rows: tuple[tuple[str, str, str], ...]  # (figure, pilot's, later's), already formatted


WITHHELD = "withheld"  # a rate or mean that rests on too few, or would uncover a small group


def withheld(minimum: int) -> str:
    """How a withheld small group reads."""
    return f"fewer than {minimum}"


def count_text(value: int | None, minimum: int) -> str:
    """A count of people or answers, or "fewer than N"."""
    return withheld(minimum) if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """A share as a whole percentage, or "withheld"."""
    return WITHHELD if value is None else f"{value:.0%}"


def mean(value: float | None) -> str:
    """A mean to one decimal, or "withheld"."""
    return WITHHELD if value is None else f"{value:.1f}"


def group_text(parts: Breakdown[K], key: K, value: int | None, minimum: int) -> str:
    """One group of a breakdown: its count, "fewer than N", or "withheld" when it covers one."""
    if value is None and key in parts.covering:
        return WITHHELD
    return count_text(value, minimum)


def headline(figures: Figures) -> tuple[tuple[str, str], ...]:
    """The figures worth comparing between programmes, formatted."""
    return (
        ("Sign-ups", count_text(figures.sides.total, figures.minimum)),
        ("Consent rate", percent(figures.consent_rate)),
        ("Active pairs", count_text(figures.active_pairs, figures.minimum)),
        ("Meetings per pair per cadence", mean(figures.meetings_per_pair_per_cadence)),
        ("Check-in response rate", percent(figures.response_rate)),
        ("Average usefulness (1–5)", mean(figures.average_usefulness)),
        ("Chose to continue", percent(anonymity.share(figures.round_end, ClosingChoice.CONTINUE))),
    )


def compare(pilot: Figures, later: Figures) -> Comparison:
    """The pilot's headline figures next to the later programme's."""
    rows = tuple(
        (label, mine, theirs)
        for (label, mine), (_, theirs) in zip(headline(pilot), headline(later), strict=True)
    )
    return Comparison(pilot=pilot.name, later=later.name, rows=rows)
