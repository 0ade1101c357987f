"""The /mentoring slash command: parse the subcommand, answer in the acknowledgement."""

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.text import clean
from bot.runtime import Runtime
from bot.slack import blocks
from bot.slack.blocks import CommandHelp, Message

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


def is_owner(runtime: Runtime, user_id: str) -> bool:
    """Whether the user owns programmes (named at install; owners added in Slack come later)."""
    return user_id in runtime.settings.programme_owners


def help_for(runtime: Runtime, user_id: str) -> Message:
    """Help listing what this person can do."""
    everyone = [s.help for s in SUBCOMMANDS.values() if not s.owners_only]
    owners = [s.help for s in SUBCOMMANDS.values() if s.owners_only]
    return blocks.help_message(
        everyone, owner_commands=owners if is_owner(runtime, user_id) else []
    )


def show_help(request: CommandRequest) -> None:
    """`/mentoring help`."""
    reply(request.ack, help_for(request.runtime, request.user_id))


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": Subcommand(show_help, CommandHelp("help", "show these commands")),
}


def parse(text: str) -> list[str]:
    """Split the command text into lower-cased words (the subcommand first)."""
    return clean(text).split()


def register(app: App, runtime: Runtime) -> None:
    """Attach the /mentoring command."""

    @app.command("/mentoring")
    def mentoring(ack: Ack, command: dict[str, str], client: WebClient) -> None:
        text = command.get("text", "")
        user_id = command["user_id"]
        if len(text) > MAX_TEXT:
            reply(ack, blocks.too_long(MAX_TEXT))
            return
        words = parse(text)
        name = words[0].lower() if words else "help"
        subcommand = SUBCOMMANDS.get(name)
        if subcommand is None or (subcommand.owners_only and not is_owner(runtime, user_id)):
            reply(ack, blocks.unknown_command(words[0], help_for(runtime, user_id)))
            return
        subcommand.handler(
            CommandRequest(
                runtime=runtime,
                ack=ack,
                client=client,
                team_id=command["team_id"],
                user_id=user_id,
                args=words[1:],
                trigger_id=command.get("trigger_id", ""),
            )
        )
