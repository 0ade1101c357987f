"""Matching rounds: preview, confirm, two-sided consent, kick-off, goals, expiry."""

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.domain import matching
from bot.domain.states import ConsentAnswer, PairStatus, ProposalStatus, RoundStatus
from bot.domain.text import clean
from bot.flows import audit, owners
from bot.flows.errors import Refusal
from bot.flows.notify import GroupDMs, Notifier
from bot.store import participants, programmes, rounds
from bot.store.models import Pair, Participant, Programme, Proposal, Round

log = logging.getLogger(__name__)

MAX_GOALS = 3
MAX_GOAL_LENGTH = 200
STALE = "That proposal is no longer open, so nothing was changed."


@dataclass(frozen=True)
class Preview:
    """A matching round before the owner confirms it."""

    round: Round
    programme: Programme
    proposals: Sequence[Proposal]
    unmatched: Sequence[tuple[str, str]]  # (user id, reason in words)


def _person(participant: Participant, ref: str) -> matching.Person:
    return matching.Person(
        user_id=ref,
        side=participant.side,
        stage=participant.stage,
        department=participant.department.casefold(),
        manager=participant.manager_ref,
        shares=frozenset(participant.shares),
        learns=frozenset(participant.learns),
        style=participant.style,
        meeting=participant.meeting,
        utc_offset_minutes=participant.utc_offset_minutes,
        paused=participant.paused,
        waited=participant.waited,
    )


def preview(
    *, session: Session, team_id: str, programme_id: int, owner_id: str, now: datetime
) -> Preview:
    """Find the best pairs among everyone free, and store them as a draft for the owner."""
    programme = programmes.get(session=session, team_id=team_id, programme_id=programme_id)
    if programme is None:
        raise Refusal("That programme doesn't exist any more.")
    rounds.cancel_previews(session=session, team_id=team_id, programme_id=programme.id)
    people = rounds.pool(session=session, team_id=team_id, programme_id=programme.id)
    if len(people) < 2:
        raise Refusal(
            "There aren't enough people free to match yet: at least two need to have joined "
            "and not be in a pair or waiting for an answer."
        )
    by_ref = {
        participants.person_ref(session=session, team_id=team_id, user_id=p.user_id, now=now): p
        for p in people
    }
    result = matching.match(
        [_person(p, ref) for ref, p in by_ref.items()],
        kind=programme.kind,
        history=rounds.past_pairs(session=session, team_id=team_id),
        cross_department=programme.cross_department,
    )
    draft = Round(
        team_id=team_id,
        programme_id=programme.id,
        status=RoundStatus.PREVIEW,
        created_by=owner_id,
        created_at=now,
    )
    session.add(draft)
    session.flush()
    for pair in result.pairs:
        session.add(
            Proposal(
                team_id=team_id,
                round_id=draft.id,
                programme_id=programme.id,
                mentor_id=by_ref[pair.mentor].user_id,
                mentee_id=by_ref[pair.mentee].user_id,
                score=pair.score,
                reasons=[matching.reason_to_dict(r) for r in pair.reasons],
                status=ProposalStatus.DRAFT,
                created_at=now,
            )
        )
    session.flush()
    unmatched = [
        (by_ref[u.user_id].user_id, matching.describe_unmatched(u)) for u in result.unmatched
    ]
    return Preview(
        round=draft,
        programme=programme,
        proposals=rounds.proposals_of(session=session, round_id=draft.id),
        unmatched=unmatched,
    )


