"""Pacing: when the next call to a channel, or of a method, may go."""

from datetime import UTC, datetime, timedelta

from bot.domain.pacing import Pace, Pacer, tier_gaps

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_a_channel_is_free_a_second_after_a_post_and_others_at_once() -> None:
    pacer = Pacer(Pace())
    assert pacer.ready_at(channel="G0PAIR", method="chat.postMessage", now=NOW) == NOW
    pacer.called(channel="G0PAIR", method="chat.postMessage", at=NOW)
    assert pacer.ready_at(channel="G0PAIR", method="chat.postMessage", now=NOW) == NOW + SECOND
    assert pacer.ready_at(channel="D0BOB", method="chat.postMessage", now=NOW) == NOW
    later = NOW + 2 * SECOND
    assert pacer.ready_at(channel="G0PAIR", method="chat.postMessage", now=later) == later


def test_tiered_methods_keep_to_their_tier() -> None:
    assert tier_gaps()["chat.update"] == timedelta(seconds=1.2)  # tier 3: 50 a minute
    pacer = Pacer(Pace(channel_gap=timedelta(0)))
    pacer.called(channel="C0ONE", method="chat.update", at=NOW)
    assert pacer.ready_at(channel="C0TWO", method="chat.update", now=NOW) == NOW + 1.2 * SECOND
    assert pacer.ready_at(channel="C0TWO", method="chat.postMessage", now=NOW) == NOW


def test_retry_after_holds_the_method_everywhere_and_never_shortens() -> None:
    pacer = Pacer(Pace())
    pacer.hold(method="chat.postMessage", until=NOW + 30 * SECOND)
    pacer.hold(method="chat.postMessage", until=NOW + 5 * SECOND)
    for channel in ("D0BOB", "G0PAIR", None):
        free = pacer.ready_at(channel=channel, method="chat.postMessage", now=NOW)
        assert free == NOW + 30 * SECOND
    assert pacer.ready_at(channel="D0BOB", method="views.publish", now=NOW) == NOW


def test_with_bursts_a_late_pass_catches_up_but_keeps_the_average() -> None:
    pacer = Pacer(Pace(burst=2))
    post = {"channel": "G0PAIR", "method": "chat.postMessage"}
    pacer.called(**post, at=NOW)
    assert pacer.ready_at(**post, now=NOW) == NOW  # a second one may follow at once
    pacer.called(**post, at=NOW)
    assert pacer.ready_at(**post, now=NOW) == NOW + SECOND  # not a third
    late = NOW + 5 * SECOND  # the pass was busy elsewhere
    pacer.called(**post, at=late)
    assert pacer.ready_at(**post, now=late) == late
    pacer.called(**post, at=late)
    assert pacer.ready_at(**post, now=late) == late + SECOND
