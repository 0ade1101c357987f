"""Events API listeners."""

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.flows import participants
from bot.runtime import Runtime
from bot.slack import blocks
from bot.slack.listeners.errors import guarded
from bot.store import programmes


def publish_home(runtime: Runtime, client: WebClient, *, team_id: str, user_id: str) -> None:
    """Render the person's App Home from the database."""
    with runtime.sessions() as session:
        where = participants.status(session=session, team_id=team_id, user_id=user_id)
        today = datetime.now(UTC).date()
        can_join = bool(programmes.open_for_signup(session=session, team_id=team_id, today=today))
        view = blocks.home_view(where.participant, where.programme, can_join=can_join)
    client.views_publish(user_id=user_id, view=view)


def register(app: App, runtime: Runtime) -> None:
    """Attach the event listeners."""

    @app.event("app_home_opened")
    @guarded
    def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(runtime, client, team_id=body["team_id"], user_id=event["user"])
