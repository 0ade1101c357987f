"""Block Kit for a new pair's kick-off in their group DM: introduction, who moves first, times."""

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.domain.find_time import Place, PlaceKind, first_mover_of
from bot.domain.introduction import About
from bot.domain.profile import GROUND_RULES
from bot.domain.text import inert
from bot.slack.core.ids import Action
from bot.slack.rounds.introduction import introduction
from bot.slack.ui import (
    CONTEXT_TEXT,
    Message,
    exit_buttons,
    fit_to,
    mention,
    text_message,
    time_choices,
)
from bot.store.models import Pair, Programme

SUGGESTED_FIRST_SESSION = (
    "*A suggested first session (30–45 minutes)*\n"
    "• Share your strengths and the things you'd like to get better at.\n"
    "• Agree your boundaries: what stays between you, what's off-limits.\n"
    "• Decide who sets up the meetings, and how often you'll meet.\n"
    "• Write down 1–3 goals for your time together (the button below)."
)


def first_mover_line(pair: Pair, programme: Programme) -> str:
    """Who proposes the first meeting, by name, as the programme says."""
    mover = first_mover_of(pair, programme.first_mover)
    side = programme.learn_word if mover == pair.mentee_id else programme.share_word
    return (
        f"*Who moves first:* {mention(mover)}, would you propose your first meeting? In this "
        f"programme the {inert(side)} does. Pick one of the times below, or agree your own."
    )


def objective_context(programme: Programme) -> list[Block]:
    """The programme's objective under the kick-off's introduction, when its owners gave one."""
    if not programme.objective:
        return []
    text = fit_to(f"*What the programme is for:* {inert(programme.objective)}", CONTEXT_TEXT)
    return [ContextBlock(elements=[MarkdownTextObject(text=text)])]


def kickoff(
    pair: Pair,
    programme: Programme,
    *,
    ended: bool = False,
    times: Sequence[datetime] = (),
    skip: int = 0,
    about: tuple[About, About] | None = None,
) -> Message:
    """The introduction in the pair's group DM, who moves first and suggested times; without
    its buttons once the pair has ended. `about` (mentor, mentee) adds how often to meet and
    what else each wrote."""
    share, learn = inert(programme.share_word), inert(programme.learn_word)
    intro = (
        f"Welcome, {mention(pair.mentor_id)} and {mention(pair.mentee_id)}! You both accepted, "
        f"so here you are: {mention(pair.mentor_id)} as {share}, "
        f"{mention(pair.mentee_id)} as {learn}. Only you two and I are in this "
        f"conversation. I'll drop in a conversation prompt about every {programme.cadence_weeks} "
        "weeks."
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        *(introduction(*about, cadence_weeks=programme.cadence_weeks) if about else ()),
        *objective_context(programme),
        SectionBlock(text=MarkdownTextObject(text="*Ground rules*\n" + GROUND_RULES)),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=SUGGESTED_FIRST_SESSION)),
    ]
    if ended:
        return Message(text="Your mentoring pair started here", blocks=blocks)
    blocks += [
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=first_mover_line(pair, programme))),
        *time_choices(
            pair_id=pair.id, place=Place(PlaceKind.KICKOFF, 0), times=times, skip=skip,
            length_minutes=programme.session_minutes,
        ),
    ]  # fmt: skip
    blocks.append(
        ActionsBlock(
            block_id="kickoff",
            elements=[
                ButtonElement(
                    text="Set our goals",
                    action_id=Action.SET_GOALS,
                    value=str(pair.id),
                    style="primary",
                ),
                *exit_buttons(str(pair.id)),
            ],
        )
    )
    return Message(text="Your mentoring pair starts here", blocks=blocks)


def pairing_ended_here() -> Message:
    """Posted once in an ended pair's group DM."""
    return text_message("This pairing has ended.")
