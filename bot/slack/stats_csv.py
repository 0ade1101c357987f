"""The CSV export of a programme's aggregate figures; withheld cells stay withheld."""

import csv
import io
from collections.abc import Iterator

from bot.domain.anonymity import Breakdown
from bot.domain.profile import STAGES
from bot.domain.stats import NO_SCORE, Figures, withheld
from bot.flows.stats import Report

# Spreadsheet programs run cells starting with these as formulas; user text must not do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _value(value: float | None, minimum: int) -> str:
    if value is None:
        return withheld(minimum)
    return str(round(value, 3)) if isinstance(value, float) else str(value)


def _groups(figure: str, parts: Breakdown[str], minimum: int) -> Iterator[tuple[str, str, str]]:
    yield figure, "total", _value(parts.total, minimum)
    for key, value in parts.groups:
        yield figure, key, _value(value, minimum)


def rows(report: Report) -> Iterator[tuple[str, str, str]]:
    """(figure, group, value) for every aggregate figure, withheld ones as "fewer than N"."""
    f: Figures = report.figures
    m = f.minimum
    yield from _groups("sign-ups by side", f.sides, m)
    stages = [(STAGES[k], v) for k, v in f.stages.groups]
    yield from _groups("sign-ups by career stage", Breakdown(f.stages.total, tuple(stages)), m)
    yield from _groups("paused now", f.paused_now, m)
    yield from _groups("decided proposals", f.consent, m)
    yield "consent rate", "", _value(f.consent_rate, m)
    yield "active pairs", "", _value(f.active_pairs, m)
    yield "meetings logged", "", _value(f.meetings, m)
    yield "meetings per pair per cadence", "", _value(f.meetings_per_pair_per_cadence, m)
    yield "check-in response rate", "", _value(f.response_rate, m)
    yield from _groups("check-ins: did you meet", f.met, m)
    scores = [("no score" if k == NO_SCORE else str(k), v) for k, v in f.usefulness.groups]
    yield from _groups("check-ins: usefulness", Breakdown(f.usefulness.total, tuple(scores)), m)
    yield "average usefulness", "", _value(f.average_usefulness, m)
    yield from _groups("round end", f.round_end, m)
    topics = [(report.topic_labels.get(k, k), v) for k, v in f.topics.groups]
    yield from _groups("prompt topics", Breakdown(f.topics.total, tuple(topics)), m)
    yield "pauses", "", _value(f.pauses, m)
    yield "leavers", "", _value(f.leavers, m)
    for name, series in (
        ("weekly sign-ups", f.weekly.signups),
        ("weekly check-ins", f.weekly.checkins),
        ("weekly meetings", f.weekly.meetings),
    ):
        weeks = [(week.isoformat(), v) for week, v in series.groups]
        yield from _groups(name, Breakdown(series.total, tuple(weeks)), m)


def csv_bytes(report: Report) -> bytes:
    """The figures as a UTF-8 CSV file with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["programme", "figure", "group", "value"])
    for figure, group, value in rows(report):
        writer.writerow([_cell(report.figures.name), figure, _cell(group), value])
    return buffer.getvalue().encode("utf-8")
