"""Archiving a programme from the owner App Home: gone from every menu, what was under way ended
kindly, recorded, and its personal data deleted RETENTION_MONTHS later."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import jobs
from bot.domain.profile import GONE
from bot.runtime import Runtime
from bot.store.models import AuditEntry, Engagement, Pair, Participant, Programme, Proposal
from tests.fakeslack import FakeSlack, SlackDriver
from tests.support.constants import ALICE, OWNER
from tests.support.factories import a_pair, a_programme, a_proposal, joined
from tests.support.participants import join, new_programme, open_survey

CAROL = "U0CAROL"
PEOPLE = ("U0MENTOR", "U0MENTEE", "U0PROPA", "U0PROPB")
CLOSED = "has now closed"


def home_of(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    """Open the App Home and wait for the view it publishes."""
    before = len(fake.calls_to("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    fake.wait_for("views.publish", count=before + 1)
    return fake.published_home[user]


def archive_button(home: dict[str, Any], name: str) -> dict[str, Any]:
    """The Archive button in the row of the programme with this name."""
    blocks = home["blocks"]
    for at, block in enumerate(blocks):
        if block["type"] == "section" and f"*{name}*" in block["text"]["text"]:
            buttons = blocks[at + 1]["elements"]
            return next(b for b in buttons if b["action_id"] == "home_archive")
    raise AssertionError(f"no row for {name}")


def click_archive(slack: SlackDriver, fake: FakeSlack, user: str, name: str) -> str:
    """Click Archive in the App Home (as Slack does once the dialog is confirmed); the notice."""
    home = home_of(slack, fake, OWNER)
    button = archive_button(home, name)
    opened, published = len(fake.calls_to("views.open")), len(fake.calls_to("views.publish"))
    row = f"programme_{button['value']}"
    slack.click(
        user, action_id="home_archive", value=button["value"], block_id=row, view_id=home["id"]
    )
    view = fake.wait_for("views.open", count=opened + 1)[-1].args["view"]
    if "Archived" in str(view):
        fake.wait_for("views.publish", count=published + 1)  # the App Home without it
    return str(view["blocks"][0]["text"]["text"])


def seed_running(runtime: Runtime, fake: FakeSlack) -> None:
    """A programme with an active pair and a proposal waiting for answers."""
    for user in (OWNER, *PEOPLE):
        fake.add_user(user, real_name=user.title())
    with runtime.sessions.begin() as session:
        cohort = a_programme(session, "Test cohort")
        pair = a_pair(session, cohort, "U0MENTOR", "U0MENTEE", goals=["a private goal"])
        joined(session, cohort, "U0PROPA", "share")
        joined(session, cohort, "U0PROPB", "learn")
        proposal = a_proposal(session, cohort, "U0PROPA", "U0PROPB")
        for user, row in (("U0MENTOR", pair), ("U0MENTEE", pair)):
            session.add(
                Engagement(
                    team_id=pair.team_id, programme_id=cohort.id, user_id=user, pair_id=row.id
                )
            )
        for user in ("U0PROPA", "U0PROPB"):
            session.add(
                Engagement(
                    team_id=proposal.team_id,
                    programme_id=cohort.id,
                    user_id=user,
                    proposal_id=proposal.id,
                )
            )


def test_archiving_ends_the_pairs_kindly_expires_proposals_and_is_audited(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seed_running(runtime, fake_slack)
    home = home_of(slack, fake_slack, OWNER)
    confirm = archive_button(home, "Test cohort")["confirm"]
    # The dialog says what will happen before anything does.
    assert "Active pairs that end now: 1." in confirm["text"]["text"]
    assert "Proposals that expire: 1." in confirm["text"]["text"]
    assert "deleted 12 months from now" in confirm["text"]["text"]

    notice = click_archive(slack, fake_slack, OWNER, "Test cohort")
    assert "Archived *Test cohort*" in notice and "1 active pair ended" in notice

    with runtime.sessions() as session:
        programme = session.scalars(select(Programme)).one()
        assert programme.archived_at is not None and not programme.signup_open
        assert session.scalars(select(Pair.status)).all() == ["ended"]
        assert session.scalars(select(Proposal.status)).all() == ["expired"]
        assert session.scalars(select(Engagement)).all() == []
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "programme_archived" in actions
    # Each of the four hears it kindly, once; the pair's group DM hears that it ended.
    told = fake_slack.wait_for(
        "chat.postMessage", count=4, where=lambda c: CLOSED in str(c.args.get("blocks"))
    )
    assert sorted(c.args["channel"] for c in told) == sorted(PEOPLE)
    assert "says nothing about you" in str(told[0].args["blocks"])
    # The owner's App Home no longer shows it.
    assert "Test cohort" not in str(fake_slack.published_home[OWNER]["blocks"])


def test_an_archived_programme_leaves_every_menu_and_default(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(OWNER, real_name="Owner")
    fake_slack.add_user(ALICE, real_name="Alice")
    new_programme(slack, "Test cohort")
    new_programme(slack, "Spring")
    assert "Archived" in click_archive(slack, fake_slack, OWNER, "Test cohort")

    survey = open_survey(slack, fake_slack).args["view"]
    # Spring alone is open, so the survey asks no "which programme?".
    with runtime.sessions() as session:
        spring = session.scalars(select(Programme.id).where(Programme.name == "Spring")).one()
    assert "Test cohort" not in str(survey)
    assert survey["private_metadata"] == f'{{"programme": {spring}}}'
    # Defaults pick the one current programme; by name, the archived one is refused.
    assert "There aren't enough people" in slack.command(OWNER, "match").json()["text"]
    assert "archived" in slack.command(OWNER, "match Test cohort").json()["text"]
    assert "archived" in slack.command(OWNER, "admin Test cohort").json()["text"]
    assert (
        "archived" in slack.command(OWNER, "announce Test cohort <#C0GEN|general>").json()["text"]
    )
    assert "Stats: Spring" in str(slack.command(OWNER, "stats").json())
    # Its figures stay available by name until retention deletes its people.
    assert "Stats: Test cohort" in str(slack.command(OWNER, "stats Test cohort").json())
    listing = str(slack.command(OWNER, "programmes").json())
    assert "Spring" in listing and "Test cohort" not in listing
    with runtime.sessions() as session:
        cohort = select(Programme.signup_open).where(Programme.name == "Test cohort")
        assert not session.scalars(cohort).one()


def test_only_an_owner_of_the_programme_can_archive_it(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(CAROL, real_name="Carol")
    new_programme(slack, "Test cohort")
    home = home_of(slack, fake_slack, OWNER)
    button = archive_button(home, "Test cohort")
    opened = len(fake_slack.calls_to("views.open"))
    # A forged click: Carol owns nothing, and her App Home has no such button.
    slack.click(CAROL, action_id="home_archive", value=button["value"])
    notice = fake_slack.wait_for("views.open", count=opened + 1)[-1].args["view"]
    assert "Only programme owners" in str(notice)
    with runtime.sessions() as session:
        assert session.scalars(select(Programme.archived_at)).one() is None


def test_an_archived_programme_s_people_are_deleted_retention_months_after_archiving(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    seed_running(runtime, fake_slack)
    with runtime.sessions.begin() as session:
        session.scalars(select(Programme)).one().champions = ["U0SENIOR"]
    click_archive(slack, fake_slack, OWNER, "Test cohort")
    with runtime.sessions() as session:
        archived_at = session.scalars(select(Programme.archived_at)).one()
    assert archived_at is not None

    jobs.tick(runtime, now=archived_at + timedelta(days=360))
    with runtime.sessions() as session:
        assert len(session.scalars(select(Participant)).all()) == len(PEOPLE)

    jobs.tick(runtime, now=archived_at + timedelta(days=370))
    with runtime.sessions() as session:
        assert session.scalars(select(Participant)).all() == []
        pair = session.scalars(select(Pair)).one()
        assert (pair.mentor_id, pair.mentee_id, pair.goals) == (GONE, GONE, [])
        proposal = session.scalars(select(Proposal)).one()
        assert (proposal.mentor_id, proposal.mentee_id) == (GONE, GONE)
        programme = session.scalars(select(Programme)).one()
        assert programme.champions == [] and programme.name == "Test cohort"


def test_a_current_programme_is_not_touched_by_the_archive_clock(
    slack: SlackDriver, fake_slack: FakeSlack, runtime: Runtime
) -> None:
    fake_slack.add_user(ALICE, real_name="Alice")
    new_programme(slack, "Spring")
    join(slack, fake_slack, ALICE)
    jobs.tick(runtime, now=datetime.now(UTC) + timedelta(days=800))
    with runtime.sessions() as session:
        assert session.scalars(select(Participant.user_id)).all() == [ALICE]
