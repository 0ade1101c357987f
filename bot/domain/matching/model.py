"""What the matching engine takes and gives: people, weights, pairs, reasons, results."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt

from bot.domain.states import Meeting, Side, Style
from bot.domain.working_hours import WorkingHours

Role = Literal["mentor", "mentee"]
ReasonCode = Literal[
    "teaches",
    "learns_back",
    "cross_department",
    "style",
    "breadth",
    "hours",
    "meeting",
    "frequency",
    "waited",
]
UnmatchedReason = Literal[
    "paused", "no_eligible_partner", "no_shared_hours", "no_good_match", "odd_one_out"
]
# Why a pair the owner asked to keep is not in the result (see ``RefusedPin``).
PinRefusal = Literal["not_in_pool", "excluded", "not_allowed", "taken"]

FloatArray = npt.NDArray[np.float64]
F32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

WORKDAY_MINUTES = 8 * 60  # 09:00-17:00 local
DAY_MINUTES = 24 * 60
SPECIALIST_MAX_TOPICS = 2
GENERALIST_MIN_TOPICS = 5


@dataclass(frozen=True)
class Person:
    """One participant of the programme, as the matching engine sees them."""

    user_id: str
    side: Side
    stage: int  # career stage ordinal 0..4 (0 = under 2 years of work, 4 = 20+)
    department: str
    manager: str | None
    shares: frozenset[str]
    learns: frozenset[str]
    style: Style
    meeting: Meeting
    utc_offset_minutes: int
    paused: bool = False
    waited: bool = False
    meetings_per_month: int = 2  # the survey's "how often can you meet": 1, 2 or 4
    # Their usual working time, for the minimum-overlap rule (None: the rule ignores them).
    hours: WorkingHours | None = None


# How often two people can meet, as how well it fits: 1, 2 or 4 times a month, by level.
FREQUENCY_LEVELS = {1: 0, 2: 1, 4: 2}
FREQUENCY_FIT = ((1.0, 0.5, 0.0), (0.5, 1.0, 0.5), (0.0, 0.5, 1.0))


def frequency_level(meetings_per_month: int) -> int:
    """0 monthly, 1 twice a month, 2 weekly (an unknown answer counts as twice a month)."""
    return FREQUENCY_LEVELS.get(meetings_per_month, 1)


@dataclass(frozen=True)
class Weights:
    """Weights of the soft preferences; every allowed pair scores at least ``base`` (> 0).

    * ``base`` (1.0): any allowed pair beats leaving two people unmatched, so the optimum pairs
      as many people as the hard constraints allow before it looks at quality.
    * ``teaches`` (3.0 per topic): the point of the programme, a topic the mentor can share and
      the mentee wants to learn. It dominates: one shared topic outweighs any mix of the
      smaller terms except a second topic.
    * ``learns_back`` (1.0 per topic): what the mentee can share back; reverse mentoring works
      best as an exchange, but it is secondary to the programme's direction.
    * ``cross_department`` (1.0): a view from elsewhere in the organisation, and less politics;
      only counts when the programme prefers it (when required it is a hard constraint).
    * ``style`` (0.5): an introvert with an extrovert; a mild, well-known aid, not decisive.
    * ``breadth`` (0.5): a specialist (at most 2 share topics) with a generalist (5 or more).
    * ``hours`` (1.0 for a full 8-hour overlap, linear): pairs that can meet in working hours
      actually meet; people in the same time zone get the full point.
    * ``meeting`` (0.5): the same or a compatible way to meet (video / in person / either).
    * ``frequency`` (0.5 for the same answer to "how often can you meet", half that one step
      apart, nothing for monthly with weekly): pairs who hope to meet as often stay together.
    * ``waited`` (1.5 per person): someone left unmatched last round is first in line; enough to
      beat the small terms, not enough to beat a topic the other candidate could teach.
    """

    base: float = 1.0
    teaches: float = 3.0
    learns_back: float = 1.0
    cross_department: float = 1.0
    style: float = 0.5
    breadth: float = 0.5
    hours: float = 1.0
    meeting: float = 0.5
    frequency: float = 0.5
    waited: float = 1.5

    def __post_init__(self) -> None:
        if self.base <= 0 or min(vars(self).values()) < 0:
            raise ValueError("weights must not be negative, and base must be positive")


DEFAULT_WEIGHTS = Weights()


class Fit(StrEnum):
    """How well a pair fits, in words, against the programme's spread (``FitScale``)."""

    WEAK = "weak"
    GOOD = "good"
    STRONG = "strong"

    @property
    def rank(self) -> int:
        """0 weak, 1 good, 2 strong: fits compare by rank."""
        return (Fit.WEAK, Fit.GOOD, Fit.STRONG).index(self)