def confirm(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    owner_id: str,
    configured_owners: Collection[str],
    now: datetime,
    notifier: Notifier,
) -> Preview:
    """Send the round's proposals for consent; people left over are first in line next time."""
    owners.require_owner(
        session=session, configured=configured_owners, team_id=team_id, user_id=owner_id
    )
    draft = rounds.get_round(session=session, team_id=team_id, round_id=round_id)
    if draft is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal("This preview is out of date: run `/mentoring match` again.")
    programme = programmes.get(session=session, team_id=team_id, programme_id=draft.programme_id)
    assert programme is not None  # rounds are deleted with their programme
    draft.status, draft.confirmed_at = RoundStatus.CONFIRMED, now
    expires = now + timedelta(days=programme.consent_expiry_days)
    # Who is still free now: someone may have left, paused or been paired since the preview.
    free = {
        p.user_id: p
        for p in rounds.pool(session=session, team_id=team_id, programme_id=programme.id)
        if not p.paused
    }
    proposals = []
    for proposal in rounds.proposals_of(session=session, round_id=draft.id):
        if proposal.mentor_id in free and proposal.mentee_id in free:
            proposal.status, proposal.expires_at = ProposalStatus.PENDING, expires
            proposals.append(proposal)
            notifier.consent_request(
                session=session, proposal=proposal, programme=programme, now=now
            )
        else:
            proposal.status = ProposalStatus.CANCELLED
    matched = {u for p in proposals for u in (p.mentor_id, p.mentee_id)}
    for person in free.values():
        if person.user_id not in matched:
            person.waited = True
            notifier.left_over(session=session, participant=person, round_id=draft.id, now=now)
    audit.record(
        session=session,
        team_id=team_id,
        user_id=owner_id,
        action=audit.AuditAction.ROUND_CONFIRMED,
        detail=f"{programme.name}: {len(proposals)} proposals",
        now=now,
    )
    return Preview(round=draft, programme=programme, proposals=proposals, unmatched=[])


def cancel(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    owner_id: str,
    configured_owners: Collection[str],
) -> None:
    """Throw a preview away."""
    owners.require_owner(
        session=session, configured=configured_owners, team_id=team_id, user_id=owner_id
    )
    draft = rounds.get_round(session=session, team_id=team_id, round_id=round_id)
    if draft is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal("This preview is already confirmed or cancelled.")
    draft.status = RoundStatus.CANCELLED


def answer(
    *,
    session: Session,
    team_id: str,
    proposal_id: int,
    user_id: str,
    accept: bool,
    now: datetime,
    notifier: Notifier,
) -> Proposal:
    """Record one person's private answer; a decline ends it, two accepts make a pair."""
    proposal = rounds.get_proposal(session=session, team_id=team_id, proposal_id=proposal_id)
    if proposal is None or user_id not in (proposal.mentor_id, proposal.mentee_id):
        raise Refusal(STALE)
    if proposal.status != ProposalStatus.PENDING:
        raise Refusal(_closed_reason(proposal))
    if proposal.expires_at is not None and proposal.expires_at <= now:
        _expire(session=session, proposal=proposal, now=now, notifier=notifier)
        raise Refusal("Sorry, this proposal has expired, so nothing was changed.")
    given = ConsentAnswer.ACCEPTED if accept else ConsentAnswer.DECLINED
    field = "mentor_answer" if user_id == proposal.mentor_id else "mentee_answer"
    if getattr(proposal, field) is not None:
        raise Refusal(f"You've already {getattr(proposal, field)} this proposal.")
    setattr(proposal, field, given)
    if not accept:
        proposal.status, proposal.decided_at = ProposalStatus.DECLINED, now
        _forbid(session=session, proposal=proposal, now=now)
        notifier.proposal_ended(session=session, proposal=proposal, declined_by=user_id, now=now)
    elif proposal.mentor_answer == proposal.mentee_answer == ConsentAnswer.ACCEPTED:
        proposal.status, proposal.decided_at = ProposalStatus.ACCEPTED, now
        _forbid(session=session, proposal=proposal, now=now)
        _start_pair(session=session, proposal=proposal, now=now)
    return proposal


def _closed_reason(proposal: Proposal) -> str:
    return {
        ProposalStatus.ACCEPTED: "You're both in already: this pair has started.",
        ProposalStatus.DECLINED: "This match isn't going ahead, so nothing was changed.",
        ProposalStatus.EXPIRED: "Sorry, this proposal has expired, so nothing was changed.",
    }.get(proposal.status, STALE)


def _forbid(*, session: Session, proposal: Proposal, now: datetime) -> None:
    refs = [
        participants.person_ref(session=session, team_id=proposal.team_id, user_id=u, now=now)
        for u in (proposal.mentor_id, proposal.mentee_id)
    ]
    rounds.remember_pair(session=session, team_id=proposal.team_id, refs=refs, now=now)


