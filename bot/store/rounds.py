"""Queries on matching rounds, proposals, pairs and the pairs that must not repeat."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.pairs import members
from bot.domain.states import ControlKind, PairStatus, ProposalStatus, RoundStatus
from bot.store.db import insert_for
from bot.store.models import (
    Engagement,
    Pair,
    Participant,
    PastPair,
    Proposal,
    Round,
    RoundControl,
)


def pool(*, session: Session, team_id: str, programme_id: int) -> Sequence[Participant]:
    """Participants of a programme who are neither in an active pair nor awaiting consent."""
    paired = (
        select(Pair.mentor_id)
        .where(Pair.team_id == team_id, Pair.status == PairStatus.ACTIVE)
        .union(
            select(Pair.mentee_id).where(Pair.team_id == team_id, Pair.status == PairStatus.ACTIVE),
            select(Proposal.mentor_id).where(
                Proposal.team_id == team_id, Proposal.status == ProposalStatus.PENDING
            ),
            select(Proposal.mentee_id).where(
                Proposal.team_id == team_id, Proposal.status == ProposalStatus.PENDING
            ),
        )
    )
    query = (
        select(Participant)
        .where(
            Participant.team_id == team_id,
            Participant.programme_id == programme_id,
            Participant.user_id.not_in(paired),
        )
        .order_by(Participant.id)
    )
    return session.scalars(query).all()


def past_pairs(*, session: Session, team_id: str) -> set[frozenset[str]]:
    """Every pair of pseudonyms that must not be proposed again."""
    rows = session.execute(
        select(PastPair.first_ref, PastPair.second_ref).where(PastPair.team_id == team_id)
    )
    return {frozenset(row) for row in rows}


def remember_pair(*, session: Session, team_id: str, refs: Iterable[str], now: datetime) -> None:
    """Record two pseudonyms as paired or declined (idempotent)."""
    first, second = sorted(refs)
    insert = insert_for(session)
    session.execute(
        insert(PastPair)
        .values(team_id=team_id, first_ref=first, second_ref=second, created_at=now)
        .on_conflict_do_nothing()
    )


def cancel_previews(*, session: Session, team_id: str, programme_id: int) -> None:
    """Drop earlier, unconfirmed previews of this programme."""
    session.execute(
        update(Round)
        .where(
            Round.team_id == team_id,
            Round.programme_id == programme_id,
            Round.status == RoundStatus.PREVIEW,
        )
        .values(status=RoundStatus.CANCELLED)
    )


def get_round(*, session: Session, team_id: str, round_id: int) -> Round | None:
    """One round of this workspace, locked until the transaction ends (two clicks queue up)."""
    found = session.get(Round, round_id, with_for_update=True, populate_existing=True)
    return found if found is not None and found.team_id == team_id else None


def programme_of_round(*, session: Session, team_id: str, round_id: int) -> int | None:
    """The programme a round belongs to, read without locking anything."""
    query = select(Round.programme_id).where(Round.team_id == team_id, Round.id == round_id)
    return session.scalar(query)


def confirmed_since(*, session: Session, programme_id: int, since: datetime) -> bool:
    """Whether a round of the programme was confirmed after `since`."""
    query = select(Round.id).where(
        Round.programme_id == programme_id,
        Round.status == RoundStatus.CONFIRMED,
        Round.confirmed_at >= since,
    )
    return session.scalar(query.limit(1)) is not None


def proposals_of(*, session: Session, round_id: int) -> Sequence[Proposal]:
    """A round's proposals, in score order."""
    query = select(Proposal).where(Proposal.round_id == round_id).order_by(Proposal.score.desc())
    return session.scalars(query).all()


def get_proposal(*, session: Session, team_id: str, proposal_id: int) -> Proposal | None:
    """One proposal of this workspace, locked until the transaction ends (answers queue up)."""
    found = session.get(Proposal, proposal_id, with_for_update=True)
    return found if found is not None and found.team_id == team_id else None


def expired_proposals(*, session: Session, now: datetime) -> Sequence[Proposal]:
    """Pending proposals whose consent window has closed."""
    query = select(Proposal).where(
        Proposal.status == ProposalStatus.PENDING, Proposal.expires_at <= now
    )
    return session.scalars(query).all()


def proposals_closing(*, session: Session, now: datetime, within: timedelta) -> Sequence[Proposal]:
    """Pending proposals whose consent window closes in the next `within`."""
    query = select(Proposal).where(
        Proposal.status == ProposalStatus.PENDING,
        Proposal.expires_at > now,
        Proposal.expires_at <= now + within,
    )
    return session.scalars(query.order_by(Proposal.id)).all()


def member_pair(
    *, session: Session, team_id: str, user_id: str, pair_id: int | None
) -> Pair | None:
    """The active pair this person is in: the one named (if theirs), or their current one."""
    if pair_id is None:
        return active_pair_of(session=session, team_id=team_id, user_id=user_id)
    pair = get_pair(session=session, team_id=team_id, pair_id=pair_id)
    if pair is None or pair.status != PairStatus.ACTIVE or user_id not in members(pair):
        return None
    return pair


