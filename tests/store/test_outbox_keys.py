"""Every key of a pair's messages falls under a prefix that withdraws it when the pair ends."""

from datetime import date

from bot.store import outbox_keys

PAIR = 42


def test_every_message_of_a_pair_is_withdrawn_with_it() -> None:
    keys = [
        outbox_keys.kickoff(PAIR),
        outbox_keys.goals(PAIR, "v1"),
        outbox_keys.round_continues(PAIR, 2),
        outbox_keys.prompt(PAIR, 3),
        outbox_keys.nudge(PAIR, date(2026, 12, 1)),
        outbox_keys.checkin(PAIR, 3, "U0ALICE"),
        outbox_keys.closing(PAIR, 1, "U0ALICE"),
        outbox_keys.meeting_check(PAIR, 9),
        outbox_keys.first_mover(PAIR, "U0ALICE"),
    ]
    prefixes = outbox_keys.of_pair(PAIR)
    assert all(any(k.startswith(p) for p in prefixes) for k in keys)


def test_another_pairs_messages_are_not() -> None:
    other = [outbox_keys.prompt(PAIR * 10, 1), outbox_keys.checkin(PAIR + 1, 1, "U0BOB")]
    assert not any(k.startswith(p) for k in other for p in outbox_keys.of_pair(PAIR))


def test_a_proposals_consent_dms_fall_under_its_prefix() -> None:
    assert outbox_keys.consent(7, "U0ALICE").startswith(outbox_keys.consent_prefix(7))
    assert not outbox_keys.consent(70, "U0ALICE").startswith(outbox_keys.consent_prefix(7))
