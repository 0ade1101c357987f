"""Owners per programme: added in one programme's settings, they own that programme only."""

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Owner, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import OWNER
from tests.support.participants import new_programme

CAROL = "U0CAROL"
NOT_YOURS = "You aren't an owner of that programme"


def test_an_owner_added_in_one_programme_owns_only_that_one(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(CAROL, real_name="Carol")
    new_programme(slack, "Spring pilot")
    new_programme(slack, "Autumn")
    slack.submit_view(
        OWNER, view_id=open_admin(slack, fake_slack, "admin Spring pilot"), values=settings_values()
    )
    with runtime.sessions() as session:
        spring = session.scalars(select(Programme).where(Programme.name == "Spring pilot")).one()
        owner = session.scalars(select(Owner)).one()
        assert (owner.user_id, owner.programme_id) == (CAROL, spring.id)

    # Carol runs Spring (the refusal is about the pool, not about her) but not Autumn.
    assert "There aren't enough people" in slack.command(CAROL, "match Spring pilot").json()["text"]
    assert NOT_YOURS in slack.command(CAROL, "match Autumn").json()["text"]
    assert NOT_YOURS in slack.command(CAROL, "admin Autumn").json()["text"]
    assert NOT_YOURS in slack.command(CAROL, "stats Autumn").json()["text"]
    assert "Stats: Spring" in str(slack.command(CAROL, "stats Spring pilot").json())

    # The owner named at install owns both; Autumn's settings show no owners of Spring.
    view_id = open_admin(slack, fake_slack, "admin Autumn")
    owners = next(b for b in fake_slack.view(view_id)["blocks"] if b.get("block_id") == "owners")
    assert not owners["element"].get("initial_users")
    assert NOT_YOURS not in str(slack.command(OWNER, "match Autumn").json())

    # Carol cannot save Autumn's settings even through a forged submission of its modal.
    forged = slack.submit_view(
        CAROL,
        view_id=view_id,
        values=settings_values(
            name={"type": "plain_text_input", "value": "Autumn"},
            owners={"type": "multi_users_select", "selected_users": [CAROL]},
        ),
    )
    assert NOT_YOURS in str(forged.json())
    with runtime.sessions() as session:
        assert session.scalars(select(Owner.programme_id)).all() == [spring.id]


def test_removing_an_owner_from_one_programme_leaves_the_other(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(CAROL, real_name="Carol")
    new_programme(slack, "Spring pilot")
    new_programme(slack, "Autumn")
    for name in ("Spring pilot", "Autumn"):
        slack.submit_view(
            OWNER,
            view_id=open_admin(slack, fake_slack, f"admin {name}"),
            values=settings_values(name={"type": "plain_text_input", "value": name}),
        )
    slack.submit_view(
        OWNER,
        view_id=open_admin(slack, fake_slack, "admin Autumn"),
        values=settings_values(
            name={"type": "plain_text_input", "value": "Autumn"},
            owners={"type": "multi_users_select", "selected_users": []},
        ),
    )
    with runtime.sessions() as session:
        assert len(session.scalars(select(Owner)).all()) == 1
    assert NOT_YOURS in slack.command(CAROL, "match Autumn").json()["text"]
    assert "There aren't enough people" in slack.command(CAROL, "match Spring pilot").json()["text"]
