"""Large matching previews seeded straight through the store, for speed."""

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Participant, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import OWNER
from tests.support.participants import new_programme
from tests.support.stats import add_people


def seed_pool(
    slack: SlackDriver,
    fake: FakeSlack,
    runtime: Runtime,
    *,
    sharers: int,
    learners: int,
    paused: int = 0,
) -> Programme:
    """A programme with `sharers` juniors who share and `learners` seniors who learn; the
    last `paused` learners are away this round."""
    fake.add_user(OWNER, real_name="Owner")
    new_programme(slack)
    with runtime.sessions.begin() as session:
        programme = session.scalars(select(Programme)).one()
        add_people(session, programme, "share", 0, sharers, prefix="S")
        ids = add_people(session, programme, "learn", 4, learners, prefix="L")
        session.flush()
        for user in ids[len(ids) - paused :]:
            person = session.scalars(select(Participant).where(Participant.user_id == user)).one()
            person.paused = True
        session.expunge(programme)
        return programme
