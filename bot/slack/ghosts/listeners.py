"""Ghosts, with dignity: the answers to the one "are you still in?" question."""

from datetime import UTC, date, datetime
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.flows import ghosts, participants
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core.after_ack import replace_message
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action
from bot.slack.core.payload import ids, row_id
from bot.slack.ghosts import blocks
from bot.slack.outbox.courier import send_now
from bot.slack.ui import STALE_BUTTON


def _picked_day(action: dict[str, Any]) -> date:
    picked = str(action.get("selected_date") or "")
    try:
        return date.fromisoformat(picked)
    except ValueError:
        raise Refusal("Pick a day from the calendar, from tomorrow on. Nothing changed.") from None


def _pair_of_block(action: dict[str, Any]) -> int:
    block_id = str(action.get("block_id") or "")
    if not block_id.startswith(blocks.BLOCK):
        raise Refusal(STALE_BUTTON)
    return row_id(block_id.removeprefix(blocks.BLOCK))


def register(app: App, runtime: Runtime) -> None:
    """Attach the listeners of the ghost path."""

    @app.action(Action.STILL_IN)
    @guarded
    def still_in(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            ghosts.still_in(
                session=session, team_id=team_id, user_id=user_id,
                pair_id=row_id(action.get("value")), now=now, notifier=runtime.notifier,
            )  # fmt: skip
        send_now(runtime, now=now)

    @app.action(Action.STILL_IN_PAUSE)
    @guarded
    def pause_until(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            ghosts.pause_until(
                session=session, team_id=team_id, user_id=user_id,
                pair_id=_pair_of_block(action), until=_picked_day(action), now=now,
                notifier=runtime.notifier,
            )  # fmt: skip
        send_now(runtime, now=now)

    @app.action(Action.STILL_IN_LEAVE)
    @guarded
    def leave(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        row_id(action.get("value"))  # a forged value changes nothing
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            left = participants.leave(
                session=session, team_id=team_id, user_id=user_id, now=now,
                notifier=runtime.notifier,
            )  # fmt: skip
        # Leaving deletes every stored message of theirs, so the question is replaced in place.
        replace_message(runtime, body, respond, blocks.LEFT if left else blocks.NOT_JOINED)
        send_now(runtime, now=now)
