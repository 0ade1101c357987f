"""The CSV export of a programme's aggregate figures; withheld cells stay withheld."""

import csv
import io
from collections.abc import Iterator

from bot.domain.anonymity import Breakdown
from bot.domain.profile import STAGES
from bot.domain.stats import NO_SCORE, WITHHELD, Figures, group_text, withheld
from bot.flows.stats import Report

# Spreadsheet programs run cells starting with these as formulas; user text must not do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _count(value: int | None, minimum: int) -> str:
    # No thousands separator: spreadsheets read a plain number.
    return withheld(minimum) if value is None else str(value)


def _groups(figure: str, parts: Breakdown[str], minimum: int) -> Iterator[tuple[str, str, str]]:
    yield figure, "total", _count(parts.total, minimum)
    for key, value in parts.groups:
        cell = group_text(parts, key, value, minimum) if value is None else str(value)
        yield figure, key, cell


def _measure(value: float | None) -> str:
    return WITHHELD if value is None else str(round(value, 3))


def rows(report: Report) -> Iterator[tuple[str, str, str]]:
    """(figure, group, value) for every aggregate figure; withheld ones stay withheld."""
    f: Figures = report.figures
    m = f.minimum
    yield from _groups("sign-ups by side", f.sides, m)
    yield from _groups("sign-ups by career stage", f.stages.relabel(lambda k: STAGES[k]), m)
    yield from _groups("paused now", f.paused_now, m)
    yield from _groups("decided proposals", f.consent, m)
    yield "consent rate", "", _measure(f.consent_rate)
    yield "active pairs", "", _count(f.active_pairs, m)
    yield "meetings logged", "", _count(f.meetings, m)
    yield "meetings per pair per cadence", "", _measure(f.meetings_per_pair_per_cadence)
    yield "check-in response rate", "", _measure(f.response_rate)
    yield from _groups("check-ins: did you meet", f.met, m)
    scores = f.usefulness.relabel(lambda k: "no score" if k == NO_SCORE else str(k))
    yield from _groups("check-ins: usefulness", scores, m)
    yield "average usefulness", "", _measure(f.average_usefulness)
    yield from _groups("round end", f.round_end, m)
    topics = f.topics.relabel(lambda k: report.topic_labels.get(k, k))
    yield from _groups("prompt topics", topics, m)
    yield "pauses", "", _count(f.pauses, m)
    yield "leavers", "", _count(f.leavers, m)
    for name, series in (
        ("weekly sign-ups", f.weekly.signups),
        ("weekly check-ins", f.weekly.checkins),
        ("weekly meetings", f.weekly.meetings),
    ):
        yield from _groups(name, series.relabel(lambda week: week.isoformat()), m)


def csv_bytes(report: Report) -> bytes:
    """The figures as a UTF-8 CSV file with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["programme", "figure", "group", "value"])
    for figure, group, value in rows(report):
        writer.writerow([_cell(report.figures.name), figure, _cell(group), value])
    return buffer.getvalue().encode("utf-8")
