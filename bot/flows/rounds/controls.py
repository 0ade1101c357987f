"""Match controls: in a preview, the owner keeps a pair or never pairs two people, and the round
is matched again around every control given so far."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import matching
from bot.domain.states import ControlKind, RoundStatus
from bot.flows import audit
from bot.flows.errors import Refusal
from bot.flows.rounds.drafts import (
    OUT_OF_DATE,
    Preview,
    draw,
    owned_draft,
    stored_result,
    unmatched_words,
)
from bot.store import rounds

SAME_PERSON = "Choose two different people."
NOT_FREE = (
    "This person isn't free to match in this programme: not signed up to it, or already in "
    "a pair or waiting for an answer."
)
AUDITED = {
    ControlKind.KEEP: (audit.AuditAction.PAIR_KEPT, "kept a pair in a preview"),
    ControlKind.NEVER: (audit.AuditAction.PAIR_EXCLUDED, "asked never to pair two people"),
}


@dataclass(frozen=True)
class Steered:
    """The preview matched again: what it shows now, what changed, and the pins it could not
    keep (in Slack user ids)."""

    preview: Preview
    changes: matching.Changes
    refused: tuple[matching.RefusedPin, ...]


def steer(
    *,
    session: Session,
    team_id: str,
    round_id: int,
    owner_id: str,
    configured_owners: Collection[str],
    kind: ControlKind,
    first_id: str,
    second_id: str,
    now: datetime,
) -> Steered:
    """Keep ``first_id`` (who shares) with ``second_id`` (who learns), or never pair the two,
    in this previewed round; then match the round again with every control it has."""
    programme, draft = owned_draft(
        session=session,
        team_id=team_id,
        round_id=round_id,
        owner_id=owner_id,
        configured_owners=configured_owners,
    )
    if programme is None or draft is None or draft.status != RoundStatus.PREVIEW:
        raise Refusal(OUT_OF_DATE)
    if first_id == second_id:
        raise Refusal(SAME_PERSON, field="second")
    people = rounds.pool(session=session, team_id=team_id, programme_id=programme.id)
    free = {p.user_id for p in people}
    for field, user in (("first", first_id), ("second", second_id)):
        if user not in free:
            raise Refusal(NOT_FREE, field=field)
    before = stored_result(rounds.proposals_of(session=session, round_id=draft.id))
    if rounds.add_control(
        session=session,
        team_id=team_id,
        round_id=draft.id,
        kind=kind,
        first_id=first_id,
        second_id=second_id,
        now=now,
    ):
        action, words = AUDITED[kind]
        detail = f"{programme.name}: {words}"
        audit.record(
            session=session,
            team_id=team_id,
            user_id=owner_id,
            action=action,
            detail=detail,
            now=now,
        )
    rounds.drop_drafts(session=session, round_id=draft.id)
    controls = rounds.controls_of(session=session, round_id=draft.id)
    drawn = draw(
        session=session, draft=draft, programme=programme, people=people, controls=controls, now=now
    )
    after = drawn.result
    shown = Preview(
        round=draft,
        programme=programme,
        proposals=rounds.proposals_of(session=session, round_id=draft.id),
        unmatched=unmatched_words(after),
        version=len(controls),
        chart_disagreements=drawn.chart_disagreements,
    )
    return Steered(shown, matching.compare(before, after), after.refused)
