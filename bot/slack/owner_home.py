"""The owners' home base: each programme they own, its state and the owner actions (pure).

Shown in the App Home of an owner (above their participant part) and, as text, in answer to
`/mentoring programmes`. Names are owners' words: cut to Slack's limits and made inert.
"""

from collections.abc import Sequence
from datetime import date

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

from bot.domain.pause import long_date
from bot.domain.programme import signup_is_open
from bot.domain.text import inert, shorten
from bot.slack.core.ids import Action
from bot.slack.ui import CONFIRM_TEXT, MESSAGE_BLOCKS, SECTION_TEXT, Message, fit_to
from bot.store.programmes import Overview

VIEW_BLOCKS = 100  # Slack's limit for a Home tab
BLOCKS_PER_PROGRAMME = 2  # its state, and its buttons


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def signup_state(overview: Overview, *, today: date) -> str:
    """Sign-up open (until when) or closed."""
    programme = overview.programme
    if not signup_is_open(
        signup_open=programme.signup_open, deadline=programme.signup_deadline, today=today
    ):
        return "sign-up closed"
    if programme.signup_deadline is None:
        return "sign-up open"
    return f"sign-up open until {long_date(programme.signup_deadline)}"


def round_state(overview: Overview) -> str:
    """Whether a round is under way: pairs meeting, proposals awaiting answers."""
    if not overview.pairs and not overview.proposals:
        return "no round in progress"
    parts = ["round in progress", _plural(overview.pairs, "pair")]
    if overview.proposals:
        parts.append(_plural(overview.proposals, "proposal") + " awaiting answers")
    return ", ".join(parts)


def state_line(overview: Overview, *, today: date) -> str:
    """One programme's state in a line of mrkdwn (the name cut and inert)."""
    name = inert(shorten(overview.programme.name, 80))
    pilot = " (pilot)" if overview.programme.pilot else ""
    people = (
        f"{_plural(overview.signed_up, 'person', 'people')} signed up, "
        f"{overview.waiting} waiting for a match"
    )
    return (
        f"*{name}*{pilot}\n{signup_state(overview, today=today).capitalize()} · "
        f"{round_state(overview)} · {people}"
    )


def archive_confirm(overview: Overview, *, retention_months: int) -> ConfirmObject:
    """The confirm dialog of *Archive*: what archiving does, said before it is done."""
    name = shorten(overview.programme.name, 80)
    text = (
        f"“{name}” leaves every menu and can't be joined or matched any more. "
        f"Active pairs that end now: {overview.pairs}. Proposals that expire: "
        f"{overview.proposals}. Everyone in them is told kindly. "
        f"Its personal data is deleted {retention_months} months from now."
    )
    return ConfirmObject(
        title="Archive this programme?",
        text=PlainTextObject(text=fit_to(text, CONFIRM_TEXT), emoji=False),
        confirm="Archive",
        deny="Keep it",
        style="danger",
    )


def programme_buttons(overview: Overview, *, retention_months: int) -> ActionsBlock:
    """Edit, match (a preview), stats, announce, archive: the owner actions of one programme."""
    value = str(overview.programme.id)
    return ActionsBlock(
        block_id=f"programme_{value}",
        elements=[
            ButtonElement(text="Edit", action_id=Action.HOME_EDIT, value=value),
            ButtonElement(text="Match (preview)", action_id=Action.HOME_MATCH, value=value),
            ButtonElement(text="Stats", action_id=Action.HOME_STATS, value=value),
            ButtonElement(text="Announce", action_id=Action.HOME_ANNOUNCE, value=value),
            ButtonElement(
                text="Archive",
                action_id=Action.HOME_ARCHIVE,
                value=value,
                style="danger",
                confirm=archive_confirm(overview, retention_months=retention_months),
            ),
        ],
    )


def owner_blocks(
    overviews: Sequence[Overview], *, today: date, room: int, retention_months: int
) -> list[Block]:
    """The owner part of the App Home, in at most `room` blocks (the rest named by count)."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Your programmes")),
    ]
    if not overviews:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="You own no current programme. `/mentoring programme new <name>` "
                    "creates one."
                )
            )
        )
        return [*blocks, DividerBlock()]
    # The header, a closing note and a divider take three; each programme takes two.
    fits = max(0, (room - 3) // BLOCKS_PER_PROGRAMME)
    shown = overviews if len(overviews) <= fits else overviews[: max(0, fits)]
    for overview in shown:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=state_line(overview, today=today))))
        blocks.append(programme_buttons(overview, retention_months=retention_months))
    rest = len(overviews) - len(shown)
    note = "`/mentoring programmes` lists them all." if rest else ""
    if rest:
        note = f"…and {_plural(rest, 'more programme')}: " + note
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    blocks.append(DividerBlock())
    return blocks


def programmes_message(overviews: Sequence[Overview], *, today: date) -> Message:
    """The answer to `/mentoring programmes`: each programme the owner runs, with its state."""
    if not overviews:
        text = "You own no current programme. `/mentoring programme new <name>` creates one."
        return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
    sections: list[str] = []
    for overview in overviews:
        line = state_line(overview, today=today)
        if sections and len(sections[-1]) + 2 + len(line) <= SECTION_TEXT:
            sections[-1] += "\n\n" + line
        else:
            sections.append(line)
    head = f"*Your programmes* ({len(overviews)}); archived ones are not listed."
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=head))]
    room = MESSAGE_BLOCKS - 2  # the heading, and a note on what was left out
    blocks += [SectionBlock(text=MarkdownTextObject(text=s)) for s in sections[:room]]
    if len(sections) > room:
        left = sum(s.count("\n\n") + 1 for s in sections[room:])
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=f"…and {_plural(left, 'more programme')}, not shown here."
                    )
                ]
            )
        )
    return Message(text=f"Your programmes ({len(overviews)})", blocks=blocks)
