"""Anonymous tallies of people leaving and pausing: programme, kind and week, nobody's id."""

import secrets
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.cadence import week_of
from bot.store.models import Tally


def add(*, session: Session, team_id: str, programme_id: int, kind: str, day: date) -> None:
    """Count one event of `kind` in the week of `day`."""
    week = week_of(day)
    session.add(
        Tally(
            id=secrets.token_hex(16),
            team_id=team_id,
            programme_id=programme_id,
            kind=kind,
            week=week,
        )
    )


def by_kind(*, session: Session, team_id: str, programme_id: int) -> dict[str, int]:
    """How many events of each kind the programme has seen."""
    query = (
        select(Tally.kind, func.count())
        .where(Tally.team_id == team_id, Tally.programme_id == programme_id)
        .group_by(Tally.kind)
    )
    return dict(session.execute(query).all())
