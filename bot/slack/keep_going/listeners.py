"""Keeping pairs going: *We met* on prompts and nudges, and the private check-in form."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.flows import checkins, meetings
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.core.view_state import ViewState
from bot.slack.keep_going import blocks
from bot.slack.ui import notice_modal, text_message


def met(request: CommandRequest) -> None:
    """`/mentoring met`: record that your pair met today."""
    with request.runtime.sessions.begin() as session:
        new = meetings.record_meeting(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            pair_id=None,
            now=datetime.now(UTC),
        )
    reply(request.ack, text_message(blocks.meeting_recorded(new=new)))


def register(app: App, runtime: Runtime) -> None:
    """Attach the listeners of the keep-going journey."""

    @app.action(Action.WE_MET)
    @guarded
    def we_met(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        team_id, user_id = ids(body)
        with runtime.sessions.begin() as session:
            new = meetings.record_meeting(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=row_id(action.get("value")),
                now=datetime.now(UTC),
            )
        text = blocks.meeting_recorded(new=new)
        after_ack(
            runtime,
            body,
            respond,
            lambda: respond(text=text, response_type="ephemeral", replace_original=False),
        )

    @app.action(Action.CHECKIN_OPEN)
    @guarded
    def open_checkin(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        with runtime.sessions() as session:
            request = checkins.open_checkin(
                session=session,
                team_id=team_id,
                user_id=user_id,
                request_id=row_id(action.get("value")),
            )
            view = blocks.checkin_modal(request)
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.CHECKIN)
    @guarded
    def checkin_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        met, given = blocks.checkin_answers(ViewState.of(view))
        with runtime.sessions.begin() as session:
            checkins.answer_checkin(
                session=session,
                team_id=team_id,
                user_id=user_id,
                request_id=row_id(view.get("private_metadata")),
                met=met,
                usefulness=given.usefulness,
                comment=given.comment,
                now=datetime.now(UTC),
            )
        ack(response_action="update", view=notice_modal(blocks.checkin_thanks(met)))
