"""Queries on participants, and deleting everything a person left behind."""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time

from sqlalchemy import and_, bindparam, delete, not_, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.profile import GONE
from bot.domain.working_hours import WorkingHours, default_hours, known_zone
from bot.store import audit, keep_going, next_checks, outbox
from bot.store.models import (
    Engagement,
    Owner,
    Pair,
    Participant,
    PastPair,
    Programme,
    Proposal,
    Round,
    RoundControl,
    Workspace,
)

# A person's log pseudonym, by the bound parameters `team` and `user`: read on every request,
# with the rest of what store.callers knows of the person.
LOG_ID = (
    select(Participant.log_id)
    .where(Participant.team_id == bindparam("team"), Participant.user_id == bindparam("user"))
    .scalar_subquery()
)


def get(*, session: Session, team_id: str, user_id: str) -> Participant | None:
    """The person's participation, if they joined."""
    query = select(Participant).where(
        Participant.team_id == team_id, Participant.user_id == user_id
    )
    return session.scalar(query)


def utc_offset(*, session: Session, team_id: str, user_id: str) -> int:
    """The person's offset from UTC in minutes; 0 when they have not joined."""
    person = get(session=session, team_id=team_id, user_id=user_id)
    return person.utc_offset_minutes if person is not None else 0


LAST_MINUTE = 23 * 60 + 59


def hours_of(p: Participant) -> WorkingHours:
    """A participant's stored working hours, in their Slack time zone (UTC if unknown)."""
    return _hours(
        p.timezone, p.work_start_minute, p.work_end_minute, p.work_days, p.holiday_country
    )


HOURS = (
    Participant.timezone,
    Participant.work_start_minute,
    Participant.work_end_minute,
    Participant.work_days,
    Participant.holiday_country,
)


