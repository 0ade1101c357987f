"""Matching rounds: owners preview and confirm, people consent, pairs set goals."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.flows import programmes, rounds
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
from bot.slack.rounds import blocks


def match(request: CommandRequest) -> None:
    """`/mentoring match [programme]` (owners): a preview to confirm or cancel."""
    name = " ".join(request.args)
    with request.runtime.sessions.begin() as session:
        chosen = programmes.choose(
            session=session, team_id=request.team_id, name=name, command="match"
        )
        preview = rounds.preview(
            session=session,
            team_id=request.team_id,
            programme_id=chosen.id,
            owner_id=request.user_id,
            now=datetime.now(UTC),
        )
        message = blocks.match_preview(preview)
    reply(request.ack, message)


def register(app: App, runtime: Runtime) -> None:
    """Attach the matching-round listeners."""

    @app.action(Action.ROUND_CONFIRM)
    @guarded
    def round_confirmed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            confirmed = rounds.confirm(
                session=session,
                team_id=team_id,
                round_id=row_id(action.get("value")),
                owner_id=user_id,
                configured_owners=runtime.settings.programme_owners,
                now=now,
                notifier=runtime.notifier,
            )
            text = blocks.round_confirmed(confirmed)
        replace_message(runtime, body, respond, text)
        send_now(runtime, now=now)

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
