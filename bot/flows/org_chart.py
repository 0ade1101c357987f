"""The org chart journey: the directory's lines in, and people it drops erased as by `leave`."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain import org_csv
from bot.domain.org_chart import OrgEntry, disagreements
from bot.domain.org_csv import ParsedCsv, RowProblem
from bot.domain.states import OrgSource
from bot.flows import audit
from bot.flows.errors import Refusal
from bot.flows.notify import Notifier
from bot.flows.participants import leave
from bot.store import org_chart, participants, programmes
from bot.store.models import Participant


def depart(
    *, session: Session, team_id: str, user_id: str, now: datetime, notifier: Notifier
) -> bool:
    """The directory dropped someone: out of the chart, every pool, and erased as by `leave`.

    True if they were in the chart or a programme.
    """
    charted = org_chart.remove(session=session, team_id=team_id, user_id=user_id)
    left = leave(session=session, team_id=team_id, user_id=user_id, now=now, notifier=notifier)
    return charted or left


def replace(
    *,
    session: Session,
    team_id: str,
    source: OrgSource,
    entries: Sequence[OrgEntry],
    now: datetime,
    notifier: Notifier,
) -> list[str]:
    """A full load of one source: its lines become `entries`; whoever it dropped departs."""
    gone = org_chart.replace_source(
        session=session, team_id=team_id, source=source, entries=entries, now=now
    )
    for user_id in gone:
        leave(session=session, team_id=team_id, user_id=user_id, now=now, notifier=notifier)
    return gone


@dataclass(frozen=True)
class ChartLines:
    """The chart's reporting lines for matching, by pseudonym, and how many survey answers
    about a manager disagree with it (neither line is crossed: the engine forbids both)."""

    managers: Mapping[str, str | None]
    disagreements: int


def lines_for_matching(
    *, session: Session, team_id: str, pool: Sequence[Participant], now: datetime
) -> ChartLines:
    """The team's chart as the engine's `managers` (pseudonyms, like `Person.user_id`)."""
    chart = org_chart.reporting_lines(session=session, team_id=team_id)
    if not chart:
        return ChartLines(managers={}, disagreements=0)
    charted = {row.user_id for row in org_chart.people(session=session, team_id=team_id)}
    everyone = sorted(charted | set(chart.values()) | {p.user_id for p in pool})
    refs = participants.person_refs(session=session, team_id=team_id, user_ids=everyone, now=now)
    managers: dict[str, str | None] = {refs[u]: refs[boss] for u, boss in chart.items()}
    answers = {refs[p.user_id]: p.manager_ref for p in pool}
    count = disagreements(answers, managers, {refs[u] for u in charted})
    return ChartLines(managers=managers, disagreements=count)


@dataclass(frozen=True)
class ImportReport:
    """What a CSV import did: the rows it could not understand (then nothing was applied), or
    how many people the chart now holds and who left it (erased as by `leave`)."""

    problems: Sequence[RowProblem]
    people: int = 0
    with_manager: int = 0
    departed: int = 0

    @property
    def applied(self) -> bool:
        """Whether the chart was replaced (only when no row had a problem)."""
        return not self.problems


def import_csv(
    *,
    session: Session,
    team_id: str,
    parsed: ParsedCsv,
    slack_ids: Mapping[str, str | None],
    now: datetime,
    notifier: Notifier,
    loaded_by: str | None = None,
) -> ImportReport:
    """A full CSV import: every row understood, or nothing changed; it replaces the CSV source.

    `slack_ids` holds the Slack id of each email the file names (looked up before, outside
    the transaction); someone the CSV source named before and this file does not departs.
    """
    entries, problems = org_csv.resolve(parsed, slack_ids)
    if problems:
        return ImportReport(problems=problems)
    gone = replace(
        session=session,
        team_id=team_id,
        source=OrgSource.CSV,
        entries=entries,
        now=now,
        notifier=notifier,
    )
    report = ImportReport(
        problems=(),
        people=len(entries),
        with_manager=sum(1 for e in entries if e.manager_id),
        departed=len(gone),
    )
    if loaded_by is not None:  # an owner in Slack (the command line has no Slack user)
        detail = f"{report.people} people, {report.with_manager} with a manager"
        audit.record(
            session=session,
            team_id=team_id,
            user_id=loaded_by,
            action=audit.AuditAction.ORG_CHART_LOADED,
            detail=detail + (f"; {report.departed} left" if report.departed else ""),
            now=now,
        )
    return report


CHART_OWNERS_ONLY = (
    "Only owners of every programme (those named at install) can load the org chart, so "
    "nothing was changed."
)


def require_chart_owner(
    *, session: Session, configured: Collection[str], team_id: str, user_id: str
) -> None:
    """Refuse politely unless this person owns every programme: the chart is the company's."""
    if user_id in configured or programmes.owns_everything(
        session=session, team_id=team_id, user_id=user_id
    ):
        return
    raise Refusal(CHART_OWNERS_ONLY)
