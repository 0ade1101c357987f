"""Matching rounds: owners preview and confirm, people consent, pairs set goals."""

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.flows import owners, programmes, rounds
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import after_ack, replace_message
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.core.view_state import ViewState
from bot.slack.outbox.courier import send_now
from bot.slack.outbox.group_dms import SlackGroupDMs
from bot.slack.rounds import blocks, control_listeners
from bot.slack.rounds.preview import match_preview, preview_csv
from bot.slack.rounds.sending import CSV_NOT_SENT, send_csv
from bot.slack.ui import Message, notice_modal

log = logging.getLogger(__name__)


def confirm_of(value: object) -> tuple[int, int]:
    """The round and the version of it a Confirm button names (older buttons: version 0)."""
    round_part, colon, version_part = str(value or "").partition(":")
    return row_id(round_part), row_id(version_part) if colon else 0


IN_YOUR_DM = "The preview is in your DM with me (the *Messages* tab), with its buttons."
DM_CLOSED = "I couldn't reach your DM with me just now, so nothing was sent. Please try again."


def post_to_dm(client: WebClient, *, user_id: str, message: Message) -> None:
    """Answer an owner's App Home click in their DM with the bot (it has buttons to click)."""
    try:
        client.chat_postMessage(channel=user_id, text=message.text, blocks=list(message.blocks))
    except SlackApiError as exc:
        log.warning("owner answer not sent: error=%s", exc.response.get("error"))
        raise Refusal(DM_CLOSED) from exc


def page_of(value: object) -> tuple[int, int]:
    """The round and the page a Next/Previous button names (anything else is stale)."""
    round_part, _, page_part = str(value or "").partition(":")
    return row_id(round_part), row_id(page_part)


def owner_preview(
    runtime: Runtime, *, team_id: str, user_id: str, name: str = "", programme_id: int | None = None
) -> tuple[rounds.Preview, Message, bytes]:
    """A new preview of the programme named (or given by id) for its owner, and its CSV."""
    with runtime.sessions.begin() as session:
        if programme_id is None:
            programme_id = programmes.choose(
                session=session, team_id=team_id, name=name, command="match"
            ).id
        owners.require_owner(
            session=session,
            configured=runtime.settings.programme_owners,
            team_id=team_id,
            user_id=user_id,
            programme_id=programme_id,
        )
        preview = rounds.preview(
            session=session,
            team_id=team_id,
            programme_id=programme_id,
            owner_id=user_id,
            now=datetime.now(UTC),
        )
        return preview, match_preview(preview), preview_csv(preview)


def match(request: CommandRequest) -> None:
    """`/mentoring match [programme]` (owners): a preview to confirm or cancel."""
    preview, message, data = owner_preview(
        request.runtime,
        team_id=request.team_id,
        user_id=request.user_id,
        name=" ".join(request.args),
    )
    reply(request.ack, message)

    def csv_to_dm() -> None:
        try:
            send_csv(request.client, user_id=request.user_id, preview=preview, data=data)
        except SlackApiError as exc:
            log.warning("preview csv not sent: error=%s", exc.response.get("error"))
            raise Refusal(CSV_NOT_SENT) from exc

    request.later(csv_to_dm)


def register(app: App, runtime: Runtime) -> None:
    """Attach the matching-round listeners (match controls' among them)."""
    control_listeners.register(app, runtime)

    @app.action(Action.ROUND_CONFIRM)
    @guarded
    def round_confirmed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        round_id, version = confirm_of(action.get("value"))
        with runtime.sessions.begin() as session:
            confirmed = rounds.confirm(
                session=session,
                team_id=team_id,
                round_id=round_id,
                version=version,
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
                now=now,
                notifier=runtime.notifier,
            )
            text = blocks.round_confirmed(confirmed)
        replace_message(runtime, body, respond, text)
        send_now(runtime, now=now)

    @app.action(Action.ROUND_NEXT)
    @app.action(Action.ROUND_PREVIOUS)
    @guarded
    def round_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        round_id, number = page_of(action.get("value"))
        with runtime.sessions() as session:
            shown = rounds.page(
                session=session,
                team_id=team_id,
                round_id=round_id,
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
            )
            message = match_preview(shown, page=number)
        after_ack(
            runtime,
            body,
            respond,
            lambda: respond(replace_original=True, text=message.text, blocks=message.blocks),
        )

    @app.action(Action.HOME_MATCH)
    @guarded
    def match_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """The owner App Home's *Match*: the preview arrives in the owner's DM with the bot."""
        ack()
        team_id, user_id = ids(body)

        def preview_to_dm() -> None:
            try:
                preview, message, data = owner_preview(
                    runtime, team_id=team_id, user_id=user_id,
                    programme_id=row_id(action.get("value")),
                )  # fmt: skip
                post_to_dm(client, user_id=user_id, message=message)
            except Refusal as refusal:  # the App Home has no place for a reply: a modal does
                open_view(client, body["trigger_id"], notice_modal(str(refusal)))
                return
            open_view(client, body["trigger_id"], notice_modal(IN_YOUR_DM))
            try:
                send_csv(client, user_id=user_id, preview=preview, data=data)
            except SlackApiError as exc:
                log.warning("preview csv not sent: error=%s", exc.response.get("error"))

        after_ack(runtime, body, None, preview_to_dm)

    @app.action(Action.ROUND_CANCEL)
    @guarded
    def round_cancelled(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        with runtime.sessions.begin() as session:
            rounds.cancel(
                session=session,
                team_id=team_id,
                round_id=row_id(action.get("value")),
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
            )
        replace_message(runtime, body, respond, "Cancelled: nothing was sent.")

    @app.action(Action.CONSENT_ACCEPT)
    @app.action(Action.CONSENT_DECLINE)
    @guarded
    def consent(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        accept = action["action_id"] == Action.CONSENT_ACCEPT
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            proposal = rounds.answer(
                session=session,
                team_id=team_id,
                proposal_id=row_id(action.get("value")),
                user_id=user_id,
                accept=accept,
                now=now,
                notifier=runtime.notifier,
            )
            text = blocks.consent_answered(proposal, viewer=user_id, accepted=accept)
        replace_message(runtime, body, respond, text)
        send_now(runtime, now=now)

        def kick_off() -> None:
            # The kick-off is stored after the group DM opens, so it is sent by its own pass.
            started = datetime.now(UTC)
            rounds.start_pairs(
                runtime.sessions,
                group_dms=SlackGroupDMs(lambda _team: client),
                now=started,
                notifier=runtime.notifier,
            )
            send_now(runtime, now=started)

        after_ack(runtime, body, respond, kick_off)

    @app.action(Action.SET_GOALS)
    @guarded
    def set_goals_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        with runtime.sessions() as session:
            pair = rounds.pair_for_member(
                session=session,
                team_id=team_id,
                pair_id=row_id(action.get("value")),
                user_id=user_id,
            )
            view = blocks.goals_modal(pair)
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.view(Callback.GOALS)
    @guarded
    def goals_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        goals = blocks.goal_texts(ViewState.of(view))
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            rounds.set_goals(
                session=session,
                team_id=team_id,
                pair_id=row_id(view.get("private_metadata")),
                user_id=user_id,
                goals=goals,
                now=now,
                notifier=runtime.notifier,
            )
        ack()
        send_now(runtime, now=now)
