"""What owners do with their programmes: `programmes`, `announce`, and the owner App Home's
edit, announce and archive."""

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.domain.text import inert
from bot.flows import announce as announce_flow
from bot.flows import archive, owners, programmes
from bot.flows.errors import Refusal
from bot.runtime import Runtime
from bot.slack.core import envelope
from bot.slack.core.after_ack import after_ack
from bot.slack.core.command import CommandRequest, reply
from bot.slack.core.errors import guarded
from bot.slack.core.ids import Action, Callback
from bot.slack.core.modals import build_or_explain, open_view
from bot.slack.core.payload import ids, row_id
from bot.slack.home import publish_home
from bot.slack.outbox.courier import send_now
from bot.slack.owner_home import programmes_message
from bot.slack.programmes import announce as announcing
from bot.slack.programmes.listeners import settings_modal
from bot.slack.ui import Message, notice_modal, text_message

log = logging.getLogger(__name__)

# What chat.postMessage answers when the bot may not post in a channel.
NOT_THERE = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,30}")
NOT_A_CHANNEL = "Choose a channel (a public or private one, not a direct message)."


def programmes_list(request: CommandRequest) -> None:
    """`/mentoring programmes` (owners): each programme they own, with its state."""
    runtime = request.runtime
    with runtime.reads() as session:
        owned = owners.owned(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            configured=runtime.settings.programme_owners,
        )
        message = programmes_message(owned, today=datetime.now(UTC).date())
    reply(request.ack, message)


def post_announcement(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    name: str,
    channel_id: str,
    message: Message,
) -> None:
    """Post the announcement (after the ack), and record it; a channel without the bot is a
    clear refusal saying how to invite it."""
    try:
        client.chat_postMessage(
            channel=channel_id, text=message.text, blocks=list(message.blocks), unfurl_links=False
        )
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.info("announcement not posted: error=%s", error)
        if error in NOT_THERE:
            raise Refusal(announcing.not_in_channel(channel_id)) from exc
        raise
    with runtime.sessions.begin() as session:
        announce_flow.record(
            session=session,
            team_id=team_id,
            user_id=user_id,
            name=name,
            channel_id=channel_id,
            now=datetime.now(UTC),
        )


def announce(request: CommandRequest) -> None:
    """`/mentoring announce [programme] #channel` (owners): a post with a *Join* button."""
    name, channel_id = announcing.parse_command(request.args)
    if channel_id is None:
        reply(request.ack, text_message(announcing.NO_CHANNEL))
        return
    runtime = request.runtime
    with runtime.reads() as session:
        programme = announce_flow.programme_to_announce(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            name=name,
            configured=runtime.settings.programme_owners,
            today=datetime.now(UTC).date(),
        )
        message, chosen = announcing.announcement(programme), programme.name
    reply(request.ack, text_message(f"Posting the announcement in <#{channel_id}>…"))

    def post() -> None:
        post_announcement(
            runtime, request.client, team_id=request.team_id, user_id=request.user_id,
            name=chosen, channel_id=channel_id, message=message,
        )  # fmt: skip
        request.respond(text=announcing.announced(channel_id), response_type="ephemeral")

    request.later(post)


def archived_notice(done: archive.Archived) -> str:
    """Confirms an archiving (mrkdwn; the name is escaped)."""
    return (
        f"Archived *{inert(done.programme.name)}*: it has left every menu. "
        f"{done.pairs} active pair{'s' if done.pairs != 1 else ''} ended and "
        f"{done.proposals} open proposal{'s' if done.proposals != 1 else ''} expired; "
        "everyone in them was told kindly."
    )


def register(app: App, runtime: Runtime) -> None:
    """Attach the announcement's and the owner App Home's listeners."""

    def in_a_modal(body: dict[str, Any], client: WebClient, build: Callable[[], View]) -> None:
        """Answer an App Home click in a modal: the form it asked for, or why not."""
        view = build_or_explain(build)
        after_ack(runtime, body, None, lambda: open_view(client, body["trigger_id"], view))

    @app.action(Action.HOME_EDIT)
    @guarded
    def edit_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)

        def edit_modal() -> View:
            with runtime.reads() as session:
                form = programmes.form_of(
                    session=session, team_id=team_id, programme_id=row_id(action.get("value"))
                )
                assert form.programme is not None
                return settings_modal(
                    session=session, runtime=runtime, form=form, team_id=team_id, user_id=user_id
                )

        in_a_modal(body, client, edit_modal)

    @app.action(Action.HOME_ANNOUNCE)
    @guarded
    def announce_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)

        def channel_modal() -> View:
            with runtime.reads() as session:
                programme = announce_flow.programme_to_announce(
                    session=session,
                    team_id=team_id,
                    user_id=user_id,
                    name="",
                    configured=runtime.settings.programme_owners,
                    today=datetime.now(UTC).date(),
                    programme_id=row_id(action.get("value")),
                )
                return announcing.announce_modal(programme)

        in_a_modal(body, client, channel_modal)

    @app.view(Callback.ANNOUNCE)
    @guarded
    def announce_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        team_id, user_id = ids(body)
        programme_id, channel_id = announcing.read_announce(view)
        if not CHANNEL_ID.fullmatch(channel_id):
            ack(response_action="errors", errors={"channel": NOT_A_CHANNEL})
            return
        with runtime.reads() as session:
            programme = announce_flow.programme_to_announce(
                session=session,
                team_id=team_id,
                user_id=user_id,
                name="",
                configured=runtime.settings.programme_owners,
                today=datetime.now(UTC).date(),
                programme_id=programme_id if programme_id is not None else row_id(None),
            )
            message, chosen = announcing.announcement(programme), programme.name
        ack(response_action="update", view=notice_modal(f"Posting in <#{channel_id}>…"))
        view_id = str(view.get("id", ""))

        def post() -> None:
            try:
                post_announcement(
                    runtime, client, team_id=team_id, user_id=user_id, name=chosen,
                    channel_id=channel_id, message=message,
                )  # fmt: skip
                outcome = announcing.announced(channel_id)
            except Refusal as refusal:  # the modal is where the owner is looking
                outcome = str(refusal)
            client.views_update(view_id=view_id, view=notice_modal(outcome))

        after_ack(runtime, body, None, post)

    @app.action(Action.HOME_ARCHIVE)
    @guarded
    def archive_clicked(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        team_id, user_id = ids(body)
        now = datetime.now(UTC)

        def archived() -> View:
            with runtime.sessions.begin() as session:
                done = archive.archive(
                    session=session,
                    team_id=team_id,
                    user_id=user_id,
                    programme_id=row_id(action.get("value")),
                    configured=runtime.settings.programme_owners,
                    now=now,
                    notifier=runtime.notifier,
                )
                return notice_modal(archived_notice(done))

        view = build_or_explain(archived)

        def answer() -> None:
            open_view(client, body["trigger_id"], view)
            publish_home(runtime, client, team_id, user_id, envelope.workspace(body))

        after_ack(runtime, body, None, answer)
        send_now(runtime, now=now)
