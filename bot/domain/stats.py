"""A programme's figures for its owners, only from released blocks and frozen snapshots.

The store hands in what was released (`Counts`): blocks of answers (each resting on at least k
people, see `bot.domain.anonymity`) and the latest shown snapshot of each people figure;
`figures` turns them into what may be shown (`Figures`), each withheld figure with a reason.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from bot.domain import anonymity
from bot.domain.anonymity import OTHER, Breakdown, Rate
from bot.domain.stat_snapshots import AT_RISK, CONSENT, EVENTS, PAIRS, PEOPLE, RATE
from bot.domain.states import ClosingChoice, MetAnswer, ProposalStatus

OUTCOMES = (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
MET = (MetAnswer.YES, MetAnswer.RESCHEDULED, MetAnswer.NO)
SCORES = (1, 2, 3, 4, 5)
NO_SCORE = "no score"  # a check-in answered without a usefulness score
CHOICES = tuple(ClosingChoice)


@dataclass(frozen=True)
class Block:
    """One released block of answers, as the store reads it back."""

    starts_on: date
    ends_on: date
    people: int
    most_per_person: int
    answers: int
    unanswered: int
    comments: int
    cells: Mapping[str, Mapping[Any, int]]  # "met", "usefulness" or "choice" -> counts
    score_sum: int = 0
    scored: int = 0


@dataclass(frozen=True)
class Counts:
    """What has been released for one programme."""

    name: str
    pilot: bool
    minimum_group: int
    role_words: tuple[str, str] = ("mentor", "mentee")  # the programme's words for the sides
    checkins: Sequence[Block] = ()
    closings: Sequence[Block] = ()
    # Each people figure's shown snapshots, oldest first: (day taken, cells).
    snapshots: Mapping[str, Sequence[tuple[date, Mapping[str, int | None]]]] = field(
        default_factory=dict
    )
    waiting: Mapping[str, int] = field(default_factory=dict)  # ballots waiting, by kind
    topics: Mapping[str, int] = field(default_factory=dict)
    comment_sample: Sequence[str] = ()


@dataclass(frozen=True)
class Weekly:
    """The chart's series: each point one released block or snapshot (keyed by its day)."""

    signups: Breakdown[date]
    checkins: Breakdown[date]
    meetings: Breakdown[date]  # active pairs that have met


@dataclass(frozen=True)
class Figures:
    """What an owner may see about one programme; None is withheld, with a reason in `notes`."""

    name: str
    pilot: bool
    minimum: int
    role_words: tuple[str, str]
    people_as_of: date | None
    answers_through: date | None  # the last day of the released check-ins
    sides: Breakdown[str]
    stages: Breakdown[str]
    paused_now: Breakdown[str]
    consent: Breakdown[str]
    consent_rate: Rate | None
    active_pairs: int | None
    met_rate: Rate | None  # active pairs that have logged a meeting
    pairs_at_risk: int | None  # active pairs where someone went quiet and was asked
    response_rate: Rate | None
    met: Breakdown[str]
    met_share: Rate | None  # of released check-ins, how many said they met
    usefulness: Breakdown[str]
    average_usefulness: tuple[float, float] | None
    round_end: Breakdown[str]
    continue_rate: Rate | None
    topics: Breakdown[str]
    leavers: int | None
    pauses: int | None
    comments: tuple[str, ...]
    notes: Mapping[str, str]
    weekly: Weekly


def _latest(counts: Counts, figure: str) -> tuple[date | None, Mapping[str, int | None]]:
    shown = counts.snapshots.get(figure, ())
    return shown[-1] if shown else (None, {})


def _breakdown(cells: Mapping[str, int | None], name: str) -> Breakdown[str]:
    total = cells.get(f"{name}/total")
    prefix = f"{name}/"
    groups = tuple(
        (key[len(prefix) :], value)
        for key, value in cells.items()
        if key.startswith(prefix) and key != f"{name}/total" and RATE not in key
    )
    return Breakdown(total=total, groups=groups if total is not None else ())


def _band(cells: Mapping[str, int | None], name: str) -> Rate | None:
    low, high = cells.get(f"{name}/{RATE}low"), cells.get(f"{name}/{RATE}high")
    return None if low is None or high is None else Rate(low / 100, high / 100)


def _distribution(
    blocks: Sequence[Block], name: str, keys: Sequence[Any], minimum: int
) -> dict[Any, int]:
    """Released blocks added up, each coarsened, known keys first."""
    parts = [
        anonymity.coarsen(
            {key: b.cells.get(name, {}).get(key, 0) for key in keys},
            most_per_person=b.most_per_person,
            minimum=minimum,
        )
        for b in blocks
    ]
    total = anonymity.combine(parts)
    ordered = {key: total[key] for key in keys if total.get(key)}  # an empty cell says nothing
    if total.get(OTHER):
        ordered[OTHER] = total[OTHER]
    return ordered


def _named(counts: Mapping[Any, int]) -> Breakdown[str]:
    total = sum(counts.values())
    return Breakdown(total=total, groups=tuple((str(k), v) for k, v in counts.items()))


def _nothing() -> Breakdown[str]:
    return Breakdown(total=None, groups=())


