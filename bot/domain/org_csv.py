"""Reading an org chart CSV (pure): columns `person`, `manager` and optionally `department`.

Each person and manager is an email address or a Slack user id. Every row that cannot be
understood is reported with its line number and the reason, and one such row is enough for
nothing to be applied: a half-loaded chart would forbid some reporting lines and not others.
"""

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.org_chart import OrgEntry, chain_above
from bot.domain.slack_ids import is_user_id
from bot.domain.text import clean, shorten

MAX_BYTES = 5_000_000
MAX_ROWS = 50_000
DEPARTMENT_LENGTH = 80  # the org_people column
EMAIL_LENGTH = 254
SHOWN = 40  # characters of a cell quoted back in a reason
COLUMNS = ("person", "manager", "department")
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


@dataclass(frozen=True)
class CsvRow:
    """One understood row: who, their manager (None at the top), their department."""

    line: int
    person: str  # a Slack user id, or a lower-cased email address
    manager: str | None
    department: str | None


@dataclass(frozen=True)
class RowProblem:
    """Why a line of the file was not understood (line 0: the file as a whole)."""

    line: int
    reason: str


@dataclass(frozen=True)
class ParsedCsv:
    """The rows understood and the problems found."""

    rows: tuple[CsvRow, ...]
    problems: tuple[RowProblem, ...]


def _quoted(value: str) -> str:
    return f"“{shorten(value, SHOWN)}”"


def _who(value: str) -> str | None:
    """A cell as a Slack user id or a lower-cased email address; None if it is neither."""
    if is_user_id(value):
        return value
    if len(value) <= EMAIL_LENGTH and _EMAIL.fullmatch(value):
        return value.casefold()
    return None


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _header(names: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Where each known column is, and what is wrong with the header."""
    wanted = [clean(name).casefold() for name in names]
    where = {name: wanted.index(name) for name in COLUMNS if name in wanted}
    missing = [name for name in ("person", "manager") if name not in where]
    problems = [f"the header has no “{name}” column" for name in missing]
    doubled = sorted({n for n in wanted if n in COLUMNS and wanted.count(n) > 1})
    problems += [f"the header has “{name}” twice" for name in doubled]
    return where, problems


def parse(data: bytes) -> ParsedCsv:
    """Every row of the file, understood or reported."""
    if len(data) > MAX_BYTES:
        return ParsedCsv((), (RowProblem(0, f"the file is over {MAX_BYTES // 1_000_000} MB"),))
    text = _text(data)
    if text is None:
        return ParsedCsv((), (RowProblem(0, "the file is not UTF-8 text (save it as CSV UTF-8)"),))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return ParsedCsv((), (RowProblem(1, f"not readable as CSV ({error})"),))
    if header is None:
        return ParsedCsv((), (RowProblem(0, "the file is empty"),))
    where, header_problems = _header(header)
    if header_problems:
        return ParsedCsv((), tuple(RowProblem(1, p) for p in header_problems))
    rows: list[CsvRow] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            problems.append(RowProblem(reader.line_num, f"not readable as CSV ({error})"))
            break
        if cells is None:
            break
        if not any(c.strip() for c in cells):
            continue  # blank lines are no one
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(reader.line_num, f"more than {MAX_ROWS:,} rows"))
            break
        row, problem = _row(reader.line_num, cells, where, len(header), first_line)
        if problem is not None:
            problems.append(RowProblem(reader.line_num, problem))
        elif row is not None:
            first_line[row.person] = row.line
            rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(0, "the file has a header but nobody in it"))
    return ParsedCsv(tuple(rows), tuple(problems))


def _row(
    line: int, cells: list[str], where: Mapping[str, int], width: int, seen: Mapping[str, int]
) -> tuple[CsvRow | None, str | None]:
    """One row understood, or the reason it is not."""
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return None, f"{len(cells)} cells, but the header has {width} columns"

    def cell(name: str) -> str:
        index = where.get(name)
        return clean(cells[index]) if index is not None and index < len(cells) else ""

    person_cell, manager_cell, department = cell("person"), cell("manager"), cell("department")
    if not person_cell:
        return None, "no person"
    person = _who(person_cell)
    if person is None:
        return None, f"person {_quoted(person_cell)} is not an email address or a Slack user id"
    manager = _who(manager_cell) if manager_cell else None
    if manager_cell and manager is None:
        return None, f"manager {_quoted(manager_cell)} is not an email address or a Slack user id"
    if manager == person:
        return None, f"{_quoted(person_cell)} is named as their own manager"
    if len(department) > DEPARTMENT_LENGTH:
        return None, f"the department is over {DEPARTMENT_LENGTH} characters"
    if person in seen:
        return None, f"{_quoted(person_cell)} is already on line {seen[person]}"
    return CsvRow(line, person, manager, department or None), None


def emails(parsed: ParsedCsv) -> list[str]:
    """Every email address the rows name (to look up in Slack), in order, once each."""
    found = [who for r in parsed.rows for who in (r.person, r.manager) if who and "@" in who]
    return list(dict.fromkeys(found))


def resolve(
    parsed: ParsedCsv, slack_ids: Mapping[str, str | None]
) -> tuple[list[OrgEntry], list[RowProblem]]:
    """The chart's lines once emails are Slack ids, and the rows that still fail.

    `slack_ids` maps each looked-up email to its Slack user id (None: nobody in Slack).
    """
    problems = list(parsed.problems)
    entries: list[OrgEntry] = []
    first: dict[str, int] = {}
    for row in parsed.rows:
        person = slack_ids.get(row.person) if "@" in row.person else row.person
        manager = row.manager
        if manager is not None and "@" in manager:
            manager = slack_ids.get(manager)
        reason = None
        if person is None:
            reason = f"no Slack user has the email address {_quoted(row.person)}"
        elif row.manager is not None and manager is None:
            reason = f"no Slack user has the manager's email address {_quoted(row.manager)}"
        elif person == manager:
            reason = "the person and the manager are the same Slack user"
        elif person in first:
            reason = f"the same Slack user as line {first[person]}"
        if reason is not None or person is None:
            problems.append(RowProblem(row.line, reason or ""))
            continue
        first[person] = row.line
        email = row.person if "@" in row.person else None
        entries.append(OrgEntry(person, manager, email, row.department))
    problems += _cycles(entries, first)
    return entries, sorted(problems, key=lambda p: p.line)


def _cycles(entries: Sequence[OrgEntry], lines: Mapping[str, int]) -> list[RowProblem]:
    """Rows whose chain of managers comes back to them: nobody can be above themselves."""
    managers = {e.user_id: e.manager_id for e in entries if e.manager_id is not None}
    found = []
    for entry in entries:
        above = chain_above(entry.user_id, managers)
        last = managers.get(above[-1]) if above else None
        if last == entry.user_id:
            reason = "a reporting cycle: this person is above themselves"
            found.append(RowProblem(lines[entry.user_id], reason))
    return found
