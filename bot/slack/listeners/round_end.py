"""The closing survey: its button opens the form; the answer decides what the pair does next."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.flows import round_end
from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.slack import closing_blocks
from bot.slack.ids import Action, Callback
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.pair_exit import open_or_explain
from bot.slack.listeners.payload import ids, row_id
from bot.slack.notifier import SlackNotifier


def register(app: App, runtime: Runtime) -> None:
    """Attach the closing-survey listeners."""
    notifier = SlackNotifier()

    @app.action(Action.CLOSING_SURVEY)
    @guarded
    def survey_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)

        def build() -> View:
            with runtime.sessions() as session:
                survey = round_end.open_survey(
                    session=session,
                    team_id=team_id,
                    user_id=user_id,
                    pair_id=row_id(action.get("value")),
                    now=datetime.now(UTC),
                )
                return closing_blocks.closing_modal(survey)

        open_or_explain(client, body["trigger_id"], build)

    @app.view(Callback.CLOSING)
    @guarded
    def survey_answered(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        choice, usefulness, comment = closing_blocks.read_closing(
            view.get("state", {}).get("values", {})
        )
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            answered = round_end.answer(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=row_id(view.get("private_metadata")),
                choice=choice,
                usefulness=usefulness,
                comment=comment,
                now=now,
                notifier=notifier,
            )
        ack(response_action="update", view=closing_blocks.closing_notice(answered))
        deliver_due(runtime.sessions, runtime.client, now=now)