def active_pair_of(*, session: Session, team_id: str, user_id: str) -> Pair | None:
    """The person's current pair, if any."""
    query = select(Pair).where(
        Pair.team_id == team_id,
        Pair.status == PairStatus.ACTIVE,
        or_(Pair.mentor_id == user_id, Pair.mentee_id == user_id),
    )
    return session.scalar(query)


def get_pair(*, session: Session, team_id: str, pair_id: int) -> Pair | None:
    """One pair of this workspace."""
    found = session.get(Pair, pair_id)
    return found if found is not None and found.team_id == team_id else None


def pairs_without_channel(*, session: Session) -> Sequence[Pair]:
    """Active pairs whose group DM has not been opened yet."""
    query = select(Pair).where(Pair.status == PairStatus.ACTIVE, Pair.channel_id.is_(None))
    return session.scalars(query).all()


def pending_proposal_of(*, session: Session, team_id: str, user_id: str) -> Proposal | None:
    """The proposal waiting for this person's answer, if any."""
    query = select(Proposal).where(
        Proposal.team_id == team_id,
        Proposal.status == ProposalStatus.PENDING,
        or_(Proposal.mentor_id == user_id, Proposal.mentee_id == user_id),
    )
    return session.scalar(query)


def engage(
    *,
    session: Session,
    team_id: str,
    programme_id: int,
    places: Mapping[str, int],
    proposal_id: int | None,
    pair_id: int | None,
) -> None:
    """Record a proposal or pair as a live commitment of these people in the programme, each in
    their lowest free place below ``places[user]`` (how many partners they may have at once).

    Flushed at once, inside a savepoint: a person with no free place raises IntegrityError
    here (the unique key on the place), and the caller's transaction can still be rolled back
    cleanly.
    """
    taken = session.execute(
        select(Engagement.user_id, Engagement.place).where(
            Engagement.team_id == team_id,
            Engagement.programme_id == programme_id,
            Engagement.user_id.in_(list(places)),
        )
    ).all()
    used: dict[str, set[int]] = {user: set() for user in places}
    for user, place in taken:
        used[user].add(place)

    def free(user: str) -> int:
        # A full person gets their last place again, which the unique key refuses.
        lowest = next(p for p in range(len(used[user]) + 1) if p not in used[user])
        return min(lowest, max(places[user], 1) - 1)

    with session.begin_nested():
        session.add_all(
            Engagement(
                team_id=team_id,
                programme_id=programme_id,
                user_id=user_id,
                place=free(user_id),
                proposal_id=proposal_id,
                pair_id=pair_id,
            )
            for user_id in places
        )


def release_proposal(*, session: Session, proposal_id: int) -> None:
    """The proposal is no longer pending: its two people are free for another."""
    session.execute(delete(Engagement).where(Engagement.proposal_id == proposal_id))


def release_pair(*, session: Session, pair_id: int) -> None:
    """The pair has ended: its two people are free for another."""
    session.execute(delete(Engagement).where(Engagement.pair_id == pair_id))


def controls_of(*, session: Session, round_id: int) -> Sequence[RoundControl]:
    """The owner's controls over a previewed round, in the order they were given."""
    query = select(RoundControl).where(RoundControl.round_id == round_id)
    return session.scalars(query.order_by(RoundControl.id)).all()


def add_control(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    kind: ControlKind,
    first_id: str,
    second_id: str,
    now: datetime,
) -> bool:
    """Keep a pair or never pair two people in this round; False if it was already asked."""
    if kind == ControlKind.NEVER:
        first_id, second_id = sorted((first_id, second_id))
    insert = insert_for(session)
    added = session.execute(
        insert(RoundControl)
        .values(
            team_id=team_id,
            round_id=round_id,
            kind=kind,
            first_id=first_id,
            second_id=second_id,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(RoundControl.id)
    ).scalar()
    return added is not None


def drop_drafts(*, session: Session, round_id: int) -> None:
    """Delete a previewed round's draft proposals (a re-run stores new ones)."""
    session.execute(
        delete(Proposal).where(
            Proposal.round_id == round_id, Proposal.status == ProposalStatus.DRAFT
        )
    )


def open_proposals_of(*, session: Session, programme_id: int) -> Sequence[Proposal]:
    """A programme's proposals not yet decided: drafts of a preview, and those awaiting answers."""
    query = select(Proposal).where(
        Proposal.programme_id == programme_id,
        Proposal.status.in_([ProposalStatus.DRAFT, ProposalStatus.PENDING]),
    )
    return session.scalars(query.order_by(Proposal.id)).all()


def active_pairs_of(*, session: Session, programme_id: int) -> Sequence[Pair]:
    """A programme's pairs still meeting."""
    query = select(Pair).where(Pair.programme_id == programme_id, Pair.status == PairStatus.ACTIVE)
    return session.scalars(query.order_by(Pair.id)).all()
