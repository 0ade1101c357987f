"""Matching rounds: an owner previews the best pairs, then confirms or cancels them."""

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.states import ControlKind, ProposalStatus, RoundStatus
from bot.flows import audit, owners
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.programmes import ARCHIVED
from bot.flows.rounds.consent import engage
from bot.flows.rounds.drafts import OUT_OF_DATE, Preview, draw, owned_draft, unmatched_words
from bot.store import participants, programmes, rounds
from bot.store.models import Round

ALREADY_CONFIRMED = (
    "A round of this programme was already confirmed from another preview, so nothing more "
    "was sent. Run `/mentoring match` again for anyone still free."
)
# Another process proposed or paired one of these people a moment ago: the database's
# one-commitment-per-person key refused the second, and everything here was rolled back.
ALREADY_PROPOSED = (
    "Some of these people were already proposed or paired a moment ago, so nothing was "
    "changed. Run `/mentoring match` again for anyone still free."
)

CHANGED = (
    "This preview has changed since these buttons were shown, so nothing was sent: confirm "
    "from the latest preview."
)

REASON_IN_CSV = "left over (each one's reason is in the CSV sent to your DM)"


def preview(
    *, session: Session, team_id: str, programme_id: int, owner_id: str, now: datetime
) -> Preview:
    """Find the best pairs among everyone free, and store them as a draft for the owner."""
    programme = programmes.lock(session=session, team_id=team_id, programme_id=programme_id)
    if programme is None:
        raise Refusal("That programme doesn't exist any more.")
    if programme.archived_at is not None:
        raise Refusal(ARCHIVED)
    rounds.cancel_previews(session=session, team_id=team_id, programme_id=programme.id)
    people = rounds.pool(session=session, team_id=team_id, programme_id=programme.id)
    if len(people) < 2:
        raise Refusal(
            "There aren't enough people free to match yet: at least two need to have joined "
            "and not be in a pair or waiting for an answer."
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
    drawn = draw(session=session, draft=draft, programme=programme, people=people, now=now)
    return Preview(
        round=draft,
        programme=programme,
        proposals=rounds.proposals_of(session=session, round_id=draft.id),
        unmatched=unmatched_words(drawn.result),
        chart_disagreements=drawn.chart_disagreements,
    )


def page(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    owner_id: str,
    configured_owners: Collection[str],
) -> Preview:
    """A stored preview again, to show another page of its pairs (the reasons people were left
    over are in the CSV the preview sent; here they are only counted)."""
    owners.require_owner(
        session=session,
        configured=configured_owners,
        team_id=team_id,
        user_id=owner_id,
        programme_id=rounds.programme_of_round(session=session, team_id=team_id, round_id=round_id),
    )
    draft = rounds.get_round(session=session, team_id=team_id, round_id=round_id)
    programme = (
        None
        if draft is None
        else programmes.get(session=session, team_id=team_id, programme_id=draft.programme_id)
    )
    if draft is None or programme is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal(OUT_OF_DATE)
    proposals = rounds.proposals_of(session=session, round_id=draft.id)
    matched = {u for p in proposals for u in (p.mentor_id, p.mentee_id)}
    pool = rounds.pool(session=session, team_id=team_id, programme_id=programme.id)
    unmatched = [(p.user_id, REASON_IN_CSV) for p in pool if p.user_id not in matched]
    version = len(rounds.controls_of(session=session, round_id=draft.id))
    return Preview(
        round=draft, programme=programme, proposals=proposals, unmatched=unmatched, version=version
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
    version: int = 0,
) -> Preview:
    """Send the round's proposals as the owner saw them (``version``: how many controls they
    had given) for consent; people left over are first in line next time; the pairs the owner
    asked never to propose are never proposed again.

    The programme is locked first (as a preview locks it), so two confirms of two previews
    run one after the other, and the second sees who the first proposed.
    """
    programme, draft = owned_draft(
        session=session,
        team_id=team_id,
        round_id=round_id,
        owner_id=owner_id,
        configured_owners=configured_owners,
    )
    if programme is not None and programme.archived_at is not None:
        raise Refusal(ARCHIVED)
    if programme is None or draft is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal(OUT_OF_DATE)
    if rounds.confirmed_since(session=session, programme_id=programme.id, since=draft.created_at):
        raise Refusal(ALREADY_CONFIRMED)
    controls = rounds.controls_of(session=session, round_id=draft.id)
    if version != len(controls):
        raise Refusal(CHANGED)
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
            engage(
                session=session,
                proposal=proposal,
                proposal_id=proposal.id,
                partners=programme.partners_per_person,
                taken=ALREADY_PROPOSED,
            )
            proposals.append(proposal)
            notifier.consent_request(
                session=session, proposal=proposal, programme=programme, now=now
            )
        else:
            proposal.status = ProposalStatus.CANCELLED
    for control in controls:
        if control.kind == ControlKind.NEVER:
            pair = (control.first_id, control.second_id)
            refs = participants.person_refs(
                session=session, team_id=team_id, user_ids=pair, now=now
            )
            rounds.remember_pair(session=session, team_id=team_id, refs=refs.values(), now=now)
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
        session=session,
        configured=configured_owners,
        team_id=team_id,
        user_id=owner_id,
        programme_id=rounds.programme_of_round(session=session, team_id=team_id, round_id=round_id),
    )
    draft = rounds.get_round(session=session, team_id=team_id, round_id=round_id)
    if draft is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal("This preview is already confirmed or cancelled.")
    draft.status = RoundStatus.CANCELLED
