"""Owners create and edit programmes, and choose co-owners, in a modal."""

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Owner, Programme
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.admin import open_admin, settings_values
from tests.support.constants import OWNER
from tests.support.inputs import many, selected, typed


def test_an_owner_creates_then_edits_a_programme(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("U0CAROL", real_name="Carol")
    response = slack.submit_view(
        OWNER, view_id=open_admin(slack, fake_slack), values=settings_values()
    )
    assert response.json()["response_action"] == "update"
    assert "Saved" in str(response.json()["view"]["blocks"])
    with runtime.sessions() as session:
        programme = session.scalar(select(Programme))
        assert programme is not None
        assert (programme.share_word, programme.learn_word, programme.cadence_weeks) == (
            "guide",
            "explorer",
            3,
        )
        assert (
            programme.pilot and programme.signup_open and programme.cross_department == "required"
        )
        assert (programme.quality_floor, programme.partners_per_person) == ("good", 2)
        assert (programme.session_minutes, programme.first_mover) == (45, "learn")
        assert programme.min_overlap_minutes == 90
        assert session.scalars(select(Owner.user_id)).all() == ["U0CAROL"]

    # Carol is now an owner; editing prefills and can remove her again.
    assert "For programme owners" in str(slack.command("U0CAROL", "help").json()["blocks"])
    view_id = open_admin(slack, fake_slack, "admin Spring pilot")
    opened = fake_slack.view(view_id)
    name_block = next(b for b in opened["blocks"] if b.get("block_id") == "name")
    assert name_block["element"]["initial_value"] == "Spring pilot"
    length = next(b for b in opened["blocks"] if b.get("block_id") == "session_minutes")
    assert length["element"]["initial_option"]["value"] == "45"
    slack.submit_view(
        OWNER,
        view_id=view_id,
        values=settings_values(
            owners={"type": "multi_users_select", "selected_users": []},
            flags=many(kind="checkboxes"),
            session_minutes=selected("60", "radio_buttons"),
            first_mover=selected("share", "radio_buttons"),
        ),
    )
    with runtime.sessions() as session:
        programme = session.scalar(select(Programme))
        assert programme is not None and not programme.signup_open
        assert (programme.session_minutes, programme.first_mover) == (60, "share")
        assert session.scalars(select(Owner.user_id)).all() == []
    assert "Only programme owners" in slack.command("U0CAROL", "admin").json()["text"]


def test_bad_settings_come_back_inline(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    response = slack.submit_view(
        OWNER,
        view_id=open_admin(slack, fake_slack),
        values=settings_values(
            learn_word=typed("Guide"),
            cadence_weeks={"type": "number_input", "value": "8"},
            round_weeks={"type": "number_input", "value": "4"},
        ),
    )
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"learn_word", "round_weeks"}
    with runtime.sessions() as session:
        assert session.scalar(select(Programme)) is None


def test_admin_is_for_owners_only(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    assert "Only programme owners" in slack.command("U0ALICE", "admin").json()["text"]
    assert "can't find" in slack.command(OWNER, "admin Nope").json()["text"]
    assert fake_slack.calls_to("views.open") == []


def test_an_owner_links_a_programme_to_the_pilot_it_follows(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user("U0CAROL", real_name="Carol")
    slack.submit_view(OWNER, view_id=open_admin(slack, fake_slack), values=settings_values())
    with runtime.sessions() as session:
        pilot = session.scalar(select(Programme))
        assert pilot is not None and pilot.pilot
    # A new programme's settings offer the pilots it may follow.
    view_id = open_admin(slack, fake_slack)
    follows = next(b for b in fake_slack.view(view_id)["blocks"] if b.get("block_id") == "follows")
    assert [o["value"] for o in follows["element"]["options"]] == [str(pilot.id)]
    wide = settings_values(
        name=typed("Autumn programme"),
        flags=many("signup_open", kind="checkboxes"),
        follows={"type": "static_select", "selected_option": {"value": str(pilot.id)}},
    )
    assert slack.submit_view(OWNER, view_id=view_id, values=wide).json()["response_action"]
    with runtime.sessions() as session:
        later = session.scalar(select(Programme).where(Programme.name == "Autumn programme"))
        assert later is not None and later.follows_id == pilot.id
    # Stats of the later programme compare it with its own pilot.
    text = str(slack.command(OWNER, "stats Autumn programme").json())
    assert "Spring pilot" in text and "Autumn programme" in text
