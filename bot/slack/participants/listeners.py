"""Signing up and looking after one's place: survey, status, pause, leave, the App Home."""

import logging
from datetime import UTC, date, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.domain import pause, profile
from bot.domain.prompt_files import default_library
from bot.flows import participants
from bot.flows.errors import Refusal
from bot.flows.participants import Status
from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.after_ack import after_ack, replace_message
from bot.slack.core.command import CommandRequest, Handler, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import open_view
from bot.slack.core.payload import ids
from bot.slack.home import publish_home
from bot.slack.outbox.courier import send_now
from bot.slack.participants import blocks, survey
from bot.slack.ui import STALE_BUTTON, text_message

log = logging.getLogger(__name__)


def survey_form(runtime: Runtime, *, team_id: str, workspace_id: str | None, user_id: str) -> View:
    """The intake survey (prefilled for someone who already joined)."""
    with runtime.sessions() as session:
        form = participants.survey(
            session=session,
            team_id=team_id,
            workspace_id=workspace_id,
            user_id=user_id,
            today=datetime.now(UTC).date(),
        )
        return survey.survey_view(
            programmes=form.programmes,
            current=form.current,
            topics=default_library().selectable_topics(),
        )


def timezone_of(client: WebClient, user_id: str) -> tuple[str, int]:
    """The person's time zone and UTC offset in minutes, from their Slack profile."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed: error=%s", exc.response.get("error"))
        return "UTC", 0
    return str(user.get("tz") or "UTC"), int(user.get("tz_offset") or 0) // 60


def join(request: CommandRequest) -> None:
    """`/mentoring join` and `/mentoring profile`: the intake survey."""
    view = survey_form(
        request.runtime,
        team_id=request.team_id,
        workspace_id=request.workspace_id,
        user_id=request.user_id,
    )
    request.ack()
    request.later(lambda: open_view(request.client, request.trigger_id, view))


def status(request: CommandRequest) -> None:
    """`/mentoring status`."""
    if not request.caller.joined:  # known from the request's admission: nothing more to read
        reply(request.ack, blocks.status_message(Status(participant=None, programme=None)))
        return
    with request.runtime.reads() as session:
        where = participants.status(
            session=session, team_id=request.team_id, user_id=request.user_id
        )
        reply(request.ack, blocks.status_message(where))


def pause_or_resume(paused: bool) -> Handler:
    """`/mentoring pause [until YYYY-MM-DD]` and `/mentoring resume`."""

    def handler(request: CommandRequest) -> None:
        until = pause.read_until(request.args) if paused else pause.Until()
        if until.problem is not None:
            reply(request.ack, text_message(until.problem))
            return
        with request.runtime.sessions.begin() as session:
            changed = participants.set_paused(
                session=session,
                team_id=request.team_id,
                user_id=request.user_id,
                paused=paused,
                until=until.day,
                now=datetime.now(UTC),
            )
        reply(request.ack, blocks.paused_message(paused=paused, changed=changed, until=until.day))

    return handler


def leave(request: CommandRequest) -> None:
    """`/mentoring leave`: ask first; the button does the deleting."""
    with request.runtime.reads() as session:
        where = participants.status(
            session=session, team_id=request.team_id, user_id=request.user_id
        )
    if where.participant is None:
        reply(request.ack, text_message(blocks.NOTHING_TO_DELETE))
        return
    reply(request.ack, blocks.leave_confirmation())


def register(app: App, runtime: Runtime) -> None:
    """Attach the survey, App Home and leave listeners."""

    @app.event("app_home_opened")
    @guarded
    def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        team_id, user_id = str(envelope.home(body)), event["user"]
        workspace = envelope.workspace(body)
        after_ack(
            runtime, body, None, lambda: publish_home(runtime, client, team_id, user_id, workspace)
        )

    @app.action(Action.JOIN)
    @app.action(Action.EDIT_PROFILE)
    @guarded
    def survey_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        team_id, user_id = ids(body)
        view = survey_form(
            runtime, team_id=team_id, workspace_id=envelope.workspace(body), user_id=user_id
        )
        ack()
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

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
        now = datetime.now(UTC)
        # Saved before the acknowledgement: once the modal closes, the answers are safe.
        with runtime.sessions.begin() as session:
            participants.save_profile(
                session=session,
                team_id=team_id,
                workspace_id=envelope.workspace(body),
                user_id=user_id,
                answers=answers,
                now=now,
                notifier=runtime.notifier,
            )
        ack()

        def afterwards() -> None:
            timezone, offset = timezone_of(client, user_id)
            with runtime.sessions.begin() as session:
                participants.set_timezone(
                    session=session,
                    team_id=team_id,
                    user_id=user_id,
                    timezone=timezone,
                    utc_offset_minutes=offset,
                    now=now,
                )
            send_now(runtime, now=now)

        after_ack(runtime, body, None, afterwards)

    @app.action(Action.PAUSE)
    @app.action(Action.RESUME)
    @guarded
    def pause_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        with runtime.sessions.begin() as session:
            participants.set_paused(
                session=session,
                team_id=team_id,
                user_id=user_id,
                paused=action["action_id"] == Action.PAUSE,
                now=datetime.now(UTC),
            )
        workspace = envelope.workspace(body)
        after_ack(
            runtime, body, None, lambda: publish_home(runtime, client, team_id, user_id, workspace)
        )

    @app.action(Action.PAUSE_UNTIL)
    @guarded
    def pause_until_picked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        note = None
        try:
            with runtime.sessions.begin() as session:
                participants.set_paused(
                    session=session,
                    team_id=team_id,
                    user_id=user_id,
                    paused=True,
                    until=date.fromisoformat(str(action.get("selected_date") or "")),
                    now=datetime.now(UTC),
                )
        except ValueError:
            note = pause.UNREADABLE
        except Refusal as refused:
            note = str(refused)  # the App Home has nowhere else to say it
        workspace = envelope.workspace(body)
        after_ack(
            runtime,
            body,
            None,
            lambda: publish_home(runtime, client, team_id, user_id, workspace, note=note),
        )

    @app.action(Action.LEAVE)
    @guarded
    def leave_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            participants.leave(
                session=session,
                team_id=team_id,
                user_id=user_id,
                now=now,
                notifier=runtime.notifier,
            )
        workspace = envelope.workspace(body)
        after_ack(
            runtime, body, None, lambda: publish_home(runtime, client, team_id, user_id, workspace)
        )
        send_now(runtime, now=now)

    @app.action(Action.LEAVE_CONFIRM)
    @guarded
    def leave_confirmed(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        if action.get("value") != "leave":
            after_ack(
                runtime, body, respond, lambda: respond(replace_original=True, text=STALE_BUTTON)
            )
            return
        team_id, user_id = ids(body)
        now = datetime.now(UTC)
        with runtime.sessions.begin() as session:
            left = participants.leave(
                session=session,
                team_id=team_id,
                user_id=user_id,
                now=now,
                notifier=runtime.notifier,
            )
        replace_message(runtime, body, respond, blocks.LEFT if left else blocks.NOTHING_TO_DELETE)
        send_now(runtime, now=now)

    @app.action(Action.LEAVE_CANCEL)
    @guarded
    def leave_cancelled(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        replace_message(runtime, body, respond, blocks.STAYING)
