"""The /mentoring slash command: the subcommands of every journey, and the help that lists them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    Block,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.text import clean, shorten
from bot.flows import audit, owners
from bot.runtime import Runtime
from bot.slack.core.command import CommandRequest, Handler, reply
from bot.slack.core.errors import guarded
from bot.slack.keep_going.listeners import met
from bot.slack.org_chart.listeners import orgchart
from bot.slack.pair_exit.listeners import concern, rematch
from bot.slack.participants.listeners import join, leave, pause_or_resume, status
from bot.slack.participants.mydata import my_data
from bot.slack.programmes.listeners import admin, programme
from bot.slack.rounds.listeners import match
from bot.slack.stats.listeners import show_audit, stats
from bot.slack.ui import Message, text_message

MAX_TEXT = 300


@dataclass(frozen=True)
class CommandHelp:
    """One line of help: usage and what it does."""

    usage: str
    summary: str


def help_message(
    commands: Sequence[CommandHelp], *, owner_commands: Sequence[CommandHelp]
) -> Message:
    """The list of /mentoring commands; owners also see theirs."""
    lines = [f"`/mentoring {c.usage}` — {c.summary}" for c in commands]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="*Upward* pairs people for reverse mentoring: juniors share what they know "
                "with senior colleagues, and both learn. Here is what you can do:"
            )
        ),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    if owner_commands:
        owner_lines = [f"`/mentoring {c.usage}` — {c.summary}" for c in owner_commands]
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text="*For programme owners*\n" + "\n".join(owner_lines))
            )
        )
    return Message(text="Upward: the /mentoring commands", blocks=blocks)


def unknown_command(word: str, help_: Message) -> Message:
    """A friendly reply to a subcommand we don't know, echoing it as plain text, then help."""
    echoed = PlainTextObject(text=f"I don't know “{shorten(word, 40)}”.", emoji=False)
    return Message(
        text="I don't know that command. Here is what I can do.",
        blocks=[SectionBlock(text=echoed), DividerBlock(), *help_.blocks],
    )


def too_long(limit: int) -> Message:
    """A reply to an oversized command text."""
    text = f"That is longer than any /mentoring command ({limit} characters at most)."
    return Message(text=text, blocks=[SectionBlock(text=PlainTextObject(text=text))])


@dataclass(frozen=True)
class Subcommand:
    """A subcommand: its handler and its line in the help."""

    handler: Handler
    help: CommandHelp
    owners_only: bool = False


def is_owner(runtime: Runtime, team_id: str, user_id: str) -> bool:
    """Whether the user owns programmes."""
    with runtime.reads() as session:
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
    return help_message(everyone, owner_commands=mine if owner else [])


def show_help(request: CommandRequest) -> None:
    """`/mentoring help`."""
    reply(request.ack, help_for(request.runtime, request.team_id, request.user_id))


def record_refusal(runtime: Runtime, *, team_id: str, user_id: str, command: str) -> None:
    """Note in the audit trail that a non-owner tried an owners' command."""
    with runtime.sessions.begin() as session:
        audit.refused(
            session=session,
            team_id=team_id,
            user_id=user_id,
            command=command,
            now=datetime.now(UTC),
        )


SUBCOMMANDS: dict[str, Subcommand] = {
    "join": Subcommand(join, CommandHelp("join", "sign up: a short survey about you")),
    "profile": Subcommand(join, CommandHelp("profile", "change your survey answers")),
    "status": Subcommand(status, CommandHelp("status", "where you stand, and what's next")),
    "pause": Subcommand(
        pause_or_resume(True),
        CommandHelp(
            "pause [until YYYY-MM-DD]",
            "take a break: no matches, prompts or nudges; with a date, I resume you that morning",
        ),
    ),
    "resume": Subcommand(pause_or_resume(False), CommandHelp("resume", "come back from a pause")),
    "leave": Subcommand(leave, CommandHelp("leave", "leave and delete your data")),
    "mydata": Subcommand(
        my_data, CommandHelp("mydata", "everything Upward holds about you, in a DM")
    ),
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
    "orgchart": Subcommand(
        orgchart,
        CommandHelp("orgchart", "load the company's reporting lines from a CSV"),
        owners_only=True,
    ),
    "match": Subcommand(
        match,
        CommandHelp("match [programme]", "preview a matching round, then confirm it"),
        owners_only=True,
    ),
    "rematch": Subcommand(
        rematch, CommandHelp("rematch", "this isn't working: end your pair, no fault, privately")
    ),
    "concern": Subcommand(
        concern, CommandHelp("concern", "raise a concern privately with the programme owners")
    ),
    "stats": Subcommand(
        stats,
        CommandHelp("stats [programme]", "the programme's figures, a chart and a CSV"),
        owners_only=True,
    ),
    "audit": Subcommand(
        show_audit,
        CommandHelp("audit", "who viewed stats or changed the set-up, and when"),
        owners_only=True,
    ),
    "met": Subcommand(met, CommandHelp("met", "record that you and your partner met today")),
}


def parse(text: str) -> list[str]:
    """Split the command text into words (the subcommand first)."""
    return clean(text).split()


def register(app: App, runtime: Runtime) -> None:
    """Attach the /mentoring command."""

    @app.command("/mentoring")
    @guarded
    def mentoring(
        ack: Ack, command: dict[str, str], client: WebClient, body: dict[str, Any], respond: Respond
    ) -> None:
        text = command.get("text", "")
        team_id, user_id = command["team_id"], command["user_id"]
        if len(text) > MAX_TEXT:
            reply(ack, too_long(MAX_TEXT))
            return
        words = parse(text)
        name = words[0].lower() if words else "help"
        subcommand = SUBCOMMANDS.get(name)
        if subcommand is None:
            reply(ack, unknown_command(words[0], help_for(runtime, team_id, user_id)))
            return
        if subcommand.owners_only and not is_owner(runtime, team_id, user_id):
            record_refusal(runtime, team_id=team_id, user_id=user_id, command=name)
            reply(ack, text_message(owners.OWNERS_ONLY))
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
                body=body,
                respond=respond,
            )
        )
