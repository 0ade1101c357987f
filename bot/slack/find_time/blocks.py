"""Block Kit for finding a time: the first mover's reminder, the invite's note, "Did it happen?"."""

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot.domain.find_time import Place
from bot.domain.pairs import partner_of
from bot.domain.states import MeetingStatus
from bot.flows.find_time import Planned
from bot.slack.core.ids import Action
from bot.slack.ui import Message, mention, slack_time, text_message, time_choices
from bot.store.models import Meeting, Pair, Programme


def first_mover_reminder(
    pair: Pair,
    programme: Programme,
    *,
    user_id: str,
    place: Place,
    times: Sequence[datetime],
    skip: int = 0,
) -> Message:
    """The one private nudge to the first mover: nothing is planned yet; here are times."""
    text = (
        f"Nothing is planned yet with {mention(partner_of(pair, user_id))}. In this programme "
        "you're the one to propose your first meeting: pick one of these times and I'll post "
        "a calendar invite in your group DM, or agree another time between you."
    )
    return Message(
        text="Time to plan your first mentoring meeting",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=text)),
            *time_choices(
                pair_id=pair.id,
                place=place,
                times=times,
                skip=skip,
                length_minutes=programme.session_minutes,
            ),
        ],  # fmt: skip
    )


def invite_comment(planned: Planned) -> str:
    """The note with the uploaded invite in the pair's group DM."""
    return (
        f"{mention(planned.picked_by)} picked {slack_time(planned.start)} "
        f"({planned.length_minutes} minutes). Here's the calendar invite: open it to add the "
        "meeting to Google Calendar, Outlook or Apple Calendar."
    )


def planned_reply() -> str:
    """The private answer to *Pick this time*."""
    return "Planned! The calendar invite is on its way to your group DM."


def did_it_happen(meeting: Meeting) -> Message:
    """One tap for either person once a planned meeting's time has passed."""
    assert meeting.starts_at is not None
    value = str(meeting.id)
    return Message(
        text="Did your meeting happen?",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"Did your meeting on {slack_time(meeting.starts_at)} happen? "
                    "This is noted on your pair's record (not anonymous)."
                )
            ),
            ActionsBlock(
                block_id="did_it_happen",
                elements=[
                    ButtonElement(
                        text="Yes, we met",
                        action_id=Action.MEETING_HELD,
                        value=value,
                        style="primary",
                    ),
                    ButtonElement(text="No", action_id=Action.MEETING_MISSED, value=value),
                ],
            ),  # fmt: skip
        ],
    )


def meeting_answered(meeting: Meeting, *, answered_by: str) -> Message:
    """What replaces "Did it happen?" once answered."""
    assert meeting.starts_at is not None
    when = slack_time(meeting.starts_at)
    if meeting.status == MeetingStatus.HELD:
        return text_message(f"{mention(answered_by)} noted that you met on {when}. Well done!")
    return text_message(
        f"{mention(answered_by)} noted that the meeting on {when} didn't happen. "
        "No problem: pick another time from your next prompt, or agree one between you."
    )


def already_answered() -> str:
    """The private answer to a second tap."""
    return "That's already been answered, so nothing was changed."


def invite_not_sent() -> str:
    """The private answer when the invite could not be uploaded."""
    return (
        "The meeting is planned, but I couldn't post the calendar invite just now. "
        "It's noted all the same; add it to your calendars by hand."
    )
