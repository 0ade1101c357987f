"""Block Kit for the owners' stats and audit trail (pure builders)."""

from collections.abc import Mapping, Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.domain.anonymity import Breakdown
from bot.domain.profile import GONE
from bot.domain.states import ClosingChoice, MetAnswer, Side
from bot.domain.stats_text import WITHHELD, Comparison, count_text, group_text, mean, percent
from bot.domain.text import inert, shorten
from bot.flows.audit import AuditAction
from bot.flows.stats import Report
from bot.slack.ui import Message
from bot.store.models import AuditEntry

MET_WORDS: dict[str, str] = {
    MetAnswer.YES: "met",
    MetAnswer.RESCHEDULED: "rescheduled",
    MetAnswer.NO: "did not meet",
}
CHOICE_WORDS: dict[str, str] = {
    ClosingChoice.CONTINUE: "continue",
    ClosingChoice.NEW_PARTNER: "new partner",
    ClosingChoice.STOP: "stop",
}
ACTION_WORDS: dict[str, str] = {
    AuditAction.STATS: "viewed stats",
    AuditAction.REFUSED: "was refused",
    AuditAction.AUDIT: "read the audit trail",
    AuditAction.PROGRAMME_CREATED: "created a programme",
    AuditAction.PROGRAMME_EDITED: "edited a programme",
    AuditAction.OWNER_ADDED: "added an owner",
    AuditAction.OWNER_REMOVED: "removed an owner",
    AuditAction.ROUND_CONFIRMED: "confirmed a matching round",
    AuditAction.ORG_CHART_LOADED: "loaded the org chart",
}
SECTION_LIMIT = 3000
FILES_COMING = "The chart and a CSV of these figures are on their way to your DM."


def _groups(parts: Breakdown[str], minimum: int, words: Mapping[str, str] | None = None) -> str:
    """`a 12 · b fewer than 5 · c withheld`, in the breakdown's order."""
    shown = [
        f"{inert((words or {}).get(key, key))} {group_text(parts, key, value, minimum)}"
        for key, value in parts.groups
    ]
    return " · ".join(shown)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=shorten(text, SECTION_LIMIT)))


def _figure_lines(report: Report) -> list[str]:
    f, m = report.figures, report.figures.minimum
    topics = f.topics.relabel(lambda k: report.topic_labels.get(k, k))
    shown_topics = Breakdown(topics.total, tuple(g for g in topics.groups if g[1] is not None))
    hidden_topics = len(topics.groups) - len(shown_topics.groups)
    topic_text = _groups(shown_topics, m) or "none yet"
    if hidden_topics:
        topic_text += f" · {hidden_topics} more withheld"
    paused = dict(f.paused_now.groups).get("paused")
    share_word, learn_word = f.role_words
    sides: dict[str, str] = {Side.SHARE: share_word, Side.LEARN: learn_word, Side.EITHER: "either"}
    notes = f.notes
    if f.people_as_of is None:
        people = [f"*Sign-ups, career stages, pauses:* not shown yet ({notes['people']})"]
    else:
        people = [
            f"*Sign-ups:* {count_text(f.sides.total, m)} ({_groups(f.sides, m, sides)})",
            f"*By career stage:* {_groups(f.stages, m)}",
            f"*Paused now:* "
            f"{count_text(paused, m) if f.paused_now.total is not None else WITHHELD}",
            f"_People figures {notes['people']}._",
        ]
    return [
        *people,
        f"*Consent rate:* {percent(f.consent_rate)} of decided proposals ({_groups(f.consent, m)})",
        f"*Active pairs:* {count_text(f.active_pairs, m)} · pairs that have met: "
        f"{percent(f.met_rate)} · at risk (someone gone quiet): "
        f"{count_text(f.pairs_at_risk, m)}",
        *_answer_lines(report),
        f"*Prompt topics used most:* {topic_text}",
        f"*Pauses:* {count_text(f.pauses, m)} · *left:* {count_text(f.leavers, m)}",
    ]


def _answer_lines(report: Report) -> list[str]:
    f, m, notes = report.figures, report.figures.minimum, report.figures.notes
    if "check-ins" in notes:
        lines = [f"*Check-ins and usefulness:* not shown yet ({notes['check-ins']})"]
    else:
        lines = [
            f"*Check-in response rate:* {percent(f.response_rate)} · met: "
            f"{percent(f.met_share)} ({_groups(f.met, m, MET_WORDS)})",
            f"*Usefulness (1–5):* average {mean(f.average_usefulness)} · "
            f"{_groups(f.usefulness, m)}",
        ]
    if "round end" in notes:
        lines.append(f"*End of round:* not shown yet ({notes['round end']})")
    else:
        lines.append(
            f"*End of round:* {_groups(f.round_end, m, CHOICE_WORDS)} · chose to continue: "
            f"{percent(f.continue_rate)}"
        )
    return lines


def _comparison(comparison: Comparison) -> list[Block]:
    pilot, later = inert(comparison.pilot), inert(comparison.later)
    lines = [f"*{label}:* {mine} → {theirs}" for label, mine, theirs in comparison.rows]
    return [
        DividerBlock(),
        _section(f"*Pilot compared:* {pilot} (pilot) → {later}\n" + "\n".join(lines)),
    ]


def stats_message(report: Report) -> Message:
    """The figures of one programme, with the pilot comparison when there is one."""
    f = report.figures
    pilot = " (pilot)" if f.pilot else ""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=shorten(f"Stats: {f.name}{pilot}", 150))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Every figure rests on at least {f.minimum} people and on closed "
                    "periods only; smaller groups are counted under \u201cother\u201d, and "
                    "rates that would single someone out are shown as a band. Nothing here is "
                    "about one person or pair."
                )
            ]
        ),
        _section("\n".join(_figure_lines(report))),
    ]
    if f.comments:
        blocks.append(_section("*What people wrote* (a random handful, in no order):"))
        blocks += [SectionBlock(text=PlainTextObject(text=c)) for c in f.comments[:10]]
    if report.comparison is not None:
        blocks += _comparison(report.comparison)
    others = ", ".join(inert(n) for n in report.others)
    footer = FILES_COMING + (
        f" Other programmes: {others} (`/mentoring stats <name>`)." if others else ""
    )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=shorten(footer, 2000))]))
    return Message(text=f"Stats for {inert(f.name)}", blocks=blocks)


def _who(user_id: str | None) -> str:
    if user_id is None:
        return ""
    return "someone who has left" if user_id == GONE else f"<@{user_id}>"


def audit_message(entries: Sequence[AuditEntry]) -> Message:
    """The latest audit entries, newest first."""
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text="Audit trail (latest first)"))]
    for entry in entries:
        when = entry.created_at.strftime("%Y-%m-%d %H:%M UTC")
        what = ACTION_WORDS.get(entry.action, entry.action)
        subject = f" {_who(entry.subject_id)}" if entry.subject_id else ""
        detail = f": {inert(entry.detail)}" if entry.detail else ""
        blocks.append(_section(f"{when} · {_who(entry.actor_id)} {what}{subject}{detail}"))
    return Message(text="Audit trail", blocks=blocks)
