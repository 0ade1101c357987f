"""Pure builders for the org chart: the upload modal, and the report of an import."""

import json
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from bot.domain.org_csv import RowProblem
from bot.domain.text import inert
from bot.flows.org_chart import ImportReport
from bot.slack.core.ids import Callback
from bot.slack.core.view_state import ViewState
from bot.slack.ui import CONTEXT_TEXT, SECTION_TEXT, Message, fit_to

FILE_BLOCK = "org_csv"
PROBLEMS_SHOWN = 20  # lines of problems in the message; all of them are in the attached report
NOTHING_CHOSEN = "Choose the CSV file to load."

HELP = (
    "A CSV with a header row and the columns `person` and `manager` (each an email address "
    "or a Slack user id) and optionally `department`; one row per person, an empty manager "
    "for the top of the chart. It replaces the chart loaded from the last CSV: someone no "
    "longer in it leaves every programme and their data is deleted, as by `leave`. A file "
    "with any row I can't understand changes nothing, and I tell you which rows and why."
)


def chart_modal() -> View:
    """The owner's org chart upload: one CSV file."""
    return View(
        type="modal",
        callback_id=Callback.ORG_CHART,
        title="Org chart",
        submit="Load",
        close="Cancel",
        private_metadata=json.dumps({}),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=HELP)),
            InputBlock(
                block_id=FILE_BLOCK,
                label="Org chart (CSV)",
                element=FileInputElement(action_id=FILE_BLOCK, filetypes=["csv"], max_files=1),
            ),
        ],
    )


def chosen_file(view: dict[str, Any]) -> str | None:
    """The id of the file chosen in the modal, if one with a file id's shape was."""
    chosen = ViewState.of(view).file_ids(FILE_BLOCK)
    file_id = chosen[0] if chosen else ""
    return file_id if file_id.isascii() and file_id.isalnum() and 0 < len(file_id) < 24 else None


def problem_line(problem: RowProblem) -> str:
    """One problem in words (plain text; inert before it goes into mrkdwn)."""
    where = "The file" if problem.line == 0 else f"Line {problem.line}"
    return f"{where}: {problem.reason}"


def report_text(report: ImportReport) -> str:
    """The whole report as plain text, for the attached file and the command line."""
    if report.applied:
        return summary(report)
    lines = [summary(report), ""] + [problem_line(p) for p in report.problems]
    return "\n".join(lines) + "\n"


def summary(report: ImportReport) -> str:
    """What happened, in one or two sentences."""
    if not report.applied:
        count = len(report.problems)
        return (
            f"The org chart was not changed: the file has {count:,} "
            f"problem{'s' if count != 1 else ''}, each one below. Fix "
            f"{'them' if count != 1 else 'it'} and load the file again."
        )
    gone = (
        f" {report.departed} {'person' if report.departed == 1 else 'people'} no longer in it "
        "left every programme and their data was deleted."
        if report.departed
        else ""
    )
    return (
        f"The org chart is loaded: {report.people:,} "
        f"{'person' if report.people == 1 else 'people'}, {report.with_manager:,} with a "
        f"manager. Matching now never pairs anyone with someone in their chain of reports.{gone}"
    )


def import_report(report: ImportReport) -> Message:
    """The report sent to the owner: the summary, and the first problems (inert, cut)."""
    blocks: list[Any] = [SectionBlock(text=MarkdownTextObject(text=summary(report)))]
    if report.problems:
        shown = [f"• {inert(problem_line(p))}" for p in report.problems[:PROBLEMS_SHOWN]]
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=fit_to("\n".join(shown), SECTION_TEXT)))
        )
        if len(report.problems) > PROBLEMS_SHOWN:
            more = (
                f"… and {len(report.problems) - PROBLEMS_SHOWN:,} more: every row is in the "
                "attached report."
            )
            note = MarkdownTextObject(text=fit_to(more, CONTEXT_TEXT))
            blocks.append(ContextBlock(elements=[note]))
    return Message(text=summary(report), blocks=blocks)
