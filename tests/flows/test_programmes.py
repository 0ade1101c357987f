"""Setting up programmes on a real session: defaults, and which pilot a programme follows."""

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from bot.domain.programme import defaults
from bot.flows import programmes
from bot.flows.errors import Refusal
from bot.store.models import Programme
from tests.support.constants import OWNER, TEAM_ID
from tests.support.factories import NOW, a_programme


def save(
    session: Session, name: str, *, follows_id: int | None, programme_id: int | None = None
) -> Programme:
    return programmes.save(
        session=session,
        team_id=TEAM_ID,
        user_id=OWNER,
        programme_id=programme_id,
        settings=replace(defaults(name), follows_id=follows_id),
        owners=[],
        configured=[OWNER],
        now=NOW,
    )


def test_a_programme_follows_a_pilot(session: Session) -> None:
    pilot = a_programme(session, "Pilot", pilot=True)
    later = save(session, "Wide", follows_id=pilot.id)
    assert later.follows_id == pilot.id


@pytest.mark.parametrize("which", ["not a pilot", "itself", "unknown"])
def test_only_another_pilot_can_be_followed(session: Session, which: str) -> None:
    plain = a_programme(session, "Plain")
    pilot = a_programme(session, "Pilot", pilot=True)
    target, own = {
        "not a pilot": (plain.id, None),
        "itself": (pilot.id, pilot.id),
        "unknown": (999_999, None),
    }[which]
    with pytest.raises(Refusal, match="follow"):
        save(session, "Pilot" if own else "Wide", follows_id=target, programme_id=own)
