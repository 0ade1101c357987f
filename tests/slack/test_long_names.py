"""Texts at the largest sizes the settings allow stay inside Slack's limits."""

from sqlalchemy import select

from bot.domain.programme import MAX_NAME
from bot.runtime import Runtime
from bot.store.models import Participant, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import ALICE
from tests.support.inputs import selected
from tests.support.participants import join, new_programme, open_survey

LONG = ("Reverse mentoring for the digital transformation of the whole group " * 2)[:MAX_NAME]


def test_someone_can_join_while_a_programme_name_is_80_characters(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    assert len(LONG) == 80
    new_programme(slack, LONG)
    new_programme(slack, "Autumn cohort")
    fake_slack.add_user(ALICE, real_name="Alice")
    view = open_survey(slack, fake_slack).args["view"]  # the fake refuses a broken view
    labels = [o["text"]["text"] for o in view["blocks"][0]["element"]["options"]]
    assert all(len(label) <= 75 for label in labels)
    assert labels[0] == LONG[:74] + "…"
    with runtime.sessions() as session:
        long_id = session.scalars(select(Programme.id).where(Programme.name == LONG)).one()
    join(slack, fake_slack, ALICE, programme=selected(str(long_id)))
    with runtime.sessions() as session:
        person = session.scalars(select(Participant)).one()
        assert person.programme_id == long_id
