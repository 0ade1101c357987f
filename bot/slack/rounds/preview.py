"""The owner's matching preview at any size: pairs by page, who is left over by reason, a CSV.

A preview of 10,000 people stays inside Slack's limits: at most PAIRS_PER_PAGE pairs per
message (Next/Previous replace it with another page), the people left over counted by reason
with a few names each, and the full lists in a CSV sent to the owner's DM after the ack.
"""

import csv
import io
from collections import defaultdict

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.text import inert
from bot.flows.rounds import Preview
from bot.slack.core.ids import Action
from bot.slack.rounds.blocks import fit_words, reasons_for
from bot.slack.ui import (
    CONFIRM_TEXT,
    CONFIRM_TITLE,
    CONTEXT_TEXT,
    SECTION_TEXT,
    Message,
    fit_to,
    mention,
)

PAIRS_PER_PAGE = 10
NAMES_PER_REASON = 3


def pages_of(preview: Preview) -> int:
    """How many pages the preview's pairs take (at least one)."""
    return max(1, -(-len(preview.proposals) // PAIRS_PER_PAGE))


def page_value(round_id: int, page: int) -> str:
    """A page button's value: the round and the page it shows."""
    return f"{round_id}:{page}"


def _pair_line(preview: Preview, index: int) -> SectionBlock:
    programme, proposal = preview.programme, preview.proposals[index]
    why = "; ".join(reasons_for(proposal, viewer=None)) or "a good overall fit"
    head = (
        f"{index + 1}. {mention(proposal.mentor_id)} ({inert(programme.share_word)}) "
        f"with {mention(proposal.mentee_id)} ({inert(programme.learn_word)}) · "
        f"{fit_words(proposal)}\n"
    )
    return SectionBlock(text=MarkdownTextObject(text=fit_to(head + why, SECTION_TEXT)))


def _left_over(preview: Preview) -> list[Block]:
    """Who is left over, by reason: a count and a few names per reason."""
    if not preview.unmatched:
        return []
    groups: dict[str, list[str]] = defaultdict(list)
    for user, reason in preview.unmatched:
        groups[reason].append(user)
    lines = []
    for reason, users in sorted(groups.items(), key=lambda g: -len(g[1])):
        names = ", ".join(mention(u) for u in users[:NAMES_PER_REASON])
        more = f" and {len(users) - NAMES_PER_REASON} more" if len(users) > NAMES_PER_REASON else ""
        lines.append(f"• *{len(users)}* {reason}: {names}{more}")
    text = f"*Left over ({len(preview.unmatched)})*\n" + "\n".join(lines)
    return [SectionBlock(text=MarkdownTextObject(text=fit_to(text, SECTION_TEXT)))]


def _chart_note(preview: Preview) -> list[Block]:
    """How many survey answers about a manager the org chart contradicts (never whose)."""
    count = preview.chart_disagreements
    if not count:
        return []
    text = (
        f":warning: {count} {'person' if count == 1 else 'people'} named a line manager in the "
        "survey who is not their manager in the org chart. Neither line is crossed: nobody is "
        "paired across the chart's reporting lines or the survey's. Check the org chart."
    )
    return [ContextBlock(elements=[MarkdownTextObject(text=fit_to(text, CONTEXT_TEXT))])]


def _buttons(preview: Preview, page: int) -> ActionsBlock:
    round_id, count = preview.round.id, len(preview.proposals)
    elements: list[ButtonElement] = []
    if page > 1:
        elements.append(
            ButtonElement(
                text="Previous",
                action_id=Action.ROUND_PREVIOUS,
                value=page_value(round_id, page - 1),
            )
        )
    if page < pages_of(preview):
        elements.append(
            ButtonElement(
                text="Next",
                action_id=Action.ROUND_NEXT,
                value=page_value(round_id, page + 1),
            )
        )
    if count:
        ask = (
            f"This sends {count} proposal{'s' if count != 1 else ''}: each of the "
            f"{2 * count} people is asked privately whether they accept."
        )
        elements.append(
            ButtonElement(
                text="Confirm and ask them",
                action_id=Action.ROUND_CONFIRM,
                value=str(round_id),
                style="primary",
                confirm=ConfirmObject(
                    title=fit_to(f"Send {count} proposals?", CONFIRM_TITLE),
                    text=fit_to(ask, CONFIRM_TEXT),
                    confirm="Send them",
                    deny="Not yet",
                ),
            )
        )
    elements.append(
        ButtonElement(text="Cancel", action_id=Action.ROUND_CANCEL, value=str(round_id))
    )
    return ActionsBlock(block_id="round", elements=elements)


def match_preview(preview: Preview, *, page: int = 1) -> Message:
    """One page of the owner's preview: pairs with reasons, who is left and why, the buttons."""
    programme, proposals = preview.programme, preview.proposals
    page = min(max(page, 1), pages_of(preview))
    first = (page - 1) * PAIRS_PER_PAGE
    summary = (
        f"*{inert(programme.name)}*: {len(proposals)} pairs proposed, "
        f"{len(preview.unmatched)} people left unmatched. Nothing is sent until you confirm; "
        "then each person is asked privately whether they accept. The full lists are in a "
        "CSV sent to your DM."
    )
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Matching preview")),
        SectionBlock(text=MarkdownTextObject(text=fit_to(summary, SECTION_TEXT))),
    ]
    blocks += [
        _pair_line(preview, i) for i in range(first, min(first + PAIRS_PER_PAGE, len(proposals)))
    ]
    if pages_of(preview) > 1:
        where = f"Page {page} of {pages_of(preview)}: pairs {first + 1}–" + str(
            min(first + PAIRS_PER_PAGE, len(proposals))
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=fit_to(where, CONTEXT_TEXT))]))
    blocks += _left_over(preview)
    blocks += _chart_note(preview)
    blocks.append(_buttons(preview, page))
    return Message(text=f"Matching preview: {len(proposals)} pairs", blocks=blocks)


def preview_csv(preview: Preview) -> bytes:
    """Every proposed pair and everyone left over with the reason, for the owner."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "share", "learn", "fit", "why"])
    for proposal in preview.proposals:
        why = "; ".join(reasons_for(proposal, viewer=None)).replace("<@", "").replace(">", "")
        writer.writerow(["pair", proposal.mentor_id, proposal.mentee_id, proposal.fit or "", why])
    for user, reason in preview.unmatched:
        writer.writerow(["left over", user, "", "", reason])
    return out.getvalue().encode()
