"""The /mentoring slash command: one subcommand, one flow, a reply in the acknowledgement."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.prompts import default_library
from bot.domain.text import clean
from bot.flows import owners, participants, rounds
from bot.flows import programmes as programme_flows
from bot.runtime import Runtime
from bot.slack import admin as admin_view
from bot.slack import blocks, matching_blocks, survey
from bot.slack.blocks import CommandHelp, Message
from bot.slack.listeners.errors import guarded
from bot.store import programmes as programme_store

MAX_TEXT = 300


@dataclass(frozen=True)
class CommandRequest:
    """One /mentoring call, as the subcommand handlers see it."""

    runtime: Runtime
    ack: Ack
    client: WebClient
    team_id: str
    user_id: str
    args: list[str]
    trigger_id: str


@dataclass(frozen=True)
class Subcommand:
    """A subcommand: its handler and its line in the help."""

    handler: Callable[[CommandRequest], None]
    help: CommandHelp
    owners_only: bool = False


def reply(ack: Ack, message: Message) -> None:
    """Acknowledge with an ephemeral answer, so the reply arrives within Slack's 3 seconds."""
    ack(response_type="ephemeral", text=message.text, blocks=message.blocks)


def is_owner(runtime: Runtime, team_id: str, user_id: str) -> bool:
    """Whether the user owns programmes."""
    with runtime.sessions() as session:
        return owners.is_owner(
            session=session,
            configured=runtime.settings.programme_owners,
            team_id=team_id,
            user_id=user_id,
        )


def help_for(runtime: Runtime, team_id: str, user_id: str) -> Message:
    """Help listing what this person can do."""
    everyone = [s.help for s in SUBCOMMANDS.values() if not s.owners_only]
    mine = [s.help for s in SUBCOMMANDS.values() if s.owners_only]
    owner = is_owner(runtime, team_id, user_id)
    return blocks.help_message(everyone, owner_commands=mine if owner else [])


def show_help(request: CommandRequest) -> None:
    """`/mentoring help`."""
    reply(request.ack, help_for(request.runtime, request.team_id, request.user_id))


def open_survey(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    trigger_id: str,
    ack: Ack | None = None,
) -> None:
    """Open the intake survey (prefilled for someone who already joined)."""
    with runtime.sessions() as session:
        form = participants.survey(
            session=session, team_id=team_id, user_id=user_id, today=datetime.now(UTC).date()
        )
        view = survey.survey_view(
            programmes=form.programmes,
            current=form.current,
            topics=default_library().selectable_topics(),
        )
    if ack is not None:
        ack()
    client.views_open(trigger_id=trigger_id, view=view)


def join(request: CommandRequest) -> None:
    """`/mentoring join` and `/mentoring profile`: the intake survey."""
    open_survey(
        request.runtime,
        request.client,
        team_id=request.team_id,
        user_id=request.user_id,
        trigger_id=request.trigger_id,
        ack=request.ack,
    )


def status(request: CommandRequest) -> None:
    """`/mentoring status`."""
    with request.runtime.sessions() as session:
        where = participants.status(
            session=session, team_id=request.team_id, user_id=request.user_id
        )
        reply(request.ack, blocks.status_message(where.participant, where.programme))


def pause_or_resume(paused: bool) -> Callable[[CommandRequest], None]:
    """`/mentoring pause` and `/mentoring resume`."""

    def handler(request: CommandRequest) -> None:
        with request.runtime.sessions.begin() as session:
            changed = participants.set_paused(
                session=session,
                team_id=request.team_id,
                user_id=request.user_id,
                paused=paused,
                now=datetime.now(UTC),
            )
        reply(request.ack, blocks.paused_message(paused=paused, changed=changed))

    return handler


def leave(request: CommandRequest) -> None:
    """`/mentoring leave`: ask first; the button does the deleting."""
    with request.runtime.sessions() as session:
        where = participants.status(
            session=session, team_id=request.team_id, user_id=request.user_id
        )
    if where.participant is None:
        reply(request.ack, blocks.text_message(blocks.NOTHING_TO_DELETE))
        return
    reply(request.ack, blocks.leave_confirmation())


