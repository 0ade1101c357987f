"""Reading an org chart CSV: what is understood, and each row that is not, with its line."""

from bot.domain.org_chart import OrgEntry
from bot.domain.org_csv import CsvRow, RowProblem, emails, parse, resolve


def test_a_clean_file_with_emails_ids_and_departments() -> None:
    data = (
        "\ufeffPerson , Manager,Department\r\nAna@Example.com,U0BOSS,Sales\r\n\r\nU0BOSS,,\r\n"
    ).encode()
    parsed = parse(data)
    assert parsed.problems == ()
    assert parsed.rows == (
        CsvRow(2, "ana@example.com", "U0BOSS", "Sales"),
        CsvRow(4, "U0BOSS", None, None),
    )
    assert emails(parsed) == ["ana@example.com"]
    entries, problems = resolve(parsed, {"ana@example.com": "U0ANA"})
    assert problems == []
    assert entries == [
        OrgEntry("U0ANA", "U0BOSS", "ana@example.com", "Sales"),
        OrgEntry("U0BOSS", None, None, None),
    ]


def test_every_bad_row_is_reported_with_its_line() -> None:
    data = (
        "person,manager,department\n"
        "U0A,U0B,\n"
        ",U0B,\n"
        "someone,,\n"
        "U0C,boss at work,\n"
        "U0D,U0D,\n"
        "U0A,,\n"
        f"U0E,,{'d' * 81}\n"
        "U0F,,,extra\n"
    ).encode()
    lines = {p.line: p.reason for p in parse(data).problems}
    assert lines == {
        3: "no person",
        4: "person “someone” is not an email address or a Slack user id",
        5: "manager “boss at work” is not an email address or a Slack user id",
        6: "“U0D” is named as their own manager",
        7: "“U0A” is already on line 2",
        8: "the department is over 80 characters",
        9: "4 cells, but the header has 3 columns",
    }


def test_files_that_are_not_a_chart() -> None:
    assert parse(b"").problems == (RowProblem(0, "the file is empty"),)
    assert parse(b"\xff\xfe p").problems[0].line == 0
    assert parse(b"person,manager\n").problems == (
        RowProblem(0, "the file has a header but nobody in it"),
    )
    header = parse(b"person,person\nU0A,U0B\n").problems
    assert [p.reason for p in header] == [
        "the header has no “manager” column",
        "the header has “person” twice",
    ]


def test_resolving_reports_unknown_emails_the_same_person_twice_and_cycles() -> None:
    parsed = parse(
        b"person,manager\na@x.org,U0B\nU0A,\nU0B,U0C\nU0C,U0B\nU0D,gone@x.org\nnobody@x.org,\n"
    )
    assert parsed.problems == ()
    entries, problems = resolve(
        parsed, {"a@x.org": "U0A", "gone@x.org": None, "nobody@x.org": None}
    )
    assert {p.line: p.reason for p in problems} == {
        3: "the same Slack user as line 2",
        4: "a reporting cycle: this person is above themselves",
        5: "a reporting cycle: this person is above themselves",
        6: "no Slack user has the manager's email address “gone@x.org”",
        7: "no Slack user has the email address “nobody@x.org”",
    }
    assert [e.user_id for e in entries] == ["U0A", "U0B", "U0C"]


def test_long_cells_are_cut_when_quoted_back() -> None:
    (problem,) = parse(f"person,manager\n{'x' * 500},\n".encode()).problems
    assert len(problem.reason) < 120 and "…" in problem.reason
