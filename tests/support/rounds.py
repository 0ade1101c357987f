"""A matching round through the fake Slack: a dozen people, a preview, consent answers."""

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import Proposal
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.constants import OWNER
from tests.support.inputs import many, selected, typed
from tests.support.participants import join, new_programme

JUNIORS = [f"U0JUN{n}" for n in range(6)]
SENIORS = [f"U0SEN{n}" for n in range(6)]


def join_dozen(slack: SlackDriver, fake: FakeSlack) -> None:
    """A programme, six juniors who share and six seniors who learn."""
    fake.add_user(OWNER, real_name="Owner")  # the preview's CSV goes to the owner's DM
    new_programme(slack)
    for n, user in enumerate(JUNIORS + SENIORS):
        fake.add_user(user, real_name=user.title())
        junior = user in JUNIORS
        join(
            slack,
            fake,
            user,
            side=selected("share" if junior else "learn", "radio_buttons"),
            stage=selected("0" if junior else "4"),
            department=typed(f"Dept {n % 3}"),
            manager={"type": "users_select", "selected_user": None},
            shares=many("digital_tools", "current_trends") if junior else many(),
            learns=many("leadership") if junior else many("digital_tools"),
        )


def sign_up_dozen(slack: SlackDriver, fake: FakeSlack) -> None:
    join_dozen(slack, fake)
    fake.wait_for("chat.postMessage", count=12)  # the welcomes
    fake.reset()


def preview(slack: SlackDriver) -> dict[str, Any]:
    body = slack.command(OWNER, "match").json()
    assert body["response_type"] == "ephemeral", body
    return dict(body)


def consent_dms(fake: FakeSlack, count: int) -> dict[str, Call]:
    calls = fake.wait_for(
        "chat.postMessage", count=count, where=lambda c: "will you accept" in c.args["text"]
    )
    return {c.response["channel"]: c for c in calls}


def answer(slack: SlackDriver, user: str, dm: Call, accept: bool) -> str:
    """Click Accept or Decline in a consent DM; the text that replaces it."""
    action = "consent_accept" if accept else "consent_decline"
    seen = len(slack.fake.responses)
    slack.click(
        user, action_id=action, channel_id=dm.response["channel"], message_ts=dm.response["ts"]
    )
    return str(slack.fake.wait_for_response(count=seen + 1)[seen]["text"])


def proposals(runtime: Runtime) -> list[Proposal]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Proposal).order_by(Proposal.id)))