def programme(request: CommandRequest) -> None:
    """`/mentoring programme new <name>` (owners)."""
    if request.args[:1] != ["new"]:
        reply(request.ack, blocks.text_message("Try `/mentoring programme new <name>`."))
        return
    name = " ".join(request.args[1:])
    with request.runtime.sessions.begin() as session:
        created = programme_flows.create(
            session=session,
            team_id=request.team_id,
            user_id=request.user_id,
            name=name,
            now=datetime.now(UTC),
        )
    reply(request.ack, blocks.programme_created(created))


def match(request: CommandRequest) -> None:
    """`/mentoring match [programme]` (owners): a preview to confirm or cancel."""
    name = " ".join(request.args)
    with request.runtime.sessions.begin() as session:
        chosen = rounds.choose_programme(session=session, team_id=request.team_id, name=name)
        preview = rounds.preview(
            session=session,
            team_id=request.team_id,
            programme_id=chosen.id,
            owner_id=request.user_id,
            now=datetime.now(UTC),
        )
        message = matching_blocks.match_preview(preview)
    reply(request.ack, message)


def admin(request: CommandRequest) -> None:
    """`/mentoring admin [programme]` (owners): the programme settings modal."""
    name = " ".join(request.args)
    with request.runtime.sessions() as session:
        found = (
            programme_store.by_name(session=session, team_id=request.team_id, name=name)
            if name
            else None
        )
        if name and found is None:
            reply(request.ack, blocks.text_message("I can't find a programme with that name."))
            return
        view = admin_view.programme_modal(
            found,
            owners=programme_store.store_owners(session=session, team_id=request.team_id),
            configured=request.runtime.settings.programme_owners,
        )
    request.ack()
    request.client.views_open(trigger_id=request.trigger_id, view=view)


SUBCOMMANDS: dict[str, Subcommand] = {
    "join": Subcommand(join, CommandHelp("join", "sign up: a short survey about you")),
    "profile": Subcommand(join, CommandHelp("profile", "change your survey answers")),
    "status": Subcommand(status, CommandHelp("status", "where you stand, and what's next")),
    "pause": Subcommand(
        pause_or_resume(True), CommandHelp("pause", "take a break: no matches, prompts or nudges")
    ),
    "resume": Subcommand(pause_or_resume(False), CommandHelp("resume", "come back from a pause")),
    "leave": Subcommand(leave, CommandHelp("leave", "leave and delete your data")),
    "help": Subcommand(show_help, CommandHelp("help", "show these commands")),
    "programme": Subcommand(
        programme,
        CommandHelp("programme new <name>", "create a programme, open for sign-up"),
        owners_only=True,
    ),
    "admin": Subcommand(
        admin,
        CommandHelp("admin [programme]", "create or edit a programme, and its owners"),
        owners_only=True,
    ),
    "match": Subcommand(
        match,
        CommandHelp("match [programme]", "preview a matching round, then confirm it"),
        owners_only=True,
    ),
}


def parse(text: str) -> list[str]:
    """Split the command text into words (the subcommand first)."""
    return clean(text).split()


def register(app: App, runtime: Runtime) -> None:
    """Attach the /mentoring command."""

    @app.command("/mentoring")
    @guarded
    def mentoring(ack: Ack, command: dict[str, str], client: WebClient) -> None:
        text = command.get("text", "")
        team_id, user_id = command["team_id"], command["user_id"]
        if len(text) > MAX_TEXT:
            reply(ack, blocks.too_long(MAX_TEXT))
            return
        words = parse(text)
        name = words[0].lower() if words else "help"
        subcommand = SUBCOMMANDS.get(name)
        if subcommand is None:
            reply(ack, blocks.unknown_command(words[0], help_for(runtime, team_id, user_id)))
            return
        if subcommand.owners_only and not is_owner(runtime, team_id, user_id):
            reply(ack, blocks.text_message(owners.OWNERS_ONLY))
            return
        subcommand.handler(
            CommandRequest(
                runtime=runtime,
                ack=ack,
                client=client,
                team_id=team_id,
                user_id=user_id,
                args=words[1:],
                trigger_id=command.get("trigger_id", ""),
            )
        )