def _start_pair(*, session: Session, proposal: Proposal, now: datetime) -> Pair:
    pair = Pair(
        team_id=proposal.team_id,
        programme_id=proposal.programme_id,
        round_id=proposal.round_id,
        mentor_id=proposal.mentor_id,
        mentee_id=proposal.mentee_id,
        status=PairStatus.ACTIVE,
        goals=[],
        started_at=now,
    )
    session.add(pair)
    for user_id in (proposal.mentor_id, proposal.mentee_id):
        person = participants.get(session=session, team_id=proposal.team_id, user_id=user_id)
        if person is not None:
            person.waited = False
    session.flush()
    return pair


def _expire(*, session: Session, proposal: Proposal, now: datetime, notifier: Notifier) -> None:
    proposal.status, proposal.decided_at = ProposalStatus.EXPIRED, now
    notifier.proposal_ended(session=session, proposal=proposal, declined_by=None, now=now)


def expire_due(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Close every proposal whose consent window has passed; both people are told."""
    due = rounds.expired_proposals(session=session, now=now)
    for proposal in due:
        _expire(session=session, proposal=proposal, now=now, notifier=notifier)
    return len(due)


def kick_off(
    *, session: Session, pair: Pair, channel_id: str, now: datetime, notifier: Notifier
) -> None:
    """Record the pair's group DM and introduce them there."""
    pair.channel_id = channel_id
    programme = programmes.get(
        session=session, team_id=pair.team_id, programme_id=pair.programme_id
    )
    assert programme is not None
    notifier.kickoff(session=session, pair=pair, programme=programme, now=now)


def start_pairs(
    sessions: sessionmaker[Session], *, group_dms: GroupDMs, now: datetime, notifier: Notifier
) -> int:
    """Open a group DM for every new pair and store its kick-off; safe to run twice."""
    with sessions() as session:
        waiting = [
            (p.id, p.team_id, p.mentor_id, p.mentee_id)
            for p in rounds.pairs_without_channel(session=session)
        ]
    started = 0
    for pair_id, team_id, mentor, mentee in waiting:
        # Outside any transaction: Slack may be slow, and returns the same group DM for the
        # same people, so a retry is harmless.
        channel = group_dms.open_group(team_id=team_id, users=[mentor, mentee])
        if channel is None:
            log.warning("could not open a pair's group DM: pair=%d", pair_id)
            continue
        with sessions.begin() as session:
            pair = rounds.get_pair(session=session, team_id=team_id, pair_id=pair_id)
            if pair is not None and pair.channel_id is None:
                kick_off(session=session, pair=pair, channel_id=channel, now=now, notifier=notifier)
                started += 1
    return started


def pair_for_member(*, session: Session, team_id: str, pair_id: int, user_id: str) -> Pair:
    """A pair, for one of its two members only."""
    pair = rounds.member_pair(session=session, team_id=team_id, user_id=user_id, pair_id=pair_id)
    if pair is None:
        raise Refusal("Only the two people in an active pair can set its goals.")
    return pair


def set_goals(
    *,
    session: Session,
    team_id: str,
    pair_id: int,
    user_id: str,
    goals: Sequence[str],
    now: datetime,
    notifier: Notifier,
) -> Pair:
    """Store a pair's 1–3 shared goals (only the two of them can)."""
    pair = pair_for_member(session=session, team_id=team_id, pair_id=pair_id, user_id=user_id)
    cleaned = [clean(g) for g in goals if clean(g)]
    if not cleaned:
        raise Refusal("Write at least one goal.")
    if len(cleaned) > MAX_GOALS or any(len(g) > MAX_GOAL_LENGTH for g in cleaned):
        raise Refusal(f"Up to {MAX_GOALS} goals, each under {MAX_GOAL_LENGTH} characters.")
    if cleaned != pair.goals:
        pair.goals = cleaned
        notifier.goals_set(session=session, pair=pair, set_by=user_id, now=now)
    return pair
