"""Every state and choice the bot stores, as StrEnums: one definition used by models, flows and
blocks. A member is its stored string, so rows written before these types read back unchanged.
"""

from enum import StrEnum


class Side(StrEnum):
    """Which side a person signs up for."""

    SHARE = "share"
    LEARN = "learn"
    EITHER = "either"


class AnswerSide(StrEnum):
    """The side an anonymous answer keeps: dropped to ANY when a side had fewer than k people."""

    SHARE = "share"
    LEARN = "learn"
    ANY = "any"


class Kind(StrEnum):
    """The kind of programme: who shares with whom."""

    REVERSE = "reverse"
    TRADITIONAL = "traditional"
    PEER = "peer"


class CrossDepartment(StrEnum):
    """Whether pairs must, or should, span two departments."""

    REQUIRED = "required"
    PREFERRED = "preferred"


class Style(StrEnum):
    """How a person describes their working style."""

    INTROVERT = "introvert"
    EXTROVERT = "extrovert"
    BETWEEN = "between"


class Meeting(StrEnum):
    """How a person prefers to meet."""

    VIDEO = "video"
    IN_PERSON = "in_person"
    EITHER = "either"


class RoundStatus(StrEnum):
    """A matching round: previewed by an owner, then confirmed or thrown away."""

    PREVIEW = "preview"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class ControlKind(StrEnum):
    """An owner's control over the round being previewed: keep a pair, or never pair two."""

    KEEP = "keep"
    NEVER = "never"


class ProposalStatus(StrEnum):
    """A proposed pair, from the preview to both people's answers."""

    DRAFT = "draft"
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ConsentAnswer(StrEnum):
    """One person's answer to a proposal."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


class PairStatus(StrEnum):
    """A pair that both accepted: meeting, or over."""

    ACTIVE = "active"
    ENDED = "ended"


class RequestKind(StrEnum):
    """What a person is asked privately: a check-in after a period, or the closing survey."""

    CHECKIN = "checkin"
    CLOSING = "closing"


class MetAnswer(StrEnum):
    """A check-in's "did you meet" answer."""

    YES = "yes"
    NO = "no"
    RESCHEDULED = "rescheduled"


class ClosingChoice(StrEnum):
    """What a person wants after a round."""

    CONTINUE = "continue"
    NEW_PARTNER = "new_partner"
    STOP = "stop"


class TallyKind(StrEnum):
    """What an anonymous tally counts."""

    LEFT = "left"
    PAUSED = "paused"


class OutboxStatus(StrEnum):
    """A stored Slack call, from queued to its end."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"


class MeetingStatus(StrEnum):
    """A meeting on a pair's record: planned (a picked time), asked (Did it happen?), held or
    missed. Only held meetings count as the pair having met."""

    PLANNED = "planned"
    ASKED = "asked"
    HELD = "held"
    MISSED = "missed"


class FirstMover(StrEnum):
    """Who proposes a pair's first meeting: the learning side or the sharing side."""

    LEARN = "learn"
    SHARE = "share"


class OrgSource(StrEnum):
    """Where a line of the org chart came from: an owner's CSV import or the SCIM directory."""

    CSV = "csv"
    SCIM = "scim"


class StillIn(StrEnum):
    """How the one "are you still in?" question to a quiet person was settled."""

    STILL_IN = "still_in"  # they said so
    PAUSED = "paused"  # they chose a date to pause until
    ACTIVE = "active"  # a check-in answer or a meeting came first
    SILENT = "silent"  # no answer for a whole period: paused, the pair ended
    CLOSED = "closed"  # their pair ended meanwhile
