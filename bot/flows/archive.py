"""Archiving a programme: out of every menu, what was under way ended kindly, data on the clock."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.pairs import members
from bot.domain.states import ProposalStatus
from bot.flows import audit, owners
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.pair_exit import close_pair
from bot.store import outbox, outbox_keys, programmes, rounds
from bot.store.models import Programme

ARCHIVED_ALREADY = "That programme is already archived, so nothing was changed."


@dataclass(frozen=True)
class Archived:
    """What archiving a programme ended: proposals withdrawn and pairs closed."""

    programme: Programme
    proposals: int
    pairs: int


def archive(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    programme_id: int,
    configured: Collection[str],
    now: datetime,
    notifier: Notifier,
) -> Archived:
    """Archive a programme: out of every menu and default, sign-up closed, its open proposals
    expired and its pairs ended kindly; the audit trail records it. Its personal data is then
    deleted RETENTION_MONTHS later (bot.flows.retention)."""
    owners.require_owner(
        session=session,
        configured=configured,
        team_id=team_id,
        user_id=user_id,
        programme_id=programme_id,
    )
    # Locked, as a preview or a confirm locks it: neither runs half before and half after.
    programme = programmes.lock(session=session, team_id=team_id, programme_id=programme_id)
    if programme is None:
        raise Refusal("That programme doesn't exist any more.")
    if programme.archived_at is not None:
        raise Refusal(ARCHIVED_ALREADY)
    programme.archived_at, programme.signup_open = now, False
    rounds.cancel_previews(session=session, team_id=team_id, programme_id=programme.id)
    sent = 0
    for proposal in rounds.open_proposals_of(session=session, programme_id=programme.id):
        was_sent = proposal.status == ProposalStatus.PENDING
        proposal.status = ProposalStatus.EXPIRED if was_sent else ProposalStatus.CANCELLED
        proposal.decided_at = now
        rounds.release_proposal(session=session, proposal_id=proposal.id)
        if not was_sent:
            continue  # a draft of a preview: nobody was asked
        sent += 1
        # Its reminder goes; the consent DMs lose their buttons (programme_archived).
        reminders = outbox_keys.consent_prefix(proposal.id) + "reminder:"
        outbox.drop_pending(session=session, team_id=team_id, key_prefix=reminders)
        for person in members(proposal):
            notifier.programme_archived(
                session=session, programme=programme, user_id=person, proposal=proposal, now=now
            )
    pairs = rounds.active_pairs_of(session=session, programme_id=programme.id)
    for pair in pairs:
        close_pair(session=session, pair=pair, now=now, notifier=notifier)
        for person in members(pair):
            notifier.programme_archived(
                session=session, programme=programme, user_id=person, proposal=None, now=now
            )
    audit.record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=audit.AuditAction.PROGRAMME_ARCHIVED,
        detail=programme.name,
        now=now,
    )
    return Archived(programme=programme, proposals=sent, pairs=len(pairs))
