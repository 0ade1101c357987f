"""Events API listeners."""

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack import blocks


def register(app: App, runtime: Runtime) -> None:  # noqa: ARG001 - same signature for every module
    """Attach the event listeners."""

    @app.event("app_home_opened")
    def app_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        client.views_publish(user_id=event["user"], view=blocks.home_view())
