"""Block Kit for matching rounds: the owner's preview, consent DMs, kick-off and goals."""

from collections.abc import Sequence
from datetime import UTC

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain import matching
from bot.domain.cadence import local
from bot.domain.introduction import About
from bot.domain.pairs import partner_of, side_of
from bot.domain.profile import GROUND_RULES
from bot.domain.prompt_files import default_library
from bot.domain.states import ProposalStatus, Side
from bot.domain.text import inert
from bot.flows.rounds import MAX_GOAL_LENGTH, MAX_GOALS, Preview
from bot.slack.core.ids import Action, Callback
from bot.slack.core.view_state import ViewState
from bot.slack.rounds.introduction import introduction
from bot.slack.ui import Message, exit_buttons, mention, text_message
from bot.store.models import Pair, Programme, Proposal

FIT_WORDS = {"strong": "strong fit", "good": "good fit", "weak": "weak fit"}


def fit_words(proposal: Proposal) -> str:
    """The pair's fit in words, never a raw score (older proposals have no label)."""
    return FIT_WORDS.get(proposal.fit or "", "fit not rated")


def reasons_for(proposal: Proposal, *, viewer: str | None) -> list[str]:
    """Why this pair, in words, for one of the two (or for the owner when viewer is None)."""
    labels = {t.id: t.label for t in default_library().topics}
    pair = matching.Match(
        mentor=proposal.mentor_id,
        mentee=proposal.mentee_id,
        score=proposal.score,
        reasons=tuple(matching.reason_from_dict(r) for r in proposal.reasons),
    )
    names = {u: mention(u) for u in (proposal.mentor_id, proposal.mentee_id)}
    return matching.describe(pair, viewer=viewer, names=names, topic_labels=labels)


def round_confirmed(preview: Preview) -> str:
    """What the owner sees once the proposals are on their way."""
    return (
        f"Done: {len(preview.proposals)} proposals sent. Each person answers privately; "
        "pairs start when both accept. Run `/mentoring match` again later for anyone left."
    )


def _weeks(count: int) -> str:
    return "every week" if count == 1 else f"every {count} weeks"


def answer_by(proposal: Proposal, *, offset_minutes: int) -> str:
    """When the consent window closes, in the viewer's own time ("Friday 4 December, 17:30")."""
    if proposal.expires_at is None:
        return "soon"
    moment = local(proposal.expires_at.replace(tzinfo=UTC), offset_minutes)
    return f"{moment:%A} {moment.day} {moment:%B, %H:%M}"


def what_it_is(proposal: Proposal, programme: Programme, *, offset_minutes: int) -> str:
    """The programme's name and commitment, and the date to answer by."""
    return (
        f"*{inert(programme.name)}*: you'd meet {_weeks(programme.cadence_weeks)} for "
        f"{programme.round_weeks} weeks. Please answer by "
        f"{answer_by(proposal, offset_minutes=offset_minutes)} (your time)."
    )


def consent_request(
    proposal: Proposal, programme: Programme, *, viewer: str, offset_minutes: int
) -> Message:
    """The private question to one of the two: the programme, who, why, by when, Accept or
    Decline."""
    other = partner_of(proposal, viewer)
    word = programme.share_word if side_of(proposal, viewer) == Side.SHARE else programme.learn_word
    role = inert(word)
    why = "\n".join(f"• {line}" for line in reasons_for(proposal, viewer=viewer))
    return Message(
        text="I've found you a mentoring partner: will you accept?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"I'd like to pair you with {mention(other)}, with you as the {role} "
                    f"({fit_words(proposal)} for this programme)."
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text=what_it_is(proposal, programme, offset_minutes=offset_minutes)
                )
            ),
            SectionBlock(text=MarkdownTextObject(text=f"*Why you two*\n{why or '• a good fit'}")),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Your answer is private. If either of you declines, the other only "
                        "hears that this match won't go ahead."
                    )
                ]
            ),
            ActionsBlock(
                block_id="consent",
                elements=[
                    ButtonElement(
                        text="Accept",
                        action_id=Action.CONSENT_ACCEPT,
                        value=str(proposal.id),
                        style="primary",
                    ),
                    ButtonElement(
                        text="Decline", action_id=Action.CONSENT_DECLINE, value=str(proposal.id)
                    ),
                ],
            ),
        ],
    )


def consent_reminder(
    proposal: Proposal, programme: Programme, *, viewer: str, offset_minutes: int
) -> Message:
    """One nudge a day before the consent window closes, to whoever has not answered."""
    when = answer_by(proposal, offset_minutes=offset_minutes)
    return text_message(
        f"A reminder: I proposed pairing you with {mention(partner_of(proposal, viewer))} in "
        f"{inert(programme.name)}, and the proposal closes {when} (your time). Accept or decline "
        "in my earlier message; if you'd rather not, declining is fine and stays private."
    )


