"""The anonymity rules: small groups withheld, and never recoverable by subtraction."""

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import anonymity
from bot.domain.anonymity import Breakdown
from tests.support.anonymity import revealed_groups


def test_the_minimum_is_never_below_five() -> None:
    assert anonymity.minimum_group(2) == 5
    assert anonymity.minimum_group(8) == 8


def test_small_counts_are_withheld_and_empty_ones_shown() -> None:
    assert anonymity.count(4, minimum=5) is None
    assert anonymity.count(5, minimum=5) == 5
    assert anonymity.count(0, minimum=5) == 0


def test_a_withheld_group_takes_the_smallest_other_group_with_it() -> None:
    parts = anonymity.breakdown({"share": 20, "learn": 9, "either": 2}, minimum=5)
    assert parts.total == 31
    assert parts.groups == (("share", 20), ("learn", None), ("either", None))
    assert parts.covering == {"learn"}  # withheld to protect "either", not small itself


def test_two_small_groups_that_cover_each_other_are_enough() -> None:
    parts = anonymity.breakdown({"a": 20, "b": 3, "c": 3}, minimum=5)
    assert parts.groups == (("a", 20), ("b", None), ("c", None))


def test_a_small_total_withholds_everything_even_empty_groups() -> None:
    parts = anonymity.breakdown({"a": 4, "b": 0}, minimum=5)
    assert parts == Breakdown(total=None, groups=(("a", None), ("b", None)))


def test_a_share_is_shown_only_when_its_group_and_total_are() -> None:
    shown = anonymity.breakdown({"accepted": 12, "declined": 6}, minimum=5)
    assert anonymity.share(shown, "accepted") == 12 / 18
    hidden = anonymity.breakdown({"accepted": 12, "declined": 2}, minimum=5)
    assert anonymity.share(hidden, "accepted") is None
    everyone = anonymity.breakdown({"accepted": 12, "declined": 0}, minimum=5)
    assert anonymity.share(everyone, "accepted") == 1.0


def test_averages_need_the_minimum_number_of_answers() -> None:
    assert anonymity.average(16, 4, minimum=5) is None
    assert anonymity.average(20, 5, minimum=5) == 4.0


def test_free_text_needs_ten_answers_and_is_shuffled() -> None:
    texts = [f"comment {n}" for n in range(12)]
    assert anonymity.free_texts(texts[:9], given=9, rng=Random(1)) == ()
    shown = anonymity.free_texts(texts, given=12, rng=Random(1))
    assert sorted(shown) == sorted(texts)
    assert list(shown) != texts


group_sizes = st.dictionaries(
    st.sampled_from("abcdefg"),
    st.one_of(st.integers(0, 6), st.integers(0, 60)),
    min_size=1,
    max_size=7,
)


@settings(max_examples=400)
@given(counts=group_sizes, configured=st.integers(0, 12))
def test_no_figure_or_difference_reveals_a_small_group(
    counts: dict[str, int], configured: int
) -> None:
    minimum = anonymity.minimum_group(configured)
    parts = anonymity.breakdown(counts, minimum=minimum)
    for size in revealed_groups(parts, counts):
        assert size == 0 or size >= minimum, (counts, parts, size)
    # Withholding never goes further than it must: with nothing small, everything is shown.
    if all(anonymity.is_safe(v, minimum=minimum) for v in counts.values()):
        assert parts.shown() == counts


def test_an_average_beside_a_breakdown_with_withheld_groups_is_withheld() -> None:
    # 2x1 and 2x2 withheld, 10x5 shown: with the mean and the count the two could be solved.
    scores = anonymity.breakdown({1: 2, 2: 2, 5: 10}, minimum=5)
    assert anonymity.average(56, 14, minimum=5, beside=scores) is None
    full = anonymity.breakdown({1: 5, 5: 10}, minimum=5)
    assert anonymity.average(55, 15, minimum=5, beside=full) == 55 / 15
