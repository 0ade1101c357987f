"""Two-sided consent: each person answers privately; both accepting starts the pair."""

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.states import ConsentAnswer, PairStatus, ProposalStatus
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.store import participants, programmes, rounds
from bot.store.models import Pair, Proposal

STALE = "That proposal is no longer open, so nothing was changed."
ALREADY_PAIRED = "One of you is already in a pair in this programme, so nothing was changed."


def engage(
    *,
    session: Session,
    proposal: Proposal,
    proposal_id: int | None = None,
    pair_id: int | None = None,
    partners: int,
    taken: str,
) -> None:
    """Hold the proposal's two people for it (or for the pair it became): the learner in one
    of their ``partners`` places, the sharer in their one place; `taken` if either has no
    place left, with everything in this transaction to be rolled back."""
    try:
        rounds.engage(
            session=session,
            team_id=proposal.team_id,
            programme_id=proposal.programme_id,
            places={proposal.mentor_id: 1, proposal.mentee_id: partners},
            proposal_id=proposal_id,
            pair_id=pair_id,
        )
    except IntegrityError:
        raise Refusal(taken) from None


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
        rounds.release_proposal(session=session, proposal_id=proposal.id)
        _forbid(session=session, proposal=proposal, now=now)
        notifier.proposal_ended(session=session, proposal=proposal, declined_by=user_id, now=now)
    elif proposal.mentor_answer == proposal.mentee_answer == ConsentAnswer.ACCEPTED:
        proposal.status, proposal.decided_at = ProposalStatus.ACCEPTED, now
        _forbid(session=session, proposal=proposal, now=now)
        _start_pair(session=session, proposal=proposal, now=now)
        notifier.proposal_accepted(session=session, proposal=proposal, answered_by=user_id, now=now)
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
    # The two were held by the proposal; now the pair holds them.
    rounds.release_proposal(session=session, proposal_id=proposal.id)
    programme = programmes.get(
        session=session, team_id=proposal.team_id, programme_id=proposal.programme_id
    )
    partners = 1 if programme is None else programme.partners_per_person
    engage(
        session=session,
        proposal=proposal,
        pair_id=pair.id,
        partners=partners,
        taken=ALREADY_PAIRED,
    )
    return pair


def _expire(*, session: Session, proposal: Proposal, now: datetime, notifier: Notifier) -> None:
    proposal.status, proposal.decided_at = ProposalStatus.EXPIRED, now
    rounds.release_proposal(session=session, proposal_id=proposal.id)
    notifier.proposal_ended(session=session, proposal=proposal, declined_by=None, now=now)


def expire_due(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Close every proposal whose consent window has passed; both people are told."""
    due = rounds.expired_proposals(session=session, now=now)
    for proposal in due:
        _expire(session=session, proposal=proposal, now=now, notifier=notifier)
    return len(due)


# The reminder goes out once, this long before the consent window closes.
REMIND_BEFORE = timedelta(days=1)


def remind_due(*, session: Session, now: datetime, notifier: Notifier) -> int:
    """Remind whoever has not answered a proposal closing within a day; once each (by key)."""
    reminded = 0
    for proposal in rounds.proposals_closing(session=session, now=now, within=REMIND_BEFORE):
        programme = programmes.get(
            session=session, team_id=proposal.team_id, programme_id=proposal.programme_id
        )
        if programme is None:
            continue
        waiting = [
            viewer
            for viewer, given in (
                (proposal.mentor_id, proposal.mentor_answer),
                (proposal.mentee_id, proposal.mentee_answer),
            )
            if given is None
        ]
        for viewer in waiting:
            notifier.consent_reminder(
                session=session, proposal=proposal, programme=programme, viewer=viewer, now=now
            )
            reminded += 1
    return reminded
