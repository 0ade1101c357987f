"""Modal submissions."""

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain import profile
from bot.domain import programme as programme_rules
from bot.domain.prompts import default_library
from bot.flows import owners, participants, programmes
from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.slack import admin, blocks, survey
from bot.slack.ids import Callback
from bot.slack.listeners.errors import guarded
from bot.slack.listeners.payload import ids
from bot.slack.notifier import SlackNotifier

log = logging.getLogger(__name__)


def timezone_of(client: WebClient, user_id: str) -> tuple[str, int]:
    """The person's time zone and UTC offset in minutes, from their Slack profile."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed: user=%s error=%s", user_id, exc.response.get("error"))
        return "UTC", 0
    return str(user.get("tz") or "UTC"), int(user.get("tz_offset") or 0) // 60


def register(app: App, runtime: Runtime) -> None:
    """Attach the modal listeners."""

    @app.view(Callback.SURVEY)
    @guarded
    def survey_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        answers = survey.read_answers(view)
        topics = {t.id for t in default_library().selectable_topics()}
        errors = profile.problems(answers, user_id=user_id, topics=topics)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        timezone, offset = timezone_of(client, user_id)
        now = datetime.now(UTC)
        # Saved before the acknowledgement: once the modal closes, the answers are safe.
        with runtime.sessions.begin() as session:
            participants.save_profile(
                session=session,
                team_id=team_id,
                user_id=user_id,
                answers=answers,
                timezone=timezone,
                utc_offset_minutes=offset,
                now=now,
                notifier=SlackNotifier(),
            )
        ack()
        deliver_due(runtime.sessions, runtime.client, now=now, user_id=user_id)

    @app.view(Callback.ADMIN)
    @guarded
    def programme_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        team_id, user_id = ids(body)
        programme_id, settings, chosen_owners = admin.read_settings(view)
        now = datetime.now(UTC)
        errors = programme_rules.problems(settings, today=now.date())
        if errors:
            ack(response_action="errors", errors=errors)
            return
        with runtime.sessions.begin() as session:
            owners.require_owner(
                session=session,
                configured=runtime.settings.programme_owners,
                team_id=team_id,
                user_id=user_id,
            )
            saved = programmes.save(
                session=session,
                team_id=team_id,
                user_id=user_id,
                programme_id=programme_id,
                settings=settings,
                owners=chosen_owners,
                configured=runtime.settings.programme_owners,
                now=now,
            )
            notice = blocks.notice_modal(blocks.programme_saved(saved))
        ack(response_action="update", view=notice)
