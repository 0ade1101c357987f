"""Button clicks: in the App Home and on the leave confirmation."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.flows import participants
from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.slack import blocks
from bot.slack.ids import Action
from bot.slack.listeners.commands import open_survey
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.events import publish_home
from bot.slack.listeners.payload import ids
from bot.slack.notifier import SlackNotifier

NOTIFIER = SlackNotifier()


def register(app: App, runtime: Runtime) -> None:
    """Attach the button listeners."""

    @app.action(Action.JOIN)
    @app.action(Action.EDIT_PROFILE)
    @guarded
    def survey_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = ids(body)
        open_survey(
            runtime,
            client,
            team_id=team_id,
            user_id=user_id,
            trigger_id=body["trigger_id"],
            ack=ack,
        )

    @app.action(Action.PAUSE)
    @app.action(Action.RESUME)
    @guarded
    def pause_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        with runtime.sessions.begin() as session:
            participants.set_paused(
                session=session,
                team_id=team_id,
                user_id=user_id,
                paused=action["action_id"] == Action.PAUSE,
                now=datetime.now(UTC),
            )
        publish_home(runtime, client, team_id=team_id, user_id=user_id)

    @app.action(Action.LEAVE)
    @guarded
    def leave_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            participants.leave(
                session=session, team_id=team_id, user_id=user_id, now=now, notifier=NOTIFIER
            )
        publish_home(runtime, client, team_id=team_id, user_id=user_id)
        deliver_due(runtime.sessions, runtime.client, now=now)

    @app.action(Action.LEAVE_CONFIRM)
    @guarded
    def leave_confirmed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        if action.get("value") != "leave":
            respond(replace_original=True, text=blocks.STALE_BUTTON)
            return
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            left = participants.leave(
                session=session, team_id=team_id, user_id=user_id, now=now, notifier=NOTIFIER
            )
        respond(replace_original=True, text=blocks.LEFT if left else blocks.NOTHING_TO_DELETE)
        deliver_due(runtime.sessions, runtime.client, now=now)

    @app.action(Action.LEAVE_CANCEL)
    @guarded
    def leave_cancelled(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, text=blocks.STAYING)
