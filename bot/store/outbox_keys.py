"""Every outbox key, and the prefixes that withdraw a group of them, in one place.

A key names one message to one person or channel; it is what makes a message go out once. The
senders (bot.slack.outbox.notifier) build keys here, and the flows that withdraw what an ended
pair or a closed proposal no longer needs use the prefixes here, so the two cannot drift apart.
"""

from datetime import date


def welcome(programme_id: int, user_id: str) -> str:
    """The welcome DM after a first sign-up to a programme."""
    return f"welcome:{programme_id}:{user_id}"


def programme_archived(programme_id: int, user_id: str) -> str:
    """The DM that a programme was archived, ending a person's proposal or pairing."""
    return f"archived:{programme_id}:{user_id}"


def resumed(user_id: str, until: date) -> str:
    """The DM that a pause ended on its date."""
    return f"resumed:{user_id}:{until.isoformat()}"


def consent(proposal_id: int, user_id: str) -> str:
    """One person's consent DM for a proposal."""
    return f"{consent_prefix(proposal_id)}{user_id}"


def consent_prefix(proposal_id: int) -> str:
    """Both consent DMs of a proposal."""
    return f"consent:{proposal_id}:"


def consent_reminder(proposal_id: int, user_id: str) -> str:
    """The reminder a day before a proposal expires (withdrawn with its consent DMs)."""
    return f"{consent_prefix(proposal_id)}reminder:{user_id}"


def left_over(round_id: int, user_id: str) -> str:
    """The DM to someone a confirmed round left unmatched."""
    return f"leftover:{round_id}:{user_id}"


def proposal_ended(proposal_id: int, user_id: str) -> str:
    """The DM that a proposal will not go ahead."""
    return f"ended:{proposal_id}:{user_id}"


def pairing_ended(pair_id: int, user_id: str) -> str:
    """The DM that a pairing has ended."""
    return f"ended-pair:{pair_id}:{user_id}"


def concern(submission_id: str, owner_id: str) -> str:
    """A concern's DM to one owner."""
    return f"concern:{submission_id}:{owner_id}"


def round_over(pair_id: int, user_id: str) -> str:
    """The DM that a pair won't carry on after its round."""
    return f"round-over:{pair_id}:{user_id}"


def pair_channel_prefix(pair_id: int) -> str:
    """Everything posted in a pair's group DM: kick-off, goals, prompts, nudges, next rounds."""
    return f"pair:{pair_id}:"


def kickoff(pair_id: int) -> str:
    """The pair's introduction."""
    return f"{pair_channel_prefix(pair_id)}kickoff"


def pair_ended(pair_id: int) -> str:
    """The note in the group DM that the pairing has ended."""
    return f"{pair_channel_prefix(pair_id)}ended"


def goals(pair_id: int, version: str) -> str:
    """One version of the pair's goals."""
    return f"{pair_channel_prefix(pair_id)}goals:{version}"


def round_continues(pair_id: int, round_index: int) -> str:
    """The note that both carry on into round `round_index`."""
    return f"{pair_channel_prefix(pair_id)}round:{round_index}"


def prompt(pair_id: int, period: int) -> str:
    """The conversation prompt of one cadence period."""
    return f"{pair_channel_prefix(pair_id)}prompt:{period}"


def nudge(pair_id: int, since: date) -> str:
    """The one nudge for a gap without a meeting that began on `since`."""
    return f"{pair_channel_prefix(pair_id)}nudge:{since}"


def meeting_check(pair_id: int, meeting_id: int) -> str:
    """The one "Did it happen?" about a planned meeting, in the pair's group DM."""
    return f"{pair_channel_prefix(pair_id)}meeting:{meeting_id}"


def first_mover_prefix(pair_id: int) -> str:
    """The reminder to a pair's first mover (withdrawn once a meeting is planned)."""
    return f"first-mover:{pair_id}:"


def first_mover(pair_id: int, user_id: str) -> str:
    """The one private reminder to a pair's first mover that nothing is planned yet."""
    return f"{first_mover_prefix(pair_id)}{user_id}"


def checkin_prefix(pair_id: int) -> str:
    """Every check-in DM of a pair's two people."""
    return f"checkin:{pair_id}:"


def checkin(pair_id: int, period: int, user_id: str) -> str:
    """One person's check-in DM for one period."""
    return f"{checkin_prefix(pair_id)}{period}:{user_id}"


def closing_prefix(pair_id: int) -> str:
    """Every closing-survey DM of a pair's two people."""
    return f"closing:{pair_id}:"


def closing(pair_id: int, round_index: int, user_id: str) -> str:
    """One person's closing-survey DM for one round."""
    return f"{closing_prefix(pair_id)}{round_index}:{user_id}"


def still_in_prefix(pair_id: int) -> str:
    """The "are you still in?" DMs to a pair's quiet people."""
    return f"still-in:{pair_id}:"


def still_in(pair_id: int, user_id: str, asked_on: date) -> str:
    """The one question to a quiet person, keyed by the day it is asked (one per silence)."""
    return f"{still_in_prefix(pair_id)}{user_id}:{asked_on.isoformat()}"


def paused_for_silence(pair_id: int, user_id: str) -> str:
    """The DM that an unanswered question paused the person."""
    return f"silent-paused:{pair_id}:{user_id}"


def of_pair(pair_id: int) -> tuple[str, ...]:
    """The prefixes of every message an ended pair no longer needs."""
    return (
        pair_channel_prefix(pair_id),
        checkin_prefix(pair_id),
        closing_prefix(pair_id),
        first_mover_prefix(pair_id),
        still_in_prefix(pair_id),
    )
