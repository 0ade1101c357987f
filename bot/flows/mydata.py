"""My data: everything Upward holds about one person, gathered for them to take away.

What it holds: their profile answers, programme, pairs (with their partners' Slack ids and the
pair's goals and meeting days), proposals, check-in requests (asked and whether answered, never
the answers: those are anonymous by design and cannot be tied back to anyone), audit entries of
their own actions, the messages still waiting to be sent to them, and their line in the org
chart (without their manager's id) and what the directory pushed about them over SCIM (without
who their manager is). Nothing else about anyone.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.working_hours import DAY_NAMES
from bot.store import mydata, org_chart, scim
from bot.store.models import Participant

Record = dict[str, Any]
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@dataclass(frozen=True)
class MyData:
    """One person's data, as plain records ready for JSON."""

    team_id: str
    user_id: str
    profile: Record | None
    programme: Record | None
    pairs: list[Record]
    proposals: list[Record]
    checkins: list[Record]
    pending_messages: list[Record]
    own_actions: list[Record]
    owner: bool
    champion_of: list[str]
    # Their line in the company's org chart (loaded by an owner or pushed by the directory).
    org_chart: Record | None = None
    # What the directory pushed about them over SCIM (without who their manager is).
    directory: Record | None = None

    def as_dict(self, *, now: datetime) -> Record:
        """The whole export, with when it was made."""
        return {
            "exported_at": now.isoformat(),
            "workspace": self.team_id,
            "you": self.user_id,
            "programme_owner": self.owner,
            "senior_champion_of": self.champion_of,
            "profile": self.profile,
            "programme": self.programme,
            "pairs": self.pairs,
            "proposals": self.proposals,
            "checkin_requests": self.checkins,
            "pending_messages": self.pending_messages,
            "your_actions_in_the_audit_trail": self.own_actions,
            "org_chart": self.org_chart,
            "directory": self.directory,
        }


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _profile(p: Participant) -> Record:
    return {
        "side": p.side,
        "career_stage": p.stage,
        "department": p.department,
        # Their answer names someone else: only that they named a manager is theirs to see here.
        "manager_named": p.manager_id is not None or p.manager_ref is not None,
        "shares": list(p.shares),
        "share_other": p.share_other,
        "learns": list(p.learns),
        "learn_other": p.learn_other,
        "working_style": p.style,
        "meeting_preference": p.meeting,
        "meetings_per_month": p.meetings_per_month,
        "goal": p.goal,
        "timezone": p.timezone,
        "utc_offset_minutes": p.utc_offset_minutes,
        "paused": p.paused,
        "paused_until": _plain(p.paused_until),
        "working_hours": {
            "start": f"{p.work_start_minute // 60:02d}:{p.work_start_minute % 60:02d}",
            "end": f"{p.work_end_minute // 60:02d}:{p.work_end_minute % 60:02d}",
            "days": [DAY_NAMES[int(d)] for d in p.work_days if d.isdigit() and int(d) < 7],
            "public_holidays_of": p.holiday_country,
        },
        "resumed_at": _plain(p.resumed_at),
        "waited_last_round": p.waited,
        "still_in_asked_at": _plain(p.still_in_asked_at),
        "ground_rules_version": p.ground_rules_version,
        "agreed_at": _plain(p.agreed_at),
        "joined_at": _plain(p.created_at),
        "updated_at": _plain(p.updated_at),
    }


def _side_and_partner(mentor_id: str, mentee_id: str, user_id: str) -> tuple[str, str]:
    return ("mentor", mentee_id) if mentor_id == user_id else ("mentee", mentor_id)


def gather(*, session: Session, team_id: str, user_id: str) -> MyData:
    """Everything stored about the person in this workspace."""
    rows = mydata.person_rows(session=session, team_id=team_id, user_id=user_id)
    pairs = []
    for pair in rows.pairs:
        role, partner = _side_and_partner(pair.mentor_id, pair.mentee_id, user_id)
        pairs.append(
            {
                "your_role": role,
                "partner": partner,
                "status": pair.status,
                "goals": list(pair.goals),
                "met_on": [d.isoformat() for d in rows.met_on.get(pair.id, [])],
                "meetings_not_confirmed": [
                    {"starts_at": _plain(start), "status": status}
                    for start, status in rows.planned.get(pair.id, [])
                ],
                "started_at": _plain(pair.started_at),
                "ended_at": _plain(pair.ended_at),
            }
        )
    proposals = []
    for proposal in rows.proposals:
        role, partner = _side_and_partner(proposal.mentor_id, proposal.mentee_id, user_id)
        answer = proposal.mentor_answer if role == "mentor" else proposal.mentee_answer
        proposals.append(
            {
                "your_role": role,
                "proposed_partner": partner,
                "status": proposal.status,
                "your_answer": answer,
                "proposed_at": _plain(proposal.created_at),
                "decided_at": _plain(proposal.decided_at),
            }
        )
    programme = rows.programme
    return MyData(
        team_id=team_id,
        user_id=user_id,
        profile=_profile(rows.participant) if rows.participant is not None else None,
        programme={"name": programme.name, "kind": programme.kind} if programme else None,
        pairs=pairs,
        proposals=proposals,
        checkins=[
            {
                "kind": r.kind,
                "period": r.period,
                "asked_at": _plain(r.asked_at),
                "answered": r.answered,
            }
            for r in rows.checkins
        ],
        pending_messages=[
            {"kind": m.method, "text": str(m.payload.get("text", "")), "due": _plain(m.not_before)}
            for m in rows.pending
        ],
        own_actions=[
            {"action": a.action, "detail": a.detail, "at": _plain(a.created_at)}
            for a in rows.actions
        ],
        owner=rows.owner,
        org_chart=_org_line(session=session, team_id=team_id, user_id=user_id),
        champion_of=list(rows.champion_of),
        directory=_directory(session=session, team_id=team_id, user_id=user_id),
    )


def _org_line(*, session: Session, team_id: str, user_id: str) -> Record | None:
    line = org_chart.get(session=session, team_id=team_id, user_id=user_id)
    if line is None:
        return None
    return {
        "email": line.email,
        # As with the survey: who their manager is names someone else.
        "manager_named": line.manager_id is not None,
        "department": line.department,
        "source": line.source,
        "updated_at": _plain(line.updated_at),
    }


def _directory(*, session: Session, team_id: str, user_id: str) -> Record | None:
    user = scim.of_member(session=session, team_id=team_id, slack_user_id=user_id)
    if user is None:
        return None
    attributes = dict(user.attributes)
    extension = attributes.get(ENTERPRISE)
    if isinstance(extension, dict) and "manager" in extension:
        # The manager's SCIM id and name are someone else's: only that one is named.
        attributes[ENTERPRISE] = {k: v for k, v in extension.items() if k != "manager"} | {
            "manager_named": True
        }
    return {
        "scim_id": user.id,
        "attributes": attributes,
        "updated_at": _plain(user.updated_at),
    }
