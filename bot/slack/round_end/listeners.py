"""The closing survey: its button opens the form; the answer decides what the pair does next."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.flows import round_end
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import build_or_explain, open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.core.view_state import ViewState
from bot.slack.outbox.courier import send_now
from bot.slack.round_end import blocks


def register(app: App, runtime: Runtime) -> None:
    """Attach the closing-survey listeners."""

    @app.action(Action.CLOSING_SURVEY)
    @guarded
    def survey_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
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
                return blocks.closing_modal(survey)

        view = build_or_explain(build)
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.CLOSING)
    @guarded
    def survey_answered(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        choice, given = blocks.read_closing(ViewState.of(view))
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            answered = round_end.answer(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=row_id(view.get("private_metadata")),
                choice=choice,
                usefulness=given.usefulness,
                comment=given.comment,
                now=now,
                notifier=runtime.notifier,
            )
        ack(response_action="update", view=blocks.closing_notice(answered))
        send_now(runtime, now=now)
