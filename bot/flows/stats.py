"""Owners read a programme's figures: counted by the store, withheld by the domain, audited."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random

from sqlalchemy.orm import Session

from bot.domain import stats, stats_text
from bot.domain.prompt_files import default_library
from bot.flows import audit, owners
from bot.flows import programmes as programme_flows
from bot.store import programmes
from bot.store import stats as stats_store
from bot.store.models import Programme


@dataclass(frozen=True)
class Report:
    """What an owner gets back from `/mentoring stats`."""

    figures: stats.Figures
    comparison: stats_text.Comparison | None
    others: Sequence[str]  # names of the workspace's other programmes
    topic_labels: dict[str, str]


def figures_of(*, session: Session, programme: Programme, rng: Random) -> stats.Figures:
    """One programme's figures: released blocks and shown snapshots only."""
    counts = stats_store.counts(session=session, programme=programme)
    return stats.figures(counts, rng=rng)


def pilot_and_later(
    programme: Programme, every: Sequence[Programme]
) -> tuple[Programme, Programme] | None:
    """The pilot and the programme that follows it, as an owner linked them, when `programme`
    is one of the two (a later programme is compared with its own pilot, never the newest)."""
    if programme.follows_id is not None:
        pilot = next((p for p in every if p.id == programme.follows_id), None)
        return None if pilot is None else (pilot, programme)
    later = [p for p in every if p.follows_id == programme.id]
    return (programme, later[-1]) if programme.pilot and later else None


def report(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    configured_owners: Collection[str],
    name: str,
    now: datetime,
    rng: Random,
) -> Report:
    """The figures of one programme its owner asks for (and the pilot comparison), recorded in
    the audit trail."""
    # An archived programme's figures stay available by name until retention deletes them.
    programme = programme_flows.choose(
        session=session, team_id=team_id, name=name, command="stats", archived_ok=True
    )
    owners.require_owner(
        session=session,
        configured=configured_owners,
        team_id=team_id,
        user_id=user_id,
        programme_id=programme.id,
    )
    figures = figures_of(session=session, programme=programme, rng=rng)
    every = programmes.all_of(session=session, team_id=team_id)
    pair = pilot_and_later(programme, every)
    comparison = None
    if pair is not None:
        pilot, later = (
            figures if p.id == programme.id else figures_of(session=session, programme=p, rng=rng)
            for p in pair
        )
        comparison = stats_text.compare(pilot, later)
    audit.record(
        session=session,
        team_id=team_id,
        user_id=user_id,
        action=audit.AuditAction.STATS,
        detail=programme.name,
        now=now,
    )
    library = default_library()
    return Report(
        figures=figures,
        comparison=comparison,
        others=[p.name for p in every if p.id != programme.id and p.archived_at is None],
        topic_labels={t.id: t.label for t in library.topics},
    )
