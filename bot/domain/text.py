"""Making user text safe: cleaned before it is stored, escaped before it is shown."""

import re
import unicodedata

# Bidirectional overrides and zero-width characters can disguise text (a name that reads
# backwards, an invisible mention); they have no place in survey answers.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Normalise Unicode, drop direction overrides, zero-width and control characters, trim."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub("", text).strip()


def escape_mrkdwn(text: str) -> str:
    """Escape text for a mrkdwn field so it cannot ping or link.

    Slack reads `&`, `<` and `>` as control characters (mentions, links). Formatting marks have
    no escape in mrkdwn, so user text is shown in plain_text objects; this is for the rest.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A zero-width space after a formatting mark, a `#` or an `@` keeps Slack from pairing the marks
# (bold, italic, strike, code) or reading a channel or mention; one inside `://` keeps a bare
# address from becoming a link.
_ZWSP = "\u200b"
_MARKS = re.compile(r"([*_~`#@])")


def inert(text: str) -> str:
    """User text made inert for mrkdwn or a message's top-level text.

    Escapes `&`, `<`, `>` (no mention, no link) and puts a zero-width space after every
    formatting mark, `#` and `@`, and inside `://`, so nothing the user typed is read as
    formatting, a channel, a mention or a link. The text still reads the same.
    """
    text = escape_mrkdwn(text)
    text = _MARKS.sub(lambda match: match.group(1) + _ZWSP, text)
    return text.replace("://", ":" + _ZWSP + "//")


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(text: str, *, max_digits: int) -> int | None:
    """An ASCII integer (optionally negative) of at most `max_digits` digits, else None.

    `str.isdigit` accepts digits such as "²" that `int` refuses, so check ASCII first.
    """
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > max_digits:
        return None
    return int(text)


def with_article(word: str) -> str:
    """The word after "a" or "an", by its first letter ("a mentor", "an explorer")."""
    return f"{'an' if word[:1].casefold() in 'aeiou' else 'a'} {word}"


def counted(count: int, one: str, many: str) -> str:
    """`1 pair`, `3 pairs`: a count with the right form of its noun."""
    return f"{count} {one if count == 1 else many}"
