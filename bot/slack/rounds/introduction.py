"""The kick-off introduction's part about the two people: how often to meet, and what else
each wrote they can share or want to learn (their own words, shown as plain text)."""

from slack_sdk.models.blocks import Block, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.domain.introduction import About, how_often, suggested_per_month
from bot.domain.text import clean
from bot.slack.ui import SECTION_TEXT, fit_to, mention


def introduction(mentor: About, mentee: About, *, cadence_weeks: int) -> list[Block]:
    """The rhythm the pair's answers suggest, then each person's "anything else", if any."""
    suggested = suggested_per_month(mentor, mentee)
    every = "week" if cadence_weeks == 1 else f"{cadence_weeks} weeks"
    if mentor.meetings_per_month == mentee.meetings_per_month:
        said = f"You both said you can meet {how_often(suggested)}"
    else:
        said = (
            f"{mention(mentor.user_id)} said {how_often(mentor.meetings_per_month)} and "
            f"{mention(mentee.user_id)} {how_often(mentee.meetings_per_month)}"
        )
    rhythm = (
        f"*How often:* {said}, so I suggest meeting {how_often(suggested)}. "
        f"My prompts come every {every}; use the ones that fit your rhythm."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=rhythm))]
    for person in (mentor, mentee):
        lines = [
            f"Can also share: {clean(person.share_other)}" if clean(person.share_other) else "",
            f"Would also like to learn: {clean(person.learn_other)}"
            if clean(person.learn_other)
            else "",
        ]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=f"*In {mention(person.user_id)}'s words*")
                )
            )
            # Plain text: what they typed can never format, ping or link.
            blocks.append(
                SectionBlock(text=PlainTextObject(text=fit_to(text, SECTION_TEXT), emoji=False))
            )
    return blocks
