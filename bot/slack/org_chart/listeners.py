"""Loading the org chart from Slack: `/mentoring orgchart` opens the upload modal; its file is
read, checked and applied after the acknowledgement, and the report goes to the owner's DM."""

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from sqlalchemy.exc import IntegrityError

from bot.flows import org_chart
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.command import CommandRequest
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import SLACK_BUSY, build_or_explain, open_view
from bot.slack.core.payload import ids
from bot.slack.org_chart import blocks
from bot.slack.org_chart.loading import load, read_upload, send_report
from bot.slack.ui import notice_modal

log = logging.getLogger(__name__)

# Two loads at the same moment: the database's unique key refused the second, rolled back.
LOADED_TWICE = (
    "Another org chart file was being loaded at the same moment, so this one changed nothing. "
    "Load it again if it is the one you want."
)
IMPORT_STOPPED = (
    "Slack stopped answering while I was reading the org chart file, so the chart was not "
    "changed. Load it again in a moment."
)

READING = (
    "Reading the org chart file now. I'll send you a report in a DM: what was loaded, or "
    "which rows I couldn't understand (then nothing is changed)."
)


def orgchart(request: CommandRequest) -> None:
    """`/mentoring orgchart` (owners of every programme): the CSV upload modal."""
    with request.runtime.reads() as session:
        org_chart.require_chart_owner(
            session=session,
            configured=request.runtime.settings.programme_owners,
            team_id=request.team_id,
            user_id=request.user_id,
        )
    request.ack()
    view = blocks.chart_modal()
    request.later(lambda: open_view(request.client, request.trigger_id, view))


def _import(
    runtime: Runtime, client: WebClient, *, team_id: str, user_id: str, file_id: str
) -> None:
    """After the ack: read the file, apply it or not, and tell the owner what happened."""
    try:
        data = read_upload(client, file_id)
        report = load(runtime, client, team_id=team_id, data=data, loaded_by=user_id)
    except Refusal as refusal:
        text = str(refusal)
    except SlackApiError as error:  # reading or looking up: before anything was changed
        log.warning("org chart import stopped: error=%s", error.response.get("error"))
        text = IMPORT_STOPPED
    except IntegrityError:
        text = LOADED_TWICE
    else:
        send_report(client, user_id=user_id, report=report)
        return
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.chat_postMessage(channel=channel, text=text)


def _show(client: WebClient, body: dict[str, Any], view: View) -> None:
    """On top of the settings modal the click came from; anywhere else (a stale or forged
    click), as a modal of its own."""
    trigger_id = str(body.get("trigger_id") or "")
    source = body.get("view")
    if not (isinstance(source, dict) and source.get("type") == "modal"):
        open_view(client, trigger_id, view)
        return
    try:
        client.views_push(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        if exc.response.status_code == 429 or exc.response.get("error") in (
            "expired_trigger_id",
            "exchanged_trigger_id",
        ):
            raise Refusal(SLACK_BUSY) from exc
        raise


def register(app: App, runtime: Runtime) -> None:
    """Attach the upload modal's listeners: the admin modal's button, and the upload itself."""

    @app.action(Action.ORG_CHART)
    @guarded
    def chart_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """*Load the org chart* in the programme settings: the upload modal, on top."""
        team_id, user_id = ids(body)
        ack()

        def build() -> View:
            with runtime.reads() as session:
                org_chart.require_chart_owner(
                    session=session,
                    configured=runtime.settings.programme_owners,
                    team_id=team_id,
                    user_id=user_id,
                )
            return blocks.chart_modal()

        view = build_or_explain(build)
        after_ack(runtime, body, None, lambda: _show(client, body, view))

    @app.view(Callback.ORG_CHART)
    @guarded
    def chart_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        file_id = blocks.chosen_file(view)
        if file_id is None:
            ack(response_action="errors", errors={blocks.FILE_BLOCK: blocks.NOTHING_CHOSEN})
            return
        with runtime.reads() as session:
            org_chart.require_chart_owner(
                session=session,
                configured=runtime.settings.programme_owners,
                team_id=team_id,
                user_id=user_id,
            )
        ack(response_action="update", view=notice_modal(READING))
        after_ack(
            runtime,
            body,
            None,
            lambda: _import(runtime, client, team_id=team_id, user_id=user_id, file_id=file_id),
        )
