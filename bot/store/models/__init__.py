"""Typed SQLAlchemy models; every row carries its Slack team id, so workspaces can share a DB."""

from bot.store.models.answers import (
    AnswerRelease,
    Ballot,
    CheckinAnswer,
    ClosingAnswer,
    StatSnapshot,
    Tally,
)
from bot.store.models.base import Base, Choice, UTCDateTime
from bot.store.models.keep_going import CheckinRequest, Meeting, PairPrompt
from bot.store.models.org_chart import OrgPerson
from bot.store.models.people import Owner, Participant, Programme, Workspace
from bot.store.models.records import AuditEntry, OutboxMessage, SeenEvent, SeenSignature
from bot.store.models.rounds import Engagement, Pair, PastPair, Proposal, Round, RoundControl
from bot.store.models.scim import ScimUser

__all__ = [
    "AnswerRelease",
    "AuditEntry",
    "Ballot",
    "Base",
    "CheckinAnswer",
    "CheckinRequest",
    "Choice",
    "ClosingAnswer",
    "Engagement",
    "Meeting",
    "OrgPerson",
    "OutboxMessage",
    "Owner",
    "Pair",
    "PairPrompt",
    "Participant",
    "PastPair",
    "Programme",
    "Proposal",
    "Round",
    "RoundControl",
    "ScimUser",
    "SeenEvent",
    "SeenSignature",
    "StatSnapshot",
    "Tally",
    "UTCDateTime",
    "Workspace",
]
