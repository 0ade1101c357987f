"""Loading an org chart through the fake Slack: the upload modal, the file, the report DM."""

from sqlalchemy import select

from bot.runtime import Runtime
from bot.store.models import OrgPerson
from tests.fakeslack import Call, FakeSlack, SlackDriver
from tests.support.admin import open_admin
from tests.support.bot import BotServer
from tests.support.constants import OWNER


def email_of(user_id: str) -> str:
    """The address the fake Slack gives a user added without one."""
    return f"{user_id.lower()}@example.com"


def open_from_admin(slack: SlackDriver, fake: FakeSlack, bot: BotServer) -> str:
    """The programme settings modal's *Load the org chart* button: the pushed modal's id."""
    view_id = open_admin(slack, fake)
    assert slack.click(OWNER, action_id="org_chart", view_id=view_id).status == 200
    bot.settle()
    return str(fake.wait_for("views.push")[-1].response["view"]["id"])


def upload_chart(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: BotServer,
    csv_text: str | bytes,
    user: str = OWNER,
    *,
    view_id: str | None = None,
) -> Call:
    """`/mentoring orgchart` (or the modal `view_id`), a CSV chosen in its file input, Load;
    the report DM."""
    fake.add_user(user, real_name="Owner")
    if view_id is None:
        before = len(fake.calls_to("views.open"))
        assert slack.command(user, "orgchart").status == 200
        view_id = fake.wait_for("views.open", count=before + 1)[-1].response["view"]["id"]
    data = csv_text.encode() if isinstance(csv_text, str) else csv_text
    file_id = fake.share_file(data, user_id=user)
    reports = len(_reports(fake))
    response = slack.submit_view(
        user,
        view_id=view_id,
        values={"org_csv": {"org_csv": {"type": "file_input", "files": [{"id": file_id}]}}},
    )
    assert response.json()["response_action"] == "update"
    bot.settle()
    return fake.wait_for("chat.postMessage", count=reports + 1, where=_is_report)[-1]


def _is_report(call: Call) -> bool:
    return "org chart" in str(call.args.get("text", ""))


def _reports(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.calls_to("chat.postMessage") if c.ok and _is_report(c)]


def chart(runtime: Runtime) -> dict[str, str | None]:
    """Each person in the chart and their manager."""
    with runtime.sessions() as session:
        return {p.user_id: p.manager_id for p in session.scalars(select(OrgPerson))}
