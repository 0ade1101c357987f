"""Request signatures already accepted: a request replayed byte for byte is seen twice."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.db import insert_for
from bot.store.models import SeenSignature


def first_sighting(*, session: Session, signature: str, now: datetime) -> bool:
    """Record the signature; False when it was recorded before (the same request again)."""
    # Atomic: two processes given the same replay at once cannot both see it as new.
    statement = (
        insert_for(session)(SeenSignature)
        .values(signature=signature, seen_at=now)
        .on_conflict_do_nothing()
        .returning(SeenSignature.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def forget_before(*, session: Session, before: datetime) -> int:
    """Drop signatures accepted before `before`; how many went."""
    result = session.execute(delete(SeenSignature).where(SeenSignature.seen_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
