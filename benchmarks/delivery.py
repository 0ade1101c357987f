"""Benchmark of the outbox: 2,000 messages against the fake Slack with Slack-like rate limits.

Run: ``python benchmarks/delivery.py [--messages 2000] [--scale 20] [--burst 2] [--repeat 1]
[--database-url URL]``

Slack lets an app post about 1 message per second to one channel, and limits each method across
the workspace (for chat.postMessage it gives no number: 300/min, 5/s, is assumed here),
answering 429 with Retry-After beyond that. Waiting on the real limits would take about 7 minutes
for 2,000 messages, so both are multiplied by --scale (default 20: 20 posts/s per channel, 100/s
for the method). The fake Slack runs in a process of its own, as Slack is remote, and enforces
the limits with token buckets allowing bursts of --burst calls (Slack allows "short bursts";
default 2), answering 429 with a fractional Retry-After; the outbox gets the same gap and burst.

The floor is the least time the limits allow: max((N - burst) / method rate, (n_c - burst) /
channel rate for the busiest channel). Scenarios (messages in random order):

- spread: every message to its own channel (the method limit binds);
- mixed: 1,200 channels with one message, 100 with eight;
- hot: five channels with 400 each (channel and method limits bind at once).

Two ways the outbox may know the method's limit: "told" (its pace has the scaled tier, so it
keeps under it) and "429" (as in production for chat.postMessage, whose limit Slack does not
publish: it learns from Retry-After). Each run checks every message was posted exactly once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.domain.pacing import Pace, tier_gaps  # noqa: E402
from bot.slack.installs import WorkspaceClients  # noqa: E402
from bot.slack.outbox.delivery import deliver_due  # noqa: E402
from bot.store import outbox  # noqa: E402
from bot.store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from bot.store.models import OutboxMessage  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402

TOKEN = "xoxb-bench"
TEAM = "T0BENCH"
CHANNEL_RATE = 1.0  # Slack: about one post per second per channel
METHOD_RATE = 5.0  # chat.postMessage across the workspace: 300 a minute


def channels(scenario: str, messages: int) -> list[str]:
    """The channel of each message, in random order."""
    if scenario == "spread":
        targets = [f"C{n:06d}" for n in range(messages)]
    elif scenario == "mixed":
        singles = messages * 3 // 5
        busy = (messages - singles) // 8
        targets = [f"C{n:06d}" for n in range(singles)]
        targets += [f"G{n:05d}" for n in range(busy) for _ in range(8)]
        targets += [f"C9{n:05d}" for n in range(messages - len(targets))]
    else:
        targets = [f"G0HOT{n % 5}" for n in range(messages)]
    random.Random(1).shuffle(targets)
    return targets


def floor_seconds(targets: list[str], channel_rate: float, method_rate: float, burst: int) -> float:
    """The least time the token buckets allow for these posts."""
    busiest = max(Counter(targets).values())
    return max((len(targets) - burst) / method_rate, (busiest - burst) / channel_rate, 0)


def fresh_database(url: str | None, folder: str) -> str:
    """A migrated, empty database: a new SQLite file, or the given PostgreSQL one emptied."""
    if url is None:
        url = f"sqlite:///{folder}/bench-{time.monotonic_ns()}.db"
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate(url)
    return url


def run(
    scenario: str, told: bool, args: argparse.Namespace, folder: str
) -> tuple[float, float, int, int]:
    """Deliver one scenario; seconds, floor, calls made and 429s received."""
    channel_rate, method_rate = CHANNEL_RATE * args.scale, METHOD_RATE * args.scale
    targets = channels(scenario, args.messages)
    url = fresh_database(args.database_url, folder)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        for n, channel in enumerate(targets):
            outbox.enqueue(
                session=session,
                team_id=TEAM,
                key=f"bench:{n}",
                method="chat.postMessage",
                payload={"channel": channel, "text": f"message {n}"},
                now=now,
            )
    gaps = tier_gaps()
    if told:
        gaps["chat.postMessage"] = timedelta(seconds=1 / method_rate)
    pace = Pace(
        channel_gap=timedelta(seconds=1 / channel_rate), method_gaps=gaps, burst=int(args.burst)
    )
    slack, fake_end = multiprocessing.Pipe()
    fake = multiprocessing.Process(
        target=serve_fake, args=(fake_end, channel_rate, method_rate, args.burst)
    )
    fake.start()
    settings = Settings(
        _env_file=None,
        slack_bot_token=TOKEN,
        slack_signing_secret="bench",
        slack_api_url=slack.recv(),
        database_url=url,
    )
    client = WorkspaceClients(settings=settings, engine=engine, timeout=10)
    started = time.monotonic()
    for _ in range(20):  # one pass normally; more only if a pass ran out of budget
        deliver_due(
            sessions,
            client,
            now=datetime.now(UTC),
            limit=args.messages,
            clock=SystemClock(),
            budget=timedelta(minutes=10),
            pace=pace,
        )
        with sessions() as session:
            left = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status != outbox.SENT)
            )
        if not left:
            break
    seconds = time.monotonic() - started
    slack.send("done")
    calls, limited, posted = slack.recv()
    fake.join()
    engine.dispose()
    if left or len(posted) != args.messages or max(posted.values()) != 1:
        raise SystemExit(f"{scenario}: {left} unsent, {len(posted)} posted, duplicates: {posted}")
    floor = floor_seconds(targets, channel_rate, method_rate, args.burst)
    return seconds, floor, calls, limited


def serve_fake(connection: Connection, channel_rate: float, method_rate: float, burst: int) -> None:
    """The fake Slack in a process of its own, as Slack is: it shares no CPU time with the bot."""
    with FakeSlack(token=TOKEN, team_id=TEAM) as fake:
        fake.enforce_rate_limits(
            per_channel=channel_rate, per_method={"chat.postMessage": method_rate}, burst=burst
        )
        connection.send(fake.base_url)
        connection.recv()  # the run is over
        calls = fake.calls_to("chat.postMessage", include_failed=True)
        posted = Counter(m["text"] for m in fake.messages.values())
        connection.send((len(calls), sum(1 for c in calls if c.status == 429), posted))


def main() -> None:
    """Run every scenario both ways and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--scale", type=float, default=20.0, help="multiply Slack's limits")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL URL to use (it is emptied!); default: a temporary SQLite file",
    )
    parser.add_argument("--burst", type=int, default=2, help="Slack allows short bursts")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, fastest first")
    parser.add_argument("--scenarios", nargs="+", default=["spread", "mixed", "hot"])
    args = parser.parse_args()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{args.messages} messages, limits x{args.scale:g}: "
        f"{CHANNEL_RATE * args.scale:g}/s per channel, "
        f"{METHOD_RATE * args.scale:g}/s for chat.postMessage; {backend}"
    )
    print("| scenario | method limit | seconds | floor s | ratio | calls | 429s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for scenario in args.scenarios:
            for told in (True, False):
                runs = sorted(run(scenario, told, args, folder) for _ in range(args.repeat))
                for seconds, floor, calls, limited in runs:
                    print(
                        f"| {scenario} | {'told' if told else '429'} | {seconds:.2f} "
                        f"| {floor:.2f} | {seconds / floor:.3f} | {calls} | {limited} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