def consent_answered(proposal: Proposal, *, viewer: str, accepted: bool) -> str:
    """What replaces the buttons once someone has answered."""
    other = mention(partner_of(proposal, viewer))
    if not accepted:
        return f"You declined. {other} will only hear that this match won't go ahead."
    if proposal.status == ProposalStatus.ACCEPTED:
        return f"You and {other} both accepted! I'm opening a group DM for the two of you."
    return f"Thanks, you accepted. I'll let you know as soon as {other} answers."


def consent_outcome(proposal: Proposal, *, viewer: str) -> Message:
    """What replaces a consent DM (or its "I'll let you know") once the proposal is decided."""
    if proposal.status == ProposalStatus.ACCEPTED:
        other = mention(partner_of(proposal, viewer))
        return text_message(f"You and {other} both accepted! Your group DM is on its way.")
    if proposal.status == ProposalStatus.EXPIRED:
        return text_message("This proposed match expired before both of you answered.")
    return text_message("This proposed match won't go ahead, so there is nothing to answer.")


def left_over() -> Message:
    """To someone the round could not pair: why in general terms, what next, how to pause."""
    return text_message(
        "This matching round couldn't find you a partner. That's usually the numbers, not you: "
        "more people wanted one role than the other this round, or the good matches were taken. "
        "You'll be first in line next round. If you'd rather sit it out, `/mentoring pause` "
        "stops matches until you `/mentoring resume`."
    )


def proposal_ended(*, expired: bool) -> Message:
    """To the other person (both on expiry): no reasons, no blame."""
    text = (
        "The proposed match expired before both of you answered, so it won't go ahead. "
        "You're back in the pool for the next round."
        if expired
        else "The proposed match won't go ahead. You're back in the pool for the next round."
    )
    return text_message(text)


def pairing_ended() -> Message:
    """To the partner of someone who left or stepped back: kind, no reasons."""
    return text_message(
        "Your mentoring pairing has ended. This happens, and it says nothing about you. "
        "You're back in the pool, and the next matching round will suggest someone new."
    )


SUGGESTED_FIRST_SESSION = (
    "*A suggested first session (30–45 minutes)*\n"
    "• Share your strengths and the things you'd like to get better at.\n"
    "• Agree your boundaries: what stays between you, what's off-limits.\n"
    "• Decide who sets up the meetings, and how often you'll meet.\n"
    "• Write down 1–3 goals for your time together (the button below)."
)


def kickoff(
    pair: Pair,
    programme: Programme,
    *,
    ended: bool = False,
    about: tuple[About, About] | None = None,
) -> Message:
    """The introduction in the pair's group DM; without its buttons once the pair has ended.
    `about` (mentor, mentee) adds how often to meet and what else each wrote."""
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
        SectionBlock(text=MarkdownTextObject(text="*Ground rules*\n" + GROUND_RULES)),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=SUGGESTED_FIRST_SESSION)),
    ]
    if ended:
        return Message(text="Your mentoring pair started here", blocks=blocks)
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


def goals_message(pair: Pair, *, set_by: str) -> Message:
    """The pair's goals, shown in their group DM (as plain text: they are the pair's words)."""
    listing = "\n".join(f"{n}. {goal}" for n, goal in enumerate(pair.goals, 1))
    return Message(
        text="Your goals are saved",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"{mention(set_by)} saved your goals:")),
            SectionBlock(text=PlainTextObject(text=listing, emoji=False)),
        ],
    )


def goals_modal(pair: Pair) -> View:
    """1–3 shared goals; only the pair sees them."""
    inputs: list[Block] = [
        InputBlock(
            block_id=f"goal_{n}",
            label=f"Goal {n}",
            optional=n > 1,
            element=PlainTextInputElement(
                action_id=f"goal_{n}",
                max_length=MAX_GOAL_LENGTH,
                initial_value=pair.goals[n - 1] if len(pair.goals) >= n else None,
            ),
        )
        for n in range(1, MAX_GOALS + 1)
    ]
    return View(
        type="modal",
        callback_id=Callback.GOALS,
        private_metadata=str(pair.id),
        title="Our goals",
        submit="Save",
        close="Cancel",
        blocks=[
            *inputs,
            ContextBlock(
                elements=[MarkdownTextObject(text="Only the two of you can see your goals.")]
            ),
        ],
    )


def goal_texts(state: ViewState) -> Sequence[str]:
    """The goals typed into the goals modal, in order."""
    return [state.text(f"goal_{n}") for n in range(1, MAX_GOALS + 1)]
