"""Text safety: cleaning stored text and escaping shown text."""

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.text import clean, counted, escape_mrkdwn, inert, shorten, whole_number


def test_clean_removes_invisible_and_direction_characters() -> None:
    assert clean("  a\u202eb\u200bc\u2066d\x00e\ufeff ") == "abcde"
    assert clean("e\u0301") == "\u00e9"  # NFC


def test_escape_stops_mentions_and_links() -> None:
    assert escape_mrkdwn("<!channel> <@U123> <http://x|y> & co") == (
        "&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; &amp; co"
    )


@given(st.text())
def test_escaped_text_has_no_control_brackets(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped
    assert ">" not in escaped


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_shorten_respects_the_limit(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short == text or short.endswith("…")


def test_whole_number_takes_ascii_digits_only() -> None:
    assert whole_number("42", max_digits=2) == 42
    assert whole_number("-7", max_digits=2) == -7
    for odd in ("²", "4²", "٣", "", "-", "1e3", " 1", "123"):
        assert whole_number(odd, max_digits=2) is None


HOSTILE_NAME = "<!channel> *bold* _it_ `code` ~s~ https://x.example #general @here"


def test_inert_keeps_the_words_and_loses_the_powers() -> None:
    shown = inert(HOSTILE_NAME)
    assert shown.replace("\u200b", "") == (
        "&lt;!channel&gt; *bold* _it_ `code` ~s~ https://x.example #general @here"
    )
    assert "://" not in shown
    assert "#general" not in shown
    assert "@here" not in shown


# A mark followed directly by a visible character could open or close a formatting pair.
_LIVE_MARK = re.compile("[*_~`#@][^\u200b]|[*_~`#@]$")


@given(st.text(alphabet=st.sampled_from("*_~`#@<>&!:/ abchttp\u200b"), max_size=40) | st.text())
def test_inert_text_has_no_mention_link_or_formatting_pair(text: str) -> None:
    shown = inert(text)
    for power in ("<!", "<@", "<http", "<#", "://"):
        assert power not in shown
    assert "<" not in shown and ">" not in shown
    assert not _LIVE_MARK.search(shown)


def test_a_count_takes_the_right_form_of_its_noun() -> None:
    assert [counted(n, "pair", "pairs") for n in (0, 1, 2)] == ["0 pairs", "1 pair", "2 pairs"]
