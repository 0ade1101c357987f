"""Pure builders of Slack messages and views, typed with slack_sdk.models."""

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.profile import STAGES
from bot.domain.text import escape_mrkdwn, shorten
from bot.flows.participants import Status
from bot.slack.exit_buttons import CURRENT_PAIR, exit_buttons
from bot.slack.ids import Action
from bot.store.models import Participant, Programme


@dataclass(frozen=True)
class Message:
    """A message: fallback text (for notifications) and its blocks."""

    text: str
    blocks: Sequence[Block]


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


def something_went_wrong() -> Message:
    """What a person sees when an unexpected error stops their request."""
    text = (
        "Sorry, something went wrong on our side and nothing was changed. "
        "Please try again in a minute."
    )
    return Message(text=text, blocks=[SectionBlock(text=PlainTextObject(text=text))])


def text_message(text: str) -> Message:
    """A one-paragraph reply (our own words; never user text)."""
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


def welcome_message(programme: Programme) -> Message:
    """The DM after a first sign-up: what happens next and how to change things."""
    name = PlainTextObject(text=f"You're in: {shorten(programme.name, 120)}", emoji=False)
    return Message(
        text="Welcome to mentoring! You're signed up.",
        blocks=[
            HeaderBlock(text=name),
            SectionBlock(
                text=MarkdownTextObject(
                    text="Thank you for signing up. *What happens next:* when the programme "
                    "owners run a matching round, I'll suggest a partner and tell you why. "
                    "Nothing happens until you both accept, privately."
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text="`/mentoring profile` changes your answers, `/mentoring pause` takes a "
                    "break, `/mentoring status` shows where you stand, and `/mentoring leave` "
                    "deletes your data."
                )
            ),
        ],
    )


def _role(participant: Participant, programme: Programme) -> str:
    return {
        "share": f"sharing ({programme.share_word})",
        "learn": f"learning ({programme.learn_word})",
        "either": "sharing or learning",
    }.get(participant.side, participant.side)


def status_lines(where: Status) -> list[str]:
    """A person's status in plain sentences (shared by /mentoring status and the App Home)."""
    participant, programme = where.participant, where.programme
    if participant is None or programme is None:
        return ["You haven't joined a mentoring programme yet."]
    lines = [
        f"*Programme:* {escape_mrkdwn(programme.name)}",
        f"*Side:* {_role(participant, programme)} · *Career stage:* "
        + STAGES.get(participant.stage, "?"),
        "*Status:* paused — you won't be matched, prompted or nudged until you resume"
        if participant.paused
        else "*Status:* active",
        _partner_line(where.partner_id),
        "*Next:* " + _next_step(where, programme),
    ]
    return lines


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


def status_message(where: Status) -> Message:
    """The answer to /mentoring status."""
    text = "\n".join(status_lines(where))
    if where.participant is None:
        text += "\nType `/mentoring join` to sign up."
    return Message(
        text="Your mentoring status", blocks=[SectionBlock(text=MarkdownTextObject(text=text))]
    )


def leave_confirmation() -> Message:
    """Asks before deleting anything."""
    return Message(
        text="Leave mentoring and delete your data?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text="*Leave mentoring?* Your profile, answers and goals will be deleted, and "
                    "a current partner will be told kindly that the pairing has ended, without "
                    "reasons. Anonymous check-in answers you already gave stay in the totals: "
                    "they cannot be traced back to you."
                )
            ),
            ActionsBlock(
                block_id="leave",
                elements=[
                    ButtonElement(
                        text="Leave and delete my data",
                        action_id=Action.LEAVE_CONFIRM,
                        value="leave",
                        style="danger",
                    ),
                    ButtonElement(text="Stay", action_id=Action.LEAVE_CANCEL, value="stay"),
                ],
            ),
        ],
    )


def home_view(where: Status, *, can_join: bool) -> View:
    """The App Home tab: what Upward is, where the person stands, and buttons to act."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Upward: reverse mentoring")),
        SectionBlock(
            text=MarkdownTextObject(
                text="Upward pairs a junior colleague, who mentors, with a senior one, who "
                "learns: digital skills, how younger staff see work, what they value. "
                "Pairs meet regularly; what they say stays between them."
            )
        ),
        DividerBlock(),
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
    if buttons:
        blocks.append(ActionsBlock(block_id="home_actions", elements=buttons))
    if participant is not None and where.partner_id is not None:
        blocks.append(ActionsBlock(block_id="pair_exit", elements=exit_buttons(CURRENT_PAIR)))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text="Type `/mentoring help` to see every command.")]
        )
    )
    return View(type="home", blocks=blocks)


NOTHING_TO_DELETE = (
    "You're not in a mentoring programme, so there is nothing of yours to delete. "
    "If you left before, your data is already gone."
)
LEFT = (
    "Done: you've left mentoring and your personal data is deleted. "
    "Thank you for taking part. You're welcome back any time with `/mentoring join`."
)
STAYING = "Good: you're staying. Nothing was changed."
STALE_BUTTON = "That button is out of date, so nothing was changed. Try the command again."


def paused_message(*, paused: bool, changed: bool) -> Message:
    """The answer to /mentoring pause or resume."""
    if paused:
        text = (
            "Paused. You won't be matched, prompted or nudged until you `/mentoring resume`."
            if changed
            else "You're already paused. `/mentoring resume` brings you back."
        )
    else:
        text = (
            "Welcome back: you're active again and can be matched, prompted and nudged."
            if changed
            else "You're already active; there was nothing to resume."
        )
    return text_message(text)


def programme_created(programme: Programme) -> Message:
    """Confirms a new programme to its owner (the name is shown as plain text)."""
    name = shorten(programme.name, 120)
    return Message(
        text="Programme created and open for sign-up.",
        blocks=[
            SectionBlock(
                text=PlainTextObject(text=f"Created “{name}”, open for sign-up.", emoji=False)
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"Reverse mentoring, roles called {programme.share_word} and "
                        f"{programme.learn_word}, meetings every {programme.cadence_weeks} weeks. "
                        "People join with `/mentoring join`."
                    )
                ]
            ),
        ],
    )


def notice_modal(text: str) -> View:
    """A modal that replaces a form when the request cannot be done (our words only)."""
    return View(
        type="modal",
        title="Mentoring",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=text))],
    )


def programme_saved(programme: Programme) -> str:
    """Confirms saved settings (mrkdwn; the name is escaped)."""
    state = "open for sign-up" if programme.signup_open else "closed for sign-up"
    pilot = ", a pilot" if programme.pilot else ""
    return (
        f"Saved *{escape_mrkdwn(programme.name)}*{pilot}: {state}, meetings every "
        f"{programme.cadence_weeks} weeks, rounds of {programme.round_weeks} weeks."
    )
