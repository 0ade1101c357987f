"""A previewed round's draft pairs: the programme's pool matched with the owner's controls."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import matching
from bot.domain.states import ControlKind, ProposalStatus
from bot.flows import org_chart, owners
from bot.store import participants, programmes, rounds
from bot.store.models import Participant, Programme, Proposal, Round, RoundControl

OUT_OF_DATE = "This preview is out of date: run `/mentoring match` again."


@dataclass(frozen=True)
class Preview:
    """A matching round before the owner confirms it."""

    round: Round
    programme: Programme
    proposals: Sequence[Proposal]
    unmatched: Sequence[tuple[str, str]]  # (user id, reason in words)
    version: int = 0  # how many controls the owner gave: Confirm sends only this version
    # Survey answers about a manager that the org chart contradicts (a count, never who).
    chart_disagreements: int = 0


@dataclass(frozen=True)
class Drawn:
    """A round's drafts as matched, in Slack user ids, and what the org chart contradicted."""

    result: matching.MatchResult
    chart_disagreements: int


def owned_draft(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    owner_id: str,
    configured_owners: Collection[str],
) -> tuple[Programme | None, Round | None]:
    """A previewed round and its programme, for one of the programme's owners; the programme
    locked, as a preview locks it, so that what changes a preview runs one at a time."""
    programme_id = rounds.programme_of_round(session=session, team_id=team_id, round_id=round_id)
    owners.require_owner(
        session=session,
        configured=configured_owners,
        team_id=team_id,
        user_id=owner_id,
        programme_id=programme_id,
    )
    programme = (
        None
        if programme_id is None
        else programmes.lock(session=session, team_id=team_id, programme_id=programme_id)
    )
    return programme, rounds.get_round(session=session, team_id=team_id, round_id=round_id)


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
        meetings_per_month=participant.meetings_per_month,
        hours=participants.hours_of(participant),
    )


def draw(
    *,
    session: Session,
    draft: Round,
    programme: Programme,
    people: Sequence[Participant],
    controls: Iterable[RoundControl] = (),
    now: datetime,
) -> Drawn:
    """Match ``people`` under the programme's rules, the org chart and the round's controls,
    and store the pairs as the round's drafts."""
    team_id = draft.team_id
    refs = participants.person_refs(
        session=session, team_id=team_id, user_ids=[p.user_id for p in people], now=now
    )
    by_ref = {refs[p.user_id]: p for p in people}
    back = {ref: p.user_id for ref, p in by_ref.items()}

    def ref(user: str) -> str:
        # Someone no longer in the pool keeps their user id: the engine refuses their pin.
        return refs.get(user, user)

    keep, never = set(), set()
    for control in controls:
        if control.kind == ControlKind.KEEP:
            keep.add((ref(control.first_id), ref(control.second_id)))
        else:
            never.add(frozenset((ref(control.first_id), ref(control.second_id))))
    chart = org_chart.lines_for_matching(session=session, team_id=team_id, pool=people, now=now)
    result = matching.match(
        [_person(p, r) for r, p in by_ref.items()],
        kind=programme.kind,
        history=rounds.past_pairs(session=session, team_id=team_id),
        managers=chart.managers,
        cross_department=programme.cross_department,
        partners_per_person=programme.partners_per_person,
        quality_floor=programme.quality_floor,
        min_overlap_minutes=programme.min_overlap_minutes,
        keep=keep,
        never=never,
    )
    result = in_user_ids(result, back)
    for pair in result.pairs:
        session.add(
            Proposal(
                team_id=team_id,
                round_id=draft.id,
                programme_id=programme.id,
                mentor_id=pair.mentor,
                mentee_id=pair.mentee,
                score=pair.score,
                fit=pair.fit,
                kept=pair.kept,
                reasons=[matching.reason_to_dict(r) for r in pair.reasons],
                status=ProposalStatus.DRAFT,
                created_at=now,
            )
        )
    session.flush()
    return Drawn(result, chart.disagreements)


def in_user_ids(result: matching.MatchResult, back: Mapping[str, str]) -> matching.MatchResult:
    """The engine's result with pseudonyms turned back into Slack user ids."""

    def user(ref: str) -> str:
        return back.get(ref, ref)

    return replace(
        result,
        pairs=tuple(replace(p, mentor=user(p.mentor), mentee=user(p.mentee)) for p in result.pairs),
        unmatched=tuple(replace(u, user_id=user(u.user_id)) for u in result.unmatched),
        refused=tuple(
            replace(r, mentor=user(r.mentor), mentee=user(r.mentee)) for r in result.refused
        ),
    )


def stored_result(proposals: Iterable[Proposal]) -> matching.MatchResult:
    """A round's stored drafts as a result, to compare a re-run with."""
    pairs = tuple(
        matching.Match(p.mentor_id, p.mentee_id, p.score, (), kept=p.kept) for p in proposals
    )
    return matching.MatchResult(pairs=pairs, unmatched=())


def unmatched_words(result: matching.MatchResult) -> list[tuple[str, str]]:
    """Everyone the result left over, with the reason in words."""
    return [(u.user_id, matching.describe_unmatched(u)) for u in result.unmatched]
