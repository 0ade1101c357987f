"""`/mentoring stats` and `/mentoring audit` (owners): figures now, chart and CSV after the ack."""

import logging
import re
from datetime import UTC, datetime
from random import Random
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.text import inert
from bot.flows import audit
from bot.flows import programmes as programme_flows
from bot.flows import stats as stats_flow
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.stats import blocks, charts, export
from bot.slack.ui import notice_modal

log = logging.getLogger(__name__)

FILES_NOT_SENT = (
    "The figures are above, but I couldn't send the chart and the CSV to your DM just now. "
    "Try `/mentoring stats` again in a moment."
)


IN_YOUR_DM = "The figures are in your DM with me (the *Messages* tab), with a chart and a CSV."
DM_CLOSED = "I couldn't reach your DM with me just now. Please try again in a moment."


def _slug(name: str) -> str:
    """A file-name-safe version of a programme's name."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "programme"


def send_files(
    client: WebClient, *, user_id: str, report: stats_flow.Report, now: datetime
) -> None:
    """Upload the chart and the CSV to the owner's DM (Slack's getUploadURL/complete flow)."""
    figures = report.figures
    stem = f"upward-{_slug(figures.name)}-{now.date().isoformat()}"
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        initial_comment=f"Stats for {inert(figures.name)}: the weekly chart and the "
        "figures as CSV.",
        file_uploads=[
            {
                "file": charts.weekly_chart(figures),
                "filename": f"{stem}.png",
                "title": f"{figures.name}: participation by period",
                "alt_txt": "Sign-ups, check-ins answered and meetings logged, week by week",
            },
            {
                "file": export.csv_bytes(report),
                "filename": f"{stem}.csv",
                "title": f"{figures.name}: figures (CSV)",
            },
        ],
    )
    log.info("stats files sent")


def stats(request: CommandRequest) -> None:
    """`/mentoring stats [programme]`: the figures in the ack, then the files to the DM."""
    now = datetime.now(UTC)
    with request.runtime.sessions.begin() as session:
        report = stats_flow.report(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            configured_owners=request.runtime.settings.programme_owners,
            name=" ".join(request.args),
            now=now,
            rng=Random(),
        )
    message = blocks.stats_message(report)
    reply(request.ack, message)

    def files() -> None:
        # After the answer: drawing and uploading take their time.
        try:
            send_files(request.client, user_id=request.user_id, report=report, now=now)
        except SlackApiError as exc:  # the figures are shown; only the files could not follow
            log.warning("stats files not sent: error=%s", exc.response.get("error"))
            raise Refusal(FILES_NOT_SENT) from exc

    request.later(files)


def show_audit(request: CommandRequest) -> None:
    """`/mentoring audit`: the latest entries of the audit trail."""
    with request.runtime.sessions.begin() as session:
        entries = audit.trail(
            session=session, team_id=request.team_id, user_id=request.user_id, now=datetime.now(UTC)
        )
        message = blocks.audit_message(entries)
    reply(request.ack, message)


def register(app: App, runtime: Runtime) -> None:
    """Attach the owner App Home's *Stats*."""

    @app.action(Action.HOME_STATS)
    @guarded
    def stats_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """The figures arrive in the owner's DM with the bot, then the chart and the CSV."""
        ack()
        team_id, user_id = ids(body)

        def report_to_dm() -> None:
            now = datetime.now(UTC)
            try:
                with runtime.sessions.begin() as session:
                    name = programme_flows.name_of(
                        session=session, team_id=team_id, programme_id=row_id(action.get("value"))
                    )
                    report = stats_flow.report(
                        session=session,
                        team_id=team_id,
                        user_id=user_id,
                        configured_owners=runtime.settings.programme_owners,
                        name=name,
                        now=now,
                        rng=Random(),
                    )
                message = blocks.stats_message(report)
                client.chat_postMessage(channel=user_id, text=message.text, blocks=message.blocks)
            except Refusal as refusal:  # the App Home has no place for a reply: a modal does
                open_view(client, body["trigger_id"], notice_modal(str(refusal)))
                return
            except SlackApiError as exc:
                log.warning("stats not sent: error=%s", exc.response.get("error"))
                open_view(client, body["trigger_id"], notice_modal(DM_CLOSED))
                return
            open_view(client, body["trigger_id"], notice_modal(IN_YOUR_DM))
            try:
                send_files(client, user_id=user_id, report=report, now=now)
            except SlackApiError as exc:  # the figures are shown; only the files could not follow
                log.warning("stats files not sent: error=%s", exc.response.get("error"))

        after_ack(runtime, body, None, report_to_dm)
