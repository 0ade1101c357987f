"""Replays and retries: a driver that can send its last request again, byte for byte."""

from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.store.models import Base
from tests.fakeslack import Response, SlackDriver
from tests.support.bot import Hostile
from tests.support.constants import ALICE, SIGNING_SECRET, TEAM_ID


class RecordingDriver(SlackDriver):
    """A driver that can send its last request again, byte for byte (same signature)."""

    last: tuple[bytes, dict[str, str]] = (b"", {})

    def _send(self, body: bytes, headers: dict[str, str]) -> Response:
        self.last = (body, headers)
        return super()._send(body, headers)

    def replay(self) -> Response:
        """The last request again: a replay within Slack's five-minute window."""
        return super()._send(*self.last)


def recording(hostile: Hostile) -> RecordingDriver:
    return RecordingDriver(
        bot_url=hostile.slack.url.removesuffix("/slack/events"),
        signing_secret=SIGNING_SECRET,
        fake=hostile.fake,
        team_id=TEAM_ID,
    )


def count(runtime: Runtime, model: type[Base]) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def home_opened(slack: SlackDriver, event_id: str, retry: int | None = None) -> Response:
    return slack.event(
        {"type": "app_home_opened", "user": ALICE, "tab": "home"},
        event_id=event_id,
        retry_num=retry,
    )
