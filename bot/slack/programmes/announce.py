"""Pure builders for announcing a programme: the channel post, its modal, and the command text."""

import json
import re
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.pause import long_date
from bot.domain.states import Kind
from bot.domain.text import inert, shorten, with_article
from bot.slack.core.envelope import MAX_ROW_ID
from bot.slack.core.ids import Action, Callback
from bot.slack.core.view_state import ViewState
from bot.slack.ui import HEADER_TEXT, SECTION_TEXT, Message, fit_to, mention
from bot.store.models import Programme

# How Slack escapes a channel in a slash command's text: <#C0123|general>, or <#C0123>.
CHANNEL = re.compile(r"<#([CG][A-Z0-9]{2,30})(?:\|[^>]*)?>")

NO_CHANNEL = (
    "Name the channel to announce in, as in `/mentoring announce #general` (or "
    "`/mentoring announce <programme name> #general`)."
)


def not_in_channel(channel_id: str) -> str:
    """How to invite the bot where it could not post."""
    return (
        f"I'm not in <#{channel_id}>, so nothing was posted. Invite me first: type "
        f"`/invite @Upward` in <#{channel_id}> (or open the channel's details, then "
        "*Integrations* › *Add apps*), then announce again."
    )


def parse_command(args: list[str]) -> tuple[str, str | None]:
    """The programme name and the channel id of `/mentoring announce [programme] #channel`."""
    channel = None
    words = []
    for word in args:
        found = CHANNEL.fullmatch(word)
        if found is not None and channel is None:
            channel = found.group(1)
        else:
            words.append(word)
    return " ".join(words), channel


def _who_for(programme: Programme) -> str:
    share, learn = inert(programme.share_word), inert(programme.learn_word)
    if programme.kind == Kind.REVERSE:
        return (
            f"Junior colleagues who'd like to be {with_article(share)}, sharing what they know "
            f"(digital skills, how younger staff see work), and senior colleagues who'd like "
            f"to be {with_article(learn)}, learning from them."
        )
    if programme.kind == Kind.TRADITIONAL:
        return (
            f"Experienced colleagues who'd like to be {with_article(share)}, and newer "
            f"colleagues who'd like to be {with_article(learn)}."
        )
    return f"Colleagues at similar stages, who take turns as {share} and {learn}."


def _weeks(count: int) -> str:
    return "every week" if count == 1 else f"every {count} weeks"


GROUND_RULES_IN_BRIEF = (
    "What a pair says stays between the two of them: nobody else, not line managers and not "
    "the programme owners, sees it. Both are there to learn, with respect. Check-in answers "
    "are anonymous. Anyone can pause or leave at any time."
)


def announcement(programme: Programme) -> Message:
    """The post that announces a programme in a channel, with a *Join* button for anyone."""
    name = shorten(programme.name, 80)
    deadline = (
        f"Sign up by *{long_date(programme.signup_deadline)}*."
        if programme.signup_deadline is not None
        else "Sign-up is open now."
    )
    lines = [
        f"*Who it is for:* {_who_for(programme)}",
        f"*Time it takes:* pairs meet {_weeks(programme.cadence_weeks)}, for rounds of "
        f"{programme.round_weeks} weeks; a short private check-in after each period.",
        f"*Ground rules, in brief:* {GROUND_RULES_IN_BRIEF}",
        f"*Sign-up:* {deadline} Nobody is paired until both people have privately accepted.",
    ]
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=fit_to(f"Join {name}", HEADER_TEXT), emoji=False))
    ]
    if programme.objective:
        objective = fit_to(inert(programme.objective), SECTION_TEXT - 40)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*What it is for:* {objective}")))
    blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines))))
    if programme.champions:
        names = ", ".join(mention(u) for u in programme.champions)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Senior champions:* {names}")))
    blocks.append(
        ActionsBlock(
            block_id="announce_join",
            elements=[
                ButtonElement(
                    text="Join",
                    action_id=Action.JOIN,
                    value=f"join:{programme.id}",
                    style="primary",
                )
            ],
        )
    )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="*Join* opens a short survey only you see; `/mentoring join` does too."
                )
            ]
        )
    )
    return Message(text=f"Join {inert(name)}: sign-up is open", blocks=blocks)


def announce_modal(programme: Programme) -> View:
    """The App Home's *Announce*: which channel to post the announcement in."""
    name = shorten(programme.name, 120)
    return View(
        type="modal",
        callback_id=Callback.ANNOUNCE,
        private_metadata=json.dumps({"programme": programme.id}),
        title="Announce",
        submit="Post",
        close="Cancel",
        blocks=[
            SectionBlock(
                text=PlainTextObject(text=f"Announce “{name}” in a channel.", emoji=False)
            ),
            InputBlock(
                block_id="channel",
                label="Channel",
                hint="Invite me to the channel first: /invite @Upward there.",
                element=ConversationSelectElement(
                    action_id="channel",
                    filter=ConversationFilter(
                        include=["public", "private"], exclude_bot_users=True
                    ),
                ),
            ),
        ],
    )


def read_announce(view: dict[str, Any]) -> tuple[int | None, str]:
    """The programme being announced (None if the metadata is odd) and the channel chosen."""
    state = ViewState.of(view)
    programme_id = state.metadata_field("programme")
    if isinstance(programme_id, bool) or not isinstance(programme_id, int):
        programme_id = None
    elif not 0 < programme_id <= MAX_ROW_ID:
        programme_id = None
    return programme_id, state.conversation("channel")


def announced(channel_id: str) -> str:
    """Confirms the post (mrkdwn)."""
    return f"Announced in <#{channel_id}>. Anyone there can click *Join* to sign up."
