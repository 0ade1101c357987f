"""The outbox: each key sent once, through rate limits, outages, crashes and concurrent senders."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from bot.runtime import Runtime
from bot.slack.installs import WorkspaceClients
from bot.slack.outbox.delivery import DeliveryReport, deliver_due
from bot.store import outbox
from bot.store.db import make_engine, make_sessionmaker
from bot.store.models import OutboxMessage
from tests.fakeslack import FakeSlack
from tests.support.constants import TEAM_ID
from tests.support.fakeclock import FakeClock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def enqueue(
    runtime: Runtime, key: str, *, text: str = "hello", channel: str = "D0ALICE", **extra: object
) -> bool:
    with runtime.sessions.begin() as session:
        return outbox.enqueue(
            session=session,
            team_id=TEAM_ID,
            key=key,
            method="chat.postMessage",
            payload={"channel": channel, "text": text},
            now=NOW,
            user_id="U0ALICE",
            **extra,  # type: ignore[arg-type]
        )


def deliver(
    runtime: Runtime, now: datetime = NOW, *, clock: FakeClock | None = None, **options: object
) -> DeliveryReport:
    """One pass on a clock that only moves when the pass waits."""
    return deliver_due(
        runtime.sessions,
        runtime.clients,
        now=now,
        clock=clock or FakeClock(),
        **options,  # type: ignore[arg-type]
    )


def status_of(runtime: Runtime, key: str) -> OutboxMessage:
    with runtime.sessions() as session:
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        assert message is not None
        return message


def posted_texts(fake_slack: FakeSlack) -> list[str]:
    return [str(p.args["text"]) for p in fake_slack.calls_to("chat.postMessage")]


def test_a_key_is_stored_and_sent_once(runtime: Runtime, fake_slack: FakeSlack) -> None:
    assert enqueue(runtime, "welcome:U0ALICE")
    assert not enqueue(runtime, "welcome:U0ALICE", text="again")
    assert deliver(runtime).sent == 1
    assert deliver(runtime).sent == 0
    assert posted_texts(fake_slack) == ["hello"]
    sent = status_of(runtime, "welcome:U0ALICE")
    assert (sent.status, sent.payload, sent.sent_at) == (outbox.SENT, {}, NOW)


def test_rate_limit_waits_for_retry_after(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "k1")
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    report = deliver(runtime)
    assert (report.sent, report.retrying, report.rate_limited) == (0, 1, {"chat.postMessage"})
    assert status_of(runtime, "k1").not_before == NOW + timedelta(seconds=7)
    assert deliver(runtime, NOW + timedelta(seconds=6)).sent == 0
    assert deliver(runtime, NOW + timedelta(seconds=7)).sent == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_pass_with_time_waits_out_retry_after_for_the_whole_method(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    for n in range(3):
        enqueue(runtime, f"k{n}", text=f"m{n}", channel=f"D0USER{n}")
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=3)
    clock = FakeClock()
    report = deliver(runtime, clock=clock, budget=MINUTE)
    assert (report.sent, report.retrying, report.deferred) == (3, 1, 0)
    assert clock.slept == [3.0]  # one wait, not one per message
    assert len(fake_slack.calls_to("chat.postMessage", include_failed=True)) == 4
    for n in range(3):
        # Nothing of the method went out while Slack had said to wait.
        assert status_of(runtime, f"k{n}").sent_at == NOW + timedelta(seconds=3)


def test_a_retry_after_longer_than_the_budget_is_left_for_later(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "k1", channel="D0USER1")
    enqueue(runtime, "k2", channel="D0USER2")
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=120)
    clock = FakeClock()
    report = deliver(runtime, clock=clock, budget=MINUTE)
    assert (report.sent, report.deferred, clock.slept) == (0, 2, [])
    assert deliver(runtime, NOW + timedelta(minutes=2)).sent == 2


def test_server_errors_back_off_then_succeed(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "k1")
    fake_slack.fail_next("chat.postMessage", status=503, times=2)
    assert deliver(runtime).retrying == 1
    assert status_of(runtime, "k1").not_before == NOW + timedelta(seconds=30)
    later = NOW + timedelta(seconds=30)
    assert deliver(runtime, later).retrying == 1
    assert status_of(runtime, "k1").not_before == later + timedelta(seconds=60)
    assert deliver(runtime, later + MINUTE).sent == 1
    assert status_of(runtime, "k1").attempts == 3


def test_an_unreachable_slack_is_retried(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "k1")
    unreachable = runtime.settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    nowhere = WorkspaceClients(settings=unreachable, engine=runtime.engine, timeout=2)
    report = deliver_due(runtime.sessions, nowhere, now=NOW, clock=FakeClock())
    assert report.retrying == 1
    assert status_of(runtime, "k1").status == outbox.PENDING
    assert deliver(runtime, NOW + MINUTE).sent == 1
    assert posted_texts(fake_slack) == ["hello"]


def test_a_refused_call_fails_for_good(runtime: Runtime, fake_slack: FakeSlack) -> None:
    with runtime.sessions.begin() as session:
        outbox.enqueue(
            session=session,
            team_id=TEAM_ID,
            key="bad",
            method="chat.postMessage",
            payload={"channel": "D0ALICE"},  # neither text nor blocks: Slack says no_text
            now=NOW,
        )
    assert deliver(runtime).failed == 1
    assert status_of(runtime, "bad").status == outbox.FAILED
    assert status_of(runtime, "bad").error == "no_text"
    assert deliver(runtime, NOW + timedelta(days=1)).failed == 0
    assert fake_slack.calls_to("chat.postMessage") == []


def test_expired_messages_are_dropped(runtime: Runtime, fake_slack: FakeSlack) -> None:
    enqueue(runtime, "late", expires_at=NOW + timedelta(hours=1))
    report = deliver(runtime, NOW + timedelta(hours=2))
    assert report.expired == 1
    assert status_of(runtime, "late").status == outbox.EXPIRED
    assert fake_slack.calls_to("chat.postMessage") == []


def test_posts_to_one_channel_are_a_second_apart_and_others_go_meanwhile(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    for n in range(3):
        enqueue(runtime, f"pair:{n}", text=f"pair {n}", channel="G0PAIR")
    enqueue(runtime, "bob", text="bob", channel="D0BOB")
    enqueue(runtime, "carol", text="carol", channel="D0CAROL")
    clock = FakeClock()
    report = deliver(runtime, clock=clock, budget=MINUTE)
    assert (report.sent, report.deferred) == (5, 0)
    # The other channels did not wait behind the busy one.
    assert posted_texts(fake_slack)[:3] == ["pair 0", "bob", "carol"]
    assert [status_of(runtime, f"pair:{n}").sent_at for n in range(3)] == [
        NOW + timedelta(seconds=s) for s in (0, 1, 2)
    ]
    assert sum(clock.slept) == 2.0


def test_a_pass_without_time_leaves_the_next_post_to_a_channel_for_later(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "first", text="first", channel="G0PAIR")
    enqueue(runtime, "second", text="second", channel="G0PAIR")
    report = deliver(runtime)  # a listener's pass: no budget, never sleeps
    assert (report.sent, report.deferred) == (1, 1)
    assert status_of(runtime, "second").status == outbox.PENDING
    assert deliver(runtime, NOW + timedelta(seconds=1)).sent == 1
    assert posted_texts(fake_slack) == ["first", "second"]


def test_a_long_backlog_is_sent_in_batches(runtime: Runtime, fake_slack: FakeSlack) -> None:
    for n in range(25):
        enqueue(runtime, f"k{n}", text=f"m{n}", channel=f"D0USER{n}")
    report = deliver(runtime, limit=10, budget=MINUTE)
    assert report.sent == 25
    assert sorted(posted_texts(fake_slack)) == sorted(f"m{n}" for n in range(25))


def claim_and_die(runtime: Runtime, key: str, at: datetime) -> int:
    """What a sender that crashes between claiming and recording leaves behind."""
    with runtime.sessions.begin() as session:
        claim = outbox.claim(session=session, message_id=status_of(runtime, key).id, now=at)
    assert claim is not None
    return claim


def test_a_dead_senders_claim_is_taken_back_after_the_lease(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "k1")
    claim_and_die(runtime, "k1", NOW)
    assert status_of(runtime, "k1").status == outbox.SENDING
    assert deliver(runtime, NOW + outbox.LEASE - timedelta(seconds=1)).sent == 0
    assert deliver(runtime, NOW + outbox.LEASE).sent == 1
    assert posted_texts(fake_slack) == ["hello"]
    assert status_of(runtime, "k1").attempts == 2


def test_a_sender_whose_lease_ran_out_cannot_undo_a_confirmed_send(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "k1")
    stuck = claim_and_die(runtime, "k1", NOW)
    assert deliver(runtime, NOW + outbox.LEASE).sent == 1  # another sender takes over
    message_id = status_of(runtime, "k1").id
    with runtime.sessions.begin() as session:  # the stuck sender wakes up to a 5xx
        outbox.retry_later(
            session=session, message_id=message_id, claim=stuck, at=NOW, error="internal_error"
        )
        outbox.finish(
            session=session, message_id=message_id, claim=stuck, status=outbox.FAILED, now=NOW
        )
    assert status_of(runtime, "k1").status == outbox.SENT
    assert deliver(runtime, NOW + timedelta(hours=1)).sent == 0
    assert posted_texts(fake_slack) == ["hello"]


def test_an_abandoned_claim_that_has_expired_is_dropped(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "k1", expires_at=NOW + MINUTE)
    claim_and_die(runtime, "k1", NOW)
    assert deliver(runtime, NOW + outbox.LEASE).expired == 1
    assert fake_slack.calls_to("chat.postMessage") == []


def test_concurrent_senders_send_each_key_once(runtime: Runtime, fake_slack: FakeSlack) -> None:
    for n in range(30):
        enqueue(runtime, f"k{n}", text=f"m{n}", channel=f"D0USER{n % 7}")
    threads = [
        threading.Thread(
            target=deliver, args=(runtime,), kwargs={"clock": FakeClock(), "budget": MINUTE}
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(posted_texts(fake_slack)) == sorted(f"m{n}" for n in range(30))


def test_two_schedulers_with_their_own_engines_never_send_a_key_twice(
    runtime: Runtime, fake_slack: FakeSlack, database_url: str
) -> None:
    """Two processes' worth of senders: separate engines and pools on one database."""
    keys = [f"k{n}" for n in range(60)]
    for n, key in enumerate(keys):
        enqueue(runtime, key, text=key, channel=f"D0USER{n % 20}")
    engines = [make_engine(database_url) for _ in range(2)]
    fake_slack.slow_down(delay=0.002, share=0.5)
    start = threading.Barrier(len(engines))

    def scheduler(engine: Engine) -> None:
        sessions = make_sessionmaker(engine)
        start.wait()
        for tick in range(3):
            at = NOW + tick * MINUTE
            deliver_due(sessions, runtime.clients, now=at, clock=FakeClock(), budget=MINUTE)

    threads = [threading.Thread(target=scheduler, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert sorted(posted_texts(fake_slack)) == sorted(keys)
    assert {status_of(runtime, key).status for key in keys} == {outbox.SENT}


class FrozenClock(FakeClock):
    """time.monotonic under freezegun: it stands still even while the pass sleeps."""

    def monotonic(self) -> float:
        return 0.0


def test_a_frozen_clock_still_moves_the_pass_on_by_what_it_slept(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    enqueue(runtime, "first", text="first", channel="G0PAIR")
    enqueue(runtime, "second", text="second", channel="G0PAIR")
    clock = FrozenClock()
    assert deliver(runtime, clock=clock, budget=MINUTE).sent == 2
    assert clock.slept == [1.0]
    assert status_of(runtime, "second").sent_at == NOW + timedelta(seconds=1)
    assert posted_texts(fake_slack) == ["first", "second"]
