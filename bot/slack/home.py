"""The App Home tab: where a person stands, with buttons to act; shared by every journey."""

from collections.abc import Sequence
from datetime import UTC, datetime

from slack_sdk import WebClient
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.hours_answers import describe as describe_hours
from bot.domain.pause import long_date
from bot.domain.profile import STAGES
from bot.domain.states import Kind, Side
from bot.domain.text import inert
from bot.flows import owners, participants
from bot.flows.participants import Status
from bot.runtime import Runtime
from bot.slack.core.ids import Action
from bot.slack.owner_home import VIEW_BLOCKS, owner_blocks
from bot.slack.ui import CURRENT_PAIR, exit_buttons
from bot.store.models import Participant, Programme


def _role(participant: Participant, programme: Programme) -> str:
    return {
        Side.SHARE: f"sharing ({inert(programme.share_word)})",
        Side.LEARN: f"learning ({inert(programme.learn_word)})",
        Side.EITHER: "sharing or learning",
    }.get(participant.side, participant.side)


def status_lines(where: Status) -> list[str]:
    """A person's status in plain sentences (shared by /mentoring status and the App Home)."""
    participant, programme = where.participant, where.programme
    if participant is None or programme is None:
        return ["You haven't joined a mentoring programme yet."]
    lines = [
        f"*Programme:* {inert(programme.name)}",
        f"*Side:* {_role(participant, programme)} · *Career stage:* "
        + STAGES.get(participant.stage, "?"),
        _status_line(participant),
        *([f"*Working hours:* {describe_hours(where.hours)}"] if where.hours else []),
        _partner_line(where.partner_id),
        "*Next:* " + _next_step(where, programme),
    ]
    return lines


def _status_line(participant: Participant) -> str:
    if not participant.paused:
        return "*Status:* active"
    if participant.paused_until is not None:
        return (
            f"*Status:* Paused until {long_date(participant.paused_until)} — you'll be resumed "
            "that morning, or `/mentoring resume` sooner"
        )
    return "*Status:* paused — you won't be matched, prompted or nudged until you resume"


def _partner_line(partner_id: str | None) -> str:
    if partner_id is None:
        return "*Partner:* none yet"
    return f"*Partner:* <@{partner_id}>"


def _next_step(where: Status, programme: Programme) -> str:
    if where.awaiting_answer:
        return "a proposed partner is waiting for your answer: see my DM to you."
    if where.partner_id is not None:
        weeks = programme.cadence_weeks
        every = "every week" if weeks == 1 else f"every {weeks} weeks"
        return f"a conversation prompt in your pair's group DM {every}, then a short check-in."
    return "you'll hear from me when the programme owners run the next matching round."


# What the App Home says Upward does, by the kind of the person's programme.
ABOUT = {
    Kind.REVERSE: (
        "reverse mentoring",
        "pairs a junior colleague, who mentors, with a senior one, who learns: digital skills, "
        "how younger staff see work, what they value.",
    ),
    Kind.TRADITIONAL: (
        "mentoring",
        "pairs an experienced colleague, who mentors, with a newer one, who learns: the craft, "
        "the organisation, how careers grow here.",
    ),
    Kind.PEER: (
        "peer mentoring",
        "pairs colleagues at similar stages, who learn from each other in turn.",
    ),
}


PARTICIPANT_BLOCKS = 8  # the most the participant part takes, around an owner's part


def home_view(
    where: Status, *, can_join: bool, owner: Sequence[Block] = (), note: str | None = None
) -> View:
    """The App Home tab: what Upward is, an owner's programmes, where the person stands, and
    buttons to act; `note` (our own words) says why a date picked there changed nothing."""
    kind = where.programme.kind if where.programme is not None else Kind.REVERSE
    name, about = ABOUT[kind]
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=f"Upward: {name}")),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Upward {about} Pairs meet regularly; what they say stays between them."
            )
        ),
        DividerBlock(),
        *owner,
        SectionBlock(text=MarkdownTextObject(text="\n".join(status_lines(where)))),
    ]
    buttons: list[ButtonElement] = []
    participant = where.participant
    if participant is None:
        if can_join:
            buttons.append(
                ButtonElement(text="Join", action_id=Action.JOIN, value="join", style="primary")
            )
    else:
        buttons.append(
            ButtonElement(text="Edit my profile", action_id=Action.EDIT_PROFILE, value="edit")
        )
        if participant.paused:
            buttons.append(ButtonElement(text="Resume", action_id=Action.RESUME, value="resume"))
        else:
            buttons.append(ButtonElement(text="Pause", action_id=Action.PAUSE, value="pause"))
        buttons.append(
            ButtonElement(
                text="Leave",
                action_id=Action.LEAVE,
                value="leave",
                style="danger",
                confirm=ConfirmObject(
                    title="Leave mentoring?",
                    text="Your profile, answers and goals will be deleted. A current partner is "
                    "told kindly that the pairing has ended, without reasons.",
                    confirm="Leave and delete",
                    deny="Stay",
                ),
            )
        )
    # Anyone may ask what Upward holds about them, signed up or not.
    buttons.append(ButtonElement(text="My data", action_id=Action.MY_DATA, value="mydata"))
    blocks.append(ActionsBlock(block_id="home_actions", elements=buttons))
    if participant is not None and not participant.paused:
        # Like `/mentoring pause until DATE`: picking a day pauses until that morning.
        picker = DatePickerElement(action_id=Action.PAUSE_UNTIL, placeholder="Pause until…")
        blocks.append(ActionsBlock(block_id="pause_until", elements=[picker]))
    if note is not None:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    if participant is not None and where.partner_id is not None:
        blocks.append(ActionsBlock(block_id="pair_exit", elements=exit_buttons(CURRENT_PAIR)))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text="Type `/mentoring help` to see every command.")]
        )
    )
    return View(type="home", blocks=blocks)


def publish_home(
    runtime: Runtime,
    client: WebClient,
    team_id: str,
    user_id: str,
    workspace_id: str | None,
    note: str | None = None,
) -> None:
    """Render the person's App Home (seen in `workspace_id`) from the database."""
    settings = runtime.settings
    with runtime.reads() as session:
        where = participants.status(session=session, team_id=team_id, user_id=user_id)
        today = datetime.now(UTC).date()
        joinable = participants.can_join(
            session=session, team_id=team_id, workspace_id=workspace_id, today=today
        )
        # One query, empty for someone who owns nothing: no separate "is an owner?" look-up.
        owned = owners.overview(
            session=session,
            team_id=team_id,
            user_id=user_id,
            configured=settings.programme_owners,
        )
        owner_part: list[Block] = []
        if owned or user_id in settings.programme_owners:
            owner_part = owner_blocks(
                owned,
                today=today,
                room=VIEW_BLOCKS - PARTICIPANT_BLOCKS,
                retention_months=settings.retention_months,
            )
        view = home_view(where, can_join=joinable, owner=owner_part, note=note)
    client.views_publish(user_id=user_id, view=view)
