"""Finding a time: suggested times, picking one (planned, with an invite), "Did it happen?",
and the one reminder to a first mover whose pair has nothing planned."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.domain.find_time import (
    FIRST_SESSION,
    Place,
    PlaceKind,
    period_bounds,
    pick_fits,
    suggestions,
)
from bot.domain.pairs import members
from bot.domain.prompt_files import default_library
from bot.domain.states import MeetingStatus
from bot.domain.working_hours import WorkingHours
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import find_time as store
from bot.store import outbox, outbox_keys, participants, programmes, rounds
from bot.store.models import Pair, Programme

NOT_YOURS = "Only the two people in an active pair can plan its meetings."
GONE = "That time isn't free any more (it has passed, or is outside your working hours)."
ALREADY_PLANNED = (
    "Your pair already has a meeting planned (the invite is in your group DM), so nothing "
    "was changed."
)
DAY_TAKEN = "You've already got a meeting on that day, so nothing was changed. Pick another day."
STALE_QUESTION = "That question isn't open any more, so nothing was changed."


@dataclass(frozen=True)
class Planned:
    """A meeting just planned, with what its invite needs."""

    meeting_id: int
    pair_id: int
    channel_id: str
    people: tuple[str, str]  # mentor, mentee
    picked_by: str
    start: datetime
    length_minutes: int
    programme: str
    topic: str | None  # the period's prompt topic (None for a first session)
    prompt: str


def pair_hours(*, session: Session, pair: Pair) -> tuple[WorkingHours, WorkingHours] | None:
    """Both people's working hours, mentor first; None if either has left."""
    hours = participants.working_hours(
        session=session, team_id=pair.team_id, user_ids=members(pair)
    )
    if pair.mentor_id not in hours or pair.mentee_id not in hours:
        return None
    return hours[pair.mentor_id], hours[pair.mentee_id]


def suggested(
    *,
    pair: Pair,
    programme: Programme,
    hours: tuple[WorkingHours, WorkingHours] | None,
    period: int,
    now: datetime,
    skip: int = 0,
) -> list[datetime]:
    """A batch of suggested times for the pair in one cadence period."""
    if hours is None:
        return []
    start, end = period_bounds(pair.started_at, timedelta(weeks=programme.cadence_weeks), period)
    return suggestions(
        *hours,
        period_start=start,
        period_end=end,
        length_minutes=programme.session_minutes,
        now=now,
        skip=skip,
    )


class TimesForPairs:
    """Suggested times for many pairs at once (a tick's prompts): hours read in one query per
    workspace, programmes once each."""

    def __init__(self, session: Session, pairs: Iterable[Pair]) -> None:
        self.session = session
        by_team: dict[str, set[str]] = defaultdict(set)
        for pair in pairs:
            by_team[pair.team_id] |= {pair.mentor_id, pair.mentee_id}
        self.hours = {
            (team_id, user_id): hours
            for team_id, users in by_team.items()
            for user_id, hours in participants.working_hours(
                session=session, team_id=team_id, user_ids=users
            ).items()
        }
        self.programmes: dict[int, Programme | None] = {}

    def __call__(self, pair: Pair, period: int, *, now: datetime) -> list[datetime]:
        """The first batch of times for the pair's period, as of `now`."""
        if pair.programme_id not in self.programmes:
            self.programmes[pair.programme_id] = programmes.get(
                session=self.session, team_id=pair.team_id, programme_id=pair.programme_id
            )
        programme = self.programmes[pair.programme_id]
        mentor = self.hours.get((pair.team_id, pair.mentor_id))
        mentee = self.hours.get((pair.team_id, pair.mentee_id))
        if programme is None or mentor is None or mentee is None:
            return []
        return suggested(
            pair=pair, programme=programme, hours=(mentor, mentee), period=period, now=now
        )


def _member_pair(*, session: Session, team_id: str, user_id: str, pair_id: int) -> Pair:
    pair = rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if pair is None:
        raise Refusal(NOT_YOURS)
    return pair


def programme_of(session: Session, pair: Pair) -> Programme:
    """The pair's programme (refused if it is gone)."""
    programme = programmes.get(
        session=session, team_id=pair.team_id, programme_id=pair.programme_id
    )
    if programme is None:
        raise Refusal(NOT_YOURS)
    return programme


def _place(code: str) -> Place:
    place = Place.parse(code)
    if place is None:
        raise Refusal(GONE)
    return place


