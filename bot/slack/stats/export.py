"""The CSV export of a programme's aggregate figures; withheld cells stay withheld."""

import csv
import io
from collections.abc import Iterator

from bot.domain.anonymity import Breakdown, Rate
from bot.domain.states import Side
from bot.domain.stats import Figures
from bot.domain.stats_text import WITHHELD, group_text, withheld
from bot.flows.stats import Report
from bot.slack.stats.blocks import CHOICE_WORDS, MET_WORDS

# Spreadsheet programs run cells starting with these as formulas; user text must not do that.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _count(value: int | None, minimum: int) -> str:
    # No thousands separator: spreadsheets read a plain number.
    return withheld(minimum) if value is None else str(value)


def _groups(
    figure: str, parts: Breakdown[str], minimum: int, *, total: bool = True
) -> Iterator[tuple[str, str, str]]:
    if total:
        released = parts.total is not None or parts.groups
        yield figure, "total", _count(parts.total, minimum) if released else WITHHELD
    for key, value in parts.groups:
        cell = group_text(parts, key, value, minimum) if value is None else str(value)
        yield figure, key, cell


def _rate(value: Rate | None) -> str:
    if value is None:
        return WITHHELD
    return str(round(value.low, 3)) if value.exact else f"{value.low:.1f}-{value.high:.1f}"


def _mean(value: tuple[float, float] | None) -> str:
    if value is None:
        return WITHHELD
    return str(round(value[0], 3)) if value[0] == value[1] else f"{value[0]:.0f}-{value[1]:.0f}"


def _words(parts: Breakdown[str], words: dict[str, str]) -> Breakdown[str]:
    """The programme's own words for a breakdown's keys (its role words, "new partner")."""
    return parts.relabel(lambda key: words.get(key, key))


def rows(report: Report) -> Iterator[tuple[str, str, str]]:
    """(figure, group, value) for every aggregate figure; withheld ones stay withheld."""
    f: Figures = report.figures
    m = f.minimum
    share_word, learn_word = f.role_words
    sides: dict[str, str] = {Side.SHARE: share_word, Side.LEARN: learn_word, Side.EITHER: "either"}
    yield from _groups("sign-ups by side", _words(f.sides, sides), m)
    yield from _groups("sign-ups by career stage", f.stages, m)
    yield from _groups("paused now", f.paused_now, m)
    yield from _groups("decided proposals", f.consent, m)
    yield "consent rate", "", _rate(f.consent_rate)
    yield "active pairs", "", _count(f.active_pairs, m)
    yield "pairs that have met", "", _rate(f.met_rate)
    yield "pairs at risk", "", _count(f.pairs_at_risk, m)
    yield "check-in response rate", "", _rate(f.response_rate)
    yield "check-ins: share who met", "", _rate(f.met_share)
    yield from _groups("check-ins: did you meet", _words(f.met, MET_WORDS), m)
    yield from _groups("check-ins: usefulness", f.usefulness, m)
    yield "average usefulness", "", _mean(f.average_usefulness)
    yield from _groups("round end", _words(f.round_end, CHOICE_WORDS), m)
    topics = f.topics.relabel(lambda k: report.topic_labels.get(k, k))
    yield from _groups("prompt topics", topics, m)
    yield "pauses", "", _count(f.pauses, m)
    yield "leavers", "", _count(f.leavers, m)
    for name, series in (
        ("sign-ups by period", f.weekly.signups),
        ("check-ins by period", f.weekly.checkins),
        ("active pairs by period", f.weekly.meetings),
    ):
        yield from _groups(name, series.relabel(lambda day: day.isoformat()), m, total=False)


def csv_bytes(report: Report) -> bytes:
    """The figures as a UTF-8 CSV file with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["programme", "figure", "group", "value"])
    for figure, group, value in rows(report):
        writer.writerow([_cell(report.figures.name), figure, _cell(group), value])
    return buffer.getvalue().encode("utf-8")