# Scores are float32 in the matrix and float64 in a pair: a score this close to a threshold
# counts as reaching it, so a pair's label and the quality floor always agree.
FIT_TIE = 1e-4


@dataclass(frozen=True)
class FitScale:
    """Where good and strong fits begin, from the scores of the pairs the hard rules allow.

    The rule: a pair is *weak* below the median allowed pair (no better than a pair picked at
    random among those the rules allow), *strong* from the 90th percentile (among the best
    tenth) when that is above the median, and *good* in between. Labels are monotone in the
    score. On large pools the percentiles come from an even sample of the allowed pairs.
    """

    good_from: float  # the median score of the allowed pairs
    strong_from: float  # their 90th percentile

    def ranks(self, scores: FloatArray | F32Array) -> IntArray:
        """The rank (0 weak, 1 good, 2 strong) of each score."""
        reach = scores + FIT_TIE
        strong = (reach >= self.strong_from) & (scores > self.good_from + FIT_TIE)
        ranks: IntArray = np.where(reach < self.good_from, 0, np.where(strong, 2, 1))
        return ranks

    def fit(self, score: float) -> Fit:
        """The label of one score."""
        rank = int(self.ranks(np.array([score]))[0])
        return (Fit.WEAK, Fit.GOOD, Fit.STRONG)[rank]


@dataclass(frozen=True)
class Reason:
    """One reason a pair fits; rendered in words by ``describe``.

    ``topics`` for teaches/learns_back; ``hours`` for the working-hours overlap; ``roles`` for
    who the reason is about (the specialist of breadth, who waited); ``mode`` for meeting.
    Roles rather than user ids, so a stored reason survives pseudonymous ids.
    """

    code: ReasonCode
    topics: tuple[str, ...] = ()
    hours: float = 0.0
    roles: tuple[Role, ...] = ()
    mode: Meeting | None = None


@dataclass(frozen=True)
class Match:
    """A proposed pair: who shares, who learns, how good, and why."""

    mentor: str
    mentee: str
    score: float
    reasons: tuple[Reason, ...]
    fit: Fit = Fit.GOOD  # against the programme's spread (``MatchResult.scale``)
    kept: bool = False  # the owner asked to keep this pair


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a partner this round, and why."""

    user_id: str
    reason: UnmatchedReason


@dataclass(frozen=True)
class RefusedPin:
    """A pair the owner asked to keep that the result could not keep, and why.

    ``not_in_pool``: one of the two is paused, gone or unknown (or both are the same person);
    ``excluded``: the owner also asked never to pair them; ``not_allowed``: a hard rule forbids
    the pair (side, seniority direction, department, reporting line, an earlier pair);
    ``taken``: an earlier kept pair already uses the place (a mentor has one partner, a learner
    at most ``partners_per_person``, and nobody takes both roles).
    """

    mentor: str
    mentee: str
    reason: PinRefusal


@dataclass(frozen=True)
class MatchResult:
    """All the pairs of a round, everyone left unmatched, and the pins that could not hold."""

    pairs: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    refused: tuple[RefusedPin, ...] = ()
    scale: FitScale | None = None  # the programme's spread the fit labels come from

    @property
    def total_score(self) -> float:
        """The sum of the pair scores: what the engine maximises."""
        return float(sum(p.score for p in self.pairs))