def _mean(blocks: Sequence[Block], minimum: int) -> tuple[float, float] | None:
    scored = sum(b.scored for b in blocks)
    if not blocks or scored == 0:
        return None
    # Exact only when no score was merged away: otherwise mean and counts could solve for it.
    exact = all(
        OTHER
        not in anonymity.coarsen(
            {k: b.cells.get("usefulness", {}).get(k, 0) for k in (*SCORES, NO_SCORE)},
            most_per_person=b.most_per_person,
            minimum=minimum,
        )
        for b in blocks
    )
    return anonymity.average_band(sum(b.score_sum for b in blocks), scored, exact=exact)


def _answers_note(kind: str, blocks: Sequence[Block], waiting: int, minimum: int) -> str:
    if blocks:
        return ""
    if waiting:
        return (
            f"{kind}: shown once {minimum} people have answered in closed periods "
            "(periods with fewer wait and merge with the next)"
        )
    return f"{kind}: shown once {minimum} people have answered and the period has closed"


def _people_note(as_of: date | None, minimum: int) -> str:
    if as_of is None:
        return f"shown at the first period close with at least {minimum} people"
    return (
        f"as of {as_of:%d %b %Y}; updated when at least {minimum} people have joined or left since"
    )


def figures(counts: Counts, *, rng: Random) -> Figures:
    """The figures an owner may see, every one from a released block or a shown snapshot."""
    minimum = anonymity.minimum_group(counts.minimum_group)
    people_day, people = _latest(counts, PEOPLE)
    _, pairs = _latest(counts, PAIRS)
    _, consent = _latest(counts, CONSENT)
    _, events = _latest(counts, EVENTS)
    _, at_risk = _latest(counts, AT_RISK)
    checkins, closings = counts.checkins, counts.closings
    answered = sum(b.answers for b in checkins)
    asked = answered + sum(b.unanswered for b in checkins)
    most = max((b.most_per_person for b in checkins), default=1)
    choices = _distribution(closings, "choice", CHOICES, minimum)
    commenters = max(
        (anonymity.people_at_least(b.comments, b.most_per_person) for b in (*checkins, *closings)),
        default=0,
    )
    notes = {
        "check-ins": _answers_note(
            "Check-ins", checkins, counts.waiting.get("checkin", 0), minimum
        ),
        "round end": _answers_note(
            "End of round", closings, counts.waiting.get("closing", 0), minimum
        ),
        "people": _people_note(people_day, minimum),
        "comments": (
            ""
            if commenters >= anonymity.FREE_TEXT_MINIMUM
            else f"shown once {anonymity.FREE_TEXT_MINIMUM} people have written a comment"
        ),
    }
    usefulness = _distribution(checkins, "usefulness", (*SCORES, NO_SCORE), minimum)
    return Figures(
        name=counts.name,
        pilot=counts.pilot,
        minimum=minimum,
        role_words=counts.role_words,
        people_as_of=people_day,
        answers_through=checkins[-1].ends_on if checkins else None,
        sides=_breakdown(people, "sides"),
        stages=_breakdown(people, "stages"),
        paused_now=_breakdown(people, "paused"),
        consent=_breakdown(consent, "consent"),
        consent_rate=_band(consent, "consent"),
        active_pairs=pairs.get("active_pairs/total"),
        met_rate=_band(pairs, "met"),
        pairs_at_risk=at_risk.get("at_risk/total"),
        response_rate=(
            anonymity.rate(answered, asked, minimum=minimum, most_per_person=most)
            if checkins
            else None
        ),
        met=_named(_distribution(checkins, "met", MET, minimum)) if checkins else _nothing(),
        met_share=(
            anonymity.rate(
                sum(b.cells.get("met", {}).get("yes", 0) for b in checkins),
                answered,
                minimum=minimum,
                most_per_person=most,
            )
            if checkins
            else None
        ),
        usefulness=_named(usefulness) if checkins else _nothing(),
        average_usefulness=_mean(checkins, minimum),
        round_end=_named(choices) if closings else _nothing(),
        continue_rate=(
            anonymity.rate(
                sum(b.cells.get("choice", {}).get("continue", 0) for b in closings),
                sum(b.answers for b in closings),
                minimum=minimum,
                most_per_person=max(b.most_per_person for b in closings),
            )
            if closings
            else None
        ),
        topics=anonymity.breakdown(
            dict(sorted(counts.topics.items(), key=lambda item: (-item[1], item[0]))),
            minimum=minimum,
        ).relabel(str),
        leavers=events.get("left/total"),
        pauses=events.get("pauses/total"),
        comments=(
            anonymity.free_texts(counts.comment_sample, given=anonymity.FREE_TEXT_MINIMUM, rng=rng)
            if commenters >= anonymity.FREE_TEXT_MINIMUM
            else ()
        ),
        notes={key: note for key, note in notes.items() if note},
        weekly=Weekly(
            signups=_series(counts, PEOPLE, "sides/total"),
            checkins=Breakdown(
                total=answered, groups=tuple((b.starts_on, b.answers) for b in checkins)
            ),
            meetings=_series(counts, PAIRS, "active_pairs/total"),
        ),
    )


def _series(counts: Counts, figure: str, cell: str) -> Breakdown[date]:
    points = tuple((day, cells.get(cell)) for day, cells in counts.snapshots.get(figure, ()))
    return Breakdown(total=None, groups=points)
