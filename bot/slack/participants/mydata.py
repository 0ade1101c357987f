"""My data: `/mentoring mydata` and the App Home button send the person what Upward holds."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.flows import mydata
from bot.runtime import Runtime
from bot.slack.core import log_names
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action
from bot.slack.core.payload import ids
from bot.slack.ui import text_message

log = logging.getLogger(__name__)

SENDING = "I'm sending you everything Upward holds about you, in our DM: a JSON file and a summary."


def summary(export: dict[str, Any]) -> str:
    """The export in plain sentences, for a person rather than a program."""
    lines = [f"What Upward holds about you (exported {export['exported_at']})", ""]
    profile = export["profile"]
    if profile is None:
        lines.append("Profile: none (you are not signed up to a programme).")
    else:
        programme = export["programme"] or {}
        lines.append(f"Programme: {programme.get('name', '?')}")
        lines.append("Your survey answers:")
        lines += [f"  {key.replace('_', ' ')}: {_text(value)}" for key, value in profile.items()]
    lines.append("")
    lines.append(f"Pairs: {len(export['pairs'])}")
    for pair in export["pairs"]:
        goals = "; ".join(pair["goals"]) or "none set"
        lines.append(
            f"  with <@{pair['partner']}> as {pair['your_role']}, {pair['status']}, "
            f"from {pair['started_at']}; goals: {goals}; met on {len(pair['met_on'])} day(s)"
        )
    lines.append(f"Proposals: {len(export['proposals'])}")
    for proposal in export["proposals"]:
        lines.append(
            f"  <@{proposal['proposed_partner']}>: {proposal['status']}, "
            f"your answer: {proposal['your_answer'] or 'none'}"
        )
    answered = sum(1 for c in export["checkin_requests"] if c["answered"])
    lines.append(
        f"Check-ins asked: {len(export['checkin_requests'])}, answered: {answered} "
        "(what you answered is anonymous and cannot be tied to you, so it is not here)"
    )
    lines.append(f"Messages waiting to be sent to you: {len(export['pending_messages'])}")
    lines += [f"  {m['due']}: {m['text']}" for m in export["pending_messages"]]
    lines.append(
        f"Your actions in the audit trail: {len(export['your_actions_in_the_audit_trail'])}"
    )
    lines.append(f"Programme owner: {'yes' if export['programme_owner'] else 'no'}")
    chart = export.get("org_chart")
    if chart:
        lines.append("Your line in the org chart:")
        lines += [f"  {key.replace('_', ' ')}: {_text(value)}" for key, value in chart.items()]
    return "\n".join(lines) + "\n"


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return "none" if value in (None, "") else str(value)


def send_my_data(runtime: Runtime, client: WebClient, *, team_id: str, user_id: str) -> None:
    """Gather the person's data and upload it, as JSON and as a summary, to their DM."""
    now = datetime.now(UTC)
    with runtime.sessions() as session:
        export = mydata.gather(session=session, team_id=team_id, user_id=user_id).as_dict(now=now)
    stem = f"upward-my-data-{now.date().isoformat()}"
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
    except SlackApiError as exc:
        who = log_names.pseudonym(runtime, team_id, user_id)
        log.warning("my data not sent: user=%s error=%s", who, exc.response.get("error"))
        return
    client.files_upload_v2(
        channel=channel,
        initial_comment="Here is everything Upward holds about you.",
        file_uploads=[
            {
                "content": json.dumps(export, indent=2, ensure_ascii=False, default=str),
                "filename": f"{stem}.json",
                "title": "My data (JSON)",
            },
            {"content": summary(export), "filename": f"{stem}.txt", "title": "My data (summary)"},
        ],
    )
    log.info("my data sent: user=%s", log_names.pseudonym(runtime, team_id, user_id))


def my_data(request: CommandRequest) -> None:
    """`/mentoring mydata`: acknowledge, then send the files."""
    reply(request.ack, text_message(SENDING))
    send_my_data(request.runtime, request.client, team_id=request.team_id, user_id=request.user_id)


def register(app: App, runtime: Runtime) -> None:
    """Attach the App Home's My data button."""

    @app.action(Action.MY_DATA)
    @guarded
    def my_data_button(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        team_id, user_id = ids(body)
        if body.get("response_url"):  # a click in a message is answered there
            respond(text=SENDING, response_type="ephemeral", replace_original=False)
        send_my_data(runtime, client, team_id=team_id, user_id=user_id)