def _hours(timezone: str, start: int, end: int, days: str, country: str | None) -> WorkingHours:
    return WorkingHours(
        tz=timezone if known_zone(timezone) else "UTC",
        start=time(start // 60, start % 60),
        # A day that ends at 23:59 (the latest a time picker offers) runs until midnight.
        end=time(end // 60, end % 60) if end < LAST_MINUTE else time.max,
        days=frozenset(int(d) for d in days if d.isdigit() and int(d) < 7),
        country=country,
    )


def working_hours(
    *, session: Session, team_id: str, user_ids: Iterable[str]
) -> dict[str, WorkingHours]:
    """Each person's working hours in their Slack time zone; the defaults for someone with no
    row (09:00-17:00, Monday to Friday, UTC). Plain rows: a tick reads thousands."""
    wanted = set(user_ids)
    query = select(Participant.user_id, *HOURS).where(
        Participant.team_id == team_id, Participant.user_id.in_(wanted)
    )
    found = (
        {row[0]: _hours(row[1], row[2], row[3], row[4], row[5]) for row in session.execute(query)}
        if wanted
        else {}
    )
    return {u: found.get(u) or default_hours(None) for u in wanted}


def lock(*, session: Session, team_id: str, user_id: str) -> Participant | None:
    """The person's participation, locked until the transaction ends (their requests queue up)."""
    query = (
        select(Participant)
        .where(Participant.team_id == team_id, Participant.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(query)


def person_ref(*, session: Session, team_id: str, user_id: str, now: datetime) -> str:
    """A stable pseudonym for a person in this workspace (keyed HMAC of their Slack id)."""
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id, pepper=secrets.token_hex(32), created_at=now)
        session.add(workspace)
        session.flush()
    digest = hmac.new(workspace.pepper.encode(), user_id.encode(), hashlib.sha256)
    return digest.hexdigest()


def person_refs(
    *, session: Session, team_id: str, user_ids: Iterable[str], now: datetime
) -> dict[str, str]:
    """`person_ref` of many people at once (one look-up of the workspace's pepper)."""
    user_ids = list(user_ids)
    if not user_ids:
        return {}
    first = person_ref(session=session, team_id=team_id, user_id=user_ids[0], now=now)
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    assert workspace is not None  # person_ref just made sure
    pepper = workspace.pepper.encode()
    refs = {u: hmac.new(pepper, u.encode(), hashlib.sha256).hexdigest() for u in user_ids[1:]}
    return {user_ids[0]: first, **refs}


def set_paused(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    paused: bool,
    now: datetime,
    until: date | None = None,
) -> bool:
    """Pause (until a date, or not) or resume unless already so; True when this call changed it.

    The condition is in the UPDATE itself: of several requests at once, one changes the row and
    the others, having waited for its lock, find nothing left to change.
    """
    if paused and until is not None:
        unchanged = and_(Participant.paused, Participant.paused_until == until)
    elif paused:
        unchanged = and_(Participant.paused, Participant.paused_until.is_(None))
    else:
        unchanged = not_(Participant.paused)
    result = session.execute(
        update(Participant)
        .where(Participant.team_id == team_id, Participant.user_id == user_id, not_(unchanged))
        .values(
            paused=paused,
            paused_until=until if paused else None,
            # A pause or resume settles any "still in?" question.
            still_in_asked_at=None,
            still_in_pair_id=None,
            updated_at=now,
            **({} if paused else {"resumed_at": now}),
        )
    )
    changed = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    if changed and not paused:
        next_checks.check_person_now(session=session, team_id=team_id, user_id=user_id, now=now)
    return changed


def paused_until_by(*, session: Session, day: date) -> list[Participant]:
    """Everyone paused until `day` or earlier (the job checks each one's own morning)."""
    return list(
        session.scalars(
            select(Participant)
            .where(Participant.paused, Participant.paused_until <= day)
            .order_by(Participant.id)
        )
    )


def resume_if_due(*, session: Session, participant_id: int, day: date, now: datetime) -> bool:
    """Un-pause someone whose pause ends by `day`; the UPDATE decides, so a rerun finds nothing."""
    result = session.execute(
        update(Participant)
        .where(
            Participant.id == participant_id,
            Participant.paused,
            Participant.paused_until <= day,
        )
        .values(
            paused=False,
            paused_until=None,
            still_in_asked_at=None,
            still_in_pair_id=None,
            resumed_at=now,
            updated_at=now,
        )
        .returning(Participant.team_id, Participant.user_id)
        .execution_options(synchronize_session=False)
    )
    resumed = result.first()
    if resumed is not None:
        next_checks.check_person_now(
            session=session, team_id=resumed[0], user_id=resumed[1], now=now
        )
    return resumed is not None


def _forget_pseudonym(*, session: Session, team_id: str, user_id: str) -> None:
    """Delete every row keyed by the person's pseudonym, which the stored pepper could recompute.

    Someone who rejoins starts afresh and names their manager again. So the reporting-line
    rule and the no-repeat rule hold only among people still present: a leaver's former
    partner, or their reports, may be proposed to them if they come back.
    """
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        return  # no pseudonym was ever made in this workspace
    digest = hmac.new(workspace.pepper.encode(), user_id.encode(), hashlib.sha256)
    ref = digest.hexdigest()
    session.execute(
        delete(PastPair).where(
            PastPair.team_id == team_id, or_(PastPair.first_ref == ref, PastPair.second_ref == ref)
        )
    )
    session.execute(
        update(Participant)
        .where(Participant.team_id == team_id, Participant.manager_ref == ref)
        .values(manager_ref=None, manager_id=None)
    )


def delete_person(*, session: Session, team_id: str, user_id: str) -> bool:
    """Delete a person's participation and every stored message for them; True if they were in."""
    participant = get(session=session, team_id=team_id, user_id=user_id)
    if participant is not None:
        session.delete(participant)
    # Their pairs' goals were theirs too, and the group DM's members would name them; the
    # pairs themselves stay for the anonymous totals. (Their pair has ended by now.)
    session.execute(
        update(Pair)
        .where(Pair.team_id == team_id, or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id))
        .values(goals=[], channel_id=None)
    )
    _forget_pseudonym(session=session, team_id=team_id, user_id=user_id)
    # Pairs and proposals stay for the anonymous totals, without who was in them.
    for model in (Pair, Proposal):
        for column in (model.mentor_id, model.mentee_id):
            session.execute(
                update(model)
                .where(model.team_id == team_id, column == user_id)
                .values({column.key: GONE})
            )
    session.execute(
        delete(Engagement).where(Engagement.team_id == team_id, Engagement.user_id == user_id)
    )
    # An owner's controls over a preview name the two people: gone with either of them.
    session.execute(
        delete(RoundControl).where(
            RoundControl.team_id == team_id,
            or_(RoundControl.first_id == user_id, RoundControl.second_id == user_id),
        )
    )
    # Other people named them as their manager: keep only the pseudonym there.
    session.execute(
        update(Participant)
        .where(Participant.team_id == team_id, Participant.manager_id == user_id)
        .values(manager_id=None)
    )
    # Who set things up is kept only as "someone who has left" (if they were a participant:
    # an owner who never joined keeps their owner's record).
    if participant is not None:
        session.execute(
            update(Programme)
            .where(Programme.team_id == team_id, Programme.created_by == user_id)
            .values(created_by=GONE)
        )
        session.execute(
            update(Round)
            .where(Round.team_id == team_id, Round.created_by == user_id)
            .values(created_by=GONE)
        )
        session.execute(
            update(Owner)
            .where(Owner.team_id == team_id, Owner.added_by == user_id)
            .values(added_by=GONE)
        )
        # A senior champion who had joined is no longer named in announcements.
        for programme in session.scalars(select(Programme).where(Programme.team_id == team_id)):
            if user_id in programme.champions:
                programme.champions = [u for u in programme.champions if u != user_id]
    # Whether they answered a check-in or closing survey: the answers themselves are anonymous.
    outbox.forget_user(session=session, team_id=team_id, user_id=user_id)
    audit.forget_user(session=session, team_id=team_id, user_id=user_id, placeholder=GONE)
    keep_going.forget_user(session=session, team_id=team_id, user_id=user_id)
    return participant is not None