def other_times(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    place_code: str,
    skip: int,
    now: datetime,
    notifier: Notifier,
) -> None:
    """Show the next batch of suggested times in the message that offered them."""
    pair = _member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    programme = programme_of(session, pair)
    place = _place(place_code)
    hours = pair_hours(session=session, pair=pair)
    times = suggested(
        pair=pair, programme=programme, hours=hours, period=place.period, now=now, skip=skip
    )
    prompt_id = (
        store.prompt_id_of(session=session, pair_id=pair.id, period=place.period)
        if place.kind == PlaceKind.PROMPT
        else None
    )
    notifier.show_times(
        session=session, pair=pair, programme=programme, place=place, viewer=user_id,
        prompt_id=prompt_id, times=times, skip=skip, now=now,
    )  # fmt: skip


def _invite_text(session: Session, pair: Pair, place: Place) -> tuple[str | None, str]:
    """The period's prompt topic and text for the invite (a first session's outline else)."""
    if place.kind != PlaceKind.PROMPT:
        return None, FIRST_SESSION
    prompt_id = store.prompt_id_of(session=session, pair_id=pair.id, period=place.period)
    library = default_library()
    if prompt_id is None or not library.has_prompt(prompt_id):
        return None, FIRST_SESSION
    prompt = library.prompt(prompt_id)
    return library.topic(prompt.topic).label, prompt.text


def pick_time(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    pair_id: int,
    place_code: str,
    start: datetime,
    now: datetime,
) -> Planned:
    """Plan the pair's meeting at a suggested time; refused while another one is ahead.

    The pair's row is locked first, so two picks at once (one each, on two web processes)
    plan one meeting: the second waits, then finds the first one planned.
    """
    place = _place(place_code)
    if (
        rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
        is None
    ):
        raise Refusal(NOT_YOURS)
    pair = store.lock_pair(session=session, team_id=team_id, pair_id=pair_id)
    if pair is None or pair.channel_id is None:
        raise Refusal(NOT_YOURS)
    programme = programme_of(session, pair)
    hours = pair_hours(session=session, pair=pair)
    length = programme.session_minutes
    if hours is None or not pick_fits(*hours, start=start, length_minutes=length, now=now):
        raise Refusal(GONE)
    if store.planned_ahead(session=session, pair_id=pair.id, now=now) is not None:
        raise Refusal(ALREADY_PLANNED)
    mine = hours[0] if user_id == pair.mentor_id else hours[1]
    day = start.astimezone(ZoneInfo(mine.tz)).date()
    meeting = store.meeting_on(session=session, pair_id=pair.id, day=day)
    if meeting is None:
        meeting = store.plan(
            session=session, team_id=team_id, pair_id=pair.id, day=day, start=start, now=now
        )
    elif meeting.status in (MeetingStatus.HELD, MeetingStatus.PLANNED):
        raise Refusal(DAY_TAKEN)
    else:  # asked about, or said not to have happened: that day is free again
        meeting.status, meeting.starts_at = MeetingStatus.PLANNED, start
    # A first mover's reminder not sent yet is no longer needed.
    outbox.drop_pending(
        session=session, team_id=team_id, key_prefix=outbox_keys.first_mover_prefix(pair.id)
    )
    topic, text = _invite_text(session, pair, place)
    return Planned(
        meeting_id=meeting.id,
        pair_id=pair.id,
        channel_id=pair.channel_id,
        people=members(pair),
        picked_by=user_id,
        start=start,
        length_minutes=length,
        programme=programme.name,
        topic=topic,
        prompt=text,
    )


def ask_did_it_happen(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Ask each pair whose planned meeting is over, once, in their group DM: did it happen?"""
    asked = 0
    for meeting, pair in store.planned_and_over(session=session, now=now):
        meeting.status = MeetingStatus.ASKED
        notifier.did_it_happen(session=session, pair=pair, meeting=meeting, now=now)
        asked += 1
    return asked


def answer_did_it_happen(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    meeting_id: int,
    held: bool,
    now: datetime,
    notifier: Notifier,
) -> bool:
    """Either person's one-tap answer; a yes records the meeting as held (as *We met* does).
    False if it was already answered."""
    meeting = store.get_meeting(session=session, team_id=team_id, meeting_id=meeting_id)
    if meeting is None:
        raise Refusal(STALE_QUESTION)
    pair = _member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=meeting.pair_id)
    if meeting.status != MeetingStatus.ASKED:
        return False
    meeting.status = MeetingStatus.HELD if held else MeetingStatus.MISSED
    notifier.meeting_answered(
        session=session, pair=pair, meeting=meeting, answered_by=user_id, now=now
    )
    return True
