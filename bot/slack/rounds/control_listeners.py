"""Match controls in the owner's preview: a pair's menu (keep / never), the modal for any two
people, and the preview matched again in place."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.flows import rounds
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.core.view_state import ViewState
from bot.slack.rounds.controls import changed_lines, menu_choice, read_steer, steer_modal
from bot.slack.rounds.preview import match_preview, preview_csv
from bot.slack.rounds.sending import CSV_NOT_SENT, send_csv

log = logging.getLogger(__name__)


def _show(
    runtime: Runtime, body: dict[str, Any], respond: Respond, client: WebClient, owner: str
) -> Callable[[rounds.Steered], None]:
    """After the ack: the re-run preview in place of the old one, and its CSV to the DM."""

    def show(steered: rounds.Steered) -> None:
        message = match_preview(steered.preview, changed=changed_lines(steered))
        data = preview_csv(steered.preview)

        def work() -> None:
            respond(replace_original=True, text=message.text, blocks=message.blocks)
            try:
                send_csv(client, user_id=owner, preview=steered.preview, data=data)
            except SlackApiError as exc:
                log.warning("preview csv not sent: error=%s", exc.response.get("error"))
                raise Refusal(CSV_NOT_SENT) from exc

        after_ack(runtime, body, respond, work)

    return show


def register(app: App, runtime: Runtime) -> None:
    """Attach the match-control listeners."""

    @app.action(Action.ROUND_PAIR_MENU)
    @guarded
    def pair_menu(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        choice = menu_choice(action)
        with runtime.sessions.begin() as session:
            steered = rounds.steer(
                session=session,
                team_id=team_id,
                round_id=choice.round_id,
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
                kind=choice.kind,
                first_id=choice.mentor_id,
                second_id=choice.mentee_id,
                now=datetime.now(UTC),
            )
        _show(runtime, body, respond, client, user_id)(steered)

    @app.action(Action.ROUND_STEER)
    @guarded
    def steer_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        with runtime.sessions() as session:
            shown = rounds.page(
                session=session,
                team_id=team_id,
                round_id=row_id(action.get("value")),
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
            )
            view = steer_modal(
                shown.round.id,
                response_url=str(body.get("response_url") or ""),
                share_word=shown.programme.share_word,
                learn_word=shown.programme.learn_word,
            )
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.ROUND_STEER)
    @guarded
    def steer_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        form = read_steer(ViewState.of(view))
        with runtime.sessions.begin() as session:
            steered = rounds.steer(
                session=session,
                team_id=team_id,
                round_id=form.round_id,
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
                kind=form.kind,
                first_id=form.first_id,
                second_id=form.second_id,
                now=datetime.now(UTC),
            )
        ack()
        # The preview is an ephemeral reply: only its response_url can replace it.
        _show(runtime, body, Respond(response_url=form.response_url), client, user_id)(steered)
