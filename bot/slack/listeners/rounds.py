"""Matching-round buttons and the goals modal: owners confirm, people consent, pairs set goals."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.flows import audit, owners, rounds
from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.slack import matching_blocks
from bot.slack.ids import Action, Callback
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.payload import ids, row_id
from bot.slack.notifier import SlackNotifier, start_pairs


def register(app: App, runtime: Runtime) -> None:
    """Attach the matching-round listeners."""
    notifier = SlackNotifier()

    @app.action(Action.ROUND_CONFIRM)
    @guarded
    def round_confirmed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            owners.require_owner(
                session=session,
                configured=runtime.settings.programme_owners,
                team_id=team_id,
                user_id=user_id,
            )
            confirmed = rounds.confirm(
                session=session,
                team_id=team_id,
                round_id=row_id(action.get("value")),
                now=now,
                notifier=notifier,
            )
            audit.record(
                session=session,
                team_id=team_id,
                user_id=user_id,
                action=audit.Action.ROUND_CONFIRMED,
                detail=f"{confirmed.programme.name}: {len(confirmed.proposals)} proposals",
                now=now,
            )
            text = matching_blocks.round_confirmed(confirmed)
        respond(replace_original=True, text=text)
        deliver_due(runtime.sessions, runtime.client, now=now)

    @app.action(Action.ROUND_CANCEL)
    @guarded
    def round_cancelled(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        with runtime.sessions.begin() as session:
            owners.require_owner(
                session=session,
                configured=runtime.settings.programme_owners,
                team_id=team_id,
                user_id=user_id,
            )
            rounds.cancel(session=session, team_id=team_id, round_id=row_id(action.get("value")))
        respond(replace_original=True, text="Cancelled: nothing was sent.")

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
                notifier=notifier,
            )
            text = matching_blocks.consent_answered(proposal, viewer=user_id, accepted=accept)
        respond(replace_original=True, text=text)
        start_pairs(runtime.sessions, client, now=now, notifier=notifier)
        deliver_due(runtime.sessions, runtime.client, now=now)

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
            view = matching_blocks.goals_modal(pair)
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(Callback.GOALS)
    @guarded
    def goals_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        goals = matching_blocks.goal_texts(view.get("state", {}).get("values", {}))
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            rounds.set_goals(
                session=session,
                team_id=team_id,
                pair_id=row_id(view.get("private_metadata")),
                user_id=user_id,
                goals=goals,
                now=now,
                notifier=notifier,
            )
        ack()
        deliver_due(runtime.sessions, runtime.client, now=now)
