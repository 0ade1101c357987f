"""*This isn't working* and *Raise a concern*: from a pair's messages, the App Home or a command."""

import hashlib
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.domain.pairs import partner_of
from bot.flows import pair_exit
from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.after_ack import after_ack
from bot.slack.core.command import CommandRequest
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import build_or_explain, open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.core.view_state import ViewState
from bot.slack.home import publish_home
from bot.slack.outbox.courier import send_now
from bot.slack.pair_exit import blocks
from bot.slack.ui import CURRENT_PAIR


def pair_id_of(value: object) -> int | None:
    """The pair a button or modal names (None: the current one); anything else is stale."""
    return None if str(value or "") == CURRENT_PAIR else row_id(value)


def end_pair_form(runtime: Runtime, *, team_id: str, user_id: str, value: object) -> View:
    """The private question before ending the pair (or why it can't be ended)."""

    def build() -> View:
        with runtime.sessions() as session:
            pair = pair_exit.pair_to_end(
                session=session, team_id=team_id, user_id=user_id, pair_id=pair_id_of(value)
            )
            return blocks.end_pair_modal(pair_id=pair.id, partner=partner_of(pair, user_id))

    return build_or_explain(build)


def concern_form(runtime: Runtime, *, team_id: str, user_id: str) -> View:
    """The concern form, for people who joined (or why it can't be used)."""

    def build() -> View:
        with runtime.sessions() as session:
            pair_exit.require_participant(session=session, team_id=team_id, user_id=user_id)
        return blocks.concern_modal()

    return build_or_explain(build)


def rematch(request: CommandRequest) -> None:
    """`/mentoring rematch`: end the current pair, no fault, after a private confirmation."""
    view = end_pair_form(
        request.runtime, team_id=request.team_id, user_id=request.user_id, value=CURRENT_PAIR
    )
    request.ack()
    request.later(lambda: open_view(request.client, request.trigger_id, view))


def concern(request: CommandRequest) -> None:
    """`/mentoring concern`: a private note to the programme owners."""
    view = concern_form(request.runtime, team_id=request.team_id, user_id=request.user_id)
    request.ack()
    request.later(lambda: open_view(request.client, request.trigger_id, view))


def register(app: App, runtime: Runtime) -> None:
    """Attach the listeners for ending a pair and raising a concern."""

    @app.action(Action.PAIR_EXIT)
    @guarded
    def pair_exit_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        view = end_pair_form(runtime, team_id=team_id, user_id=user_id, value=action.get("value"))
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.PAIR_EXIT)
    @guarded
    def pair_exit_confirmed(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        pair_id = row_id(view.get("private_metadata"))
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            pair_exit.end_pair(
                session=session,
                team_id=team_id,
                user_id=user_id,
                pair_id=pair_id,
                now=now,
                notifier=runtime.notifier,
            )
        ack(response_action="update", view=blocks.pair_ended_notice())
        workspace = envelope.workspace(body)
        after_ack(
            runtime, body, None, lambda: publish_home(runtime, client, team_id, user_id, workspace)
        )
        send_now(runtime, now=now)

    @app.action(Action.RAISE_CONCERN)
    @guarded
    def concern_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = ids(body)
        view = concern_form(runtime, team_id=team_id, user_id=user_id)
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.CONCERN)
    @guarded
    def concern_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        text, include_name = blocks.read_concern(ViewState.of(view))
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            pair_exit.raise_concern(
                session=session,
                team_id=team_id,
                user_id=user_id,
                text=text,
                include_name=include_name,
                # Keyed by the modal, so a repeated submission sends nothing twice.
                submission_id=hashlib.sha256(str(view["id"]).encode()).hexdigest()[:16],
                configured_owners=runtime.settings.programme_owners,
                now=now,
                notifier=runtime.notifier,
            )
        ack(
            response_action="update",
            view=blocks.concern_sent_notice(include_name=include_name),
        )
        send_now(runtime, now=now)
