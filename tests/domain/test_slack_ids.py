"""Slack ids are checked for their shape, not for a fixed length."""

import pytest

from bot.domain.slack_ids import is_channel_id, is_enterprise_id, is_team_id, is_user_id


@pytest.mark.parametrize(
    "value", ["U0ALICE", "W012A3CDE", "U12", "U" + "A" * 20, "UOWNER1", "U024BE7LH"]
)
def test_user_ids_of_any_length_in_range_pass(value: str) -> None:
    assert is_user_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "U",
        "U1",  # too short
        "U" + "A" * 21,  # 22 characters: longer than any Slack id
        "U" + "A" * 39,  # the 40-character id of issue 14
        "<!channel>",
        "<@U0ALICE>",
        "u0alice",
        "T0TEST",
        "C0CHANNEL",
        "U0ALICE ",
        "U0AL-CE",
        "U0ALICE\n",
        "['U0ALICE']",
        "Ｕ０ＡＬＩＣＥ",  # full-width look-alikes
    ],
)
def test_anything_else_is_not_a_user_id(value: str) -> None:
    assert not is_user_id(value)


@pytest.mark.parametrize("value", [None, 12, ["U0ALICE"], {"id": "U0ALICE"}, b"U0ALICE"])
def test_values_that_are_not_text_are_not_ids(value: object) -> None:
    assert not is_user_id(value)
    assert not is_team_id(value)


def test_each_kind_has_its_letters() -> None:
    assert is_team_id("T0TEST") and not is_team_id("E0GRID")
    assert is_enterprise_id("E0GRID") and not is_enterprise_id("T0TEST")
    assert all(is_channel_id(c) for c in ("C0GENERAL", "D0CMD", "G0PAIR"))
    assert not is_channel_id("U0ALICE")
