"""Benchmark of the end-of-round jobs: how long one tick takes to decide which surveys are due.

Run: ``python benchmarks/round_end.py [--pairs 20000] [--ended 0.1] [--database-url URL]``

It builds a migrated database (a fresh SQLite file, or the PostgreSQL database given, which is
emptied first) with one programme and N active pairs, a share of them past the end of their
round, then times one pass of the two scheduled jobs' flows (`send_surveys`, `close_overdue`,
each doing at most `PAIRS_PER_PASS` pairs a pass):

- the first pass after the burst (asks up to 500 due pairs, two surveys each into the outbox);
- a steady pass once the burst is drained (nothing new due: the cost of every tick);
- the first pass one cadence later (ends up to 500 unanswered pairs, asks newly due ones).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.flows import round_end  # noqa: E402
from bot.slack.outbox.notifier import SlackNotifier  # noqa: E402
from bot.store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from bot.store.models import Pair, Programme, Round  # noqa: E402

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TEAM = "T0BENCH"


def build(url: str, pairs: int, ended: float) -> None:
    """A programme (12-week rounds, 2-week cadence) with `pairs` pairs, `ended` of them due."""
    if url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate(url)
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        programme = Programme(
            team_id=TEAM, name="Bench", kind="reverse", share_word="mentor", learn_word="mentee",
            signup_open=True, signup_deadline=None, pilot=False, cadence_weeks=2, round_weeks=12,
            cross_department="preferred", min_group_size=5, consent_expiry_days=7,
            created_by=None, created_at=NOW,
        )  # fmt: skip
        session.add(programme)
        session.flush()
        matching_round = Round(
            team_id=TEAM, programme_id=programme.id, status="confirmed", created_by=None,
            created_at=NOW, confirmed_at=NOW,
        )  # fmt: skip
        session.add(matching_round)
        session.flush()
        due = int(pairs * ended)
        rows = [
            {
                "team_id": TEAM,
                "programme_id": programme.id,
                "round_id": matching_round.id,
                "mentor_id": f"U{2 * n:07d}",
                "mentee_id": f"U{2 * n + 1:07d}",
                "channel_id": f"G{n:09d}",
                "status": "active",
                "goals": [],
                # The due ones ended their round a day ago; the rest are spread over the round.
                "started_at": NOW - timedelta(weeks=12, days=1)
                if n < due
                else NOW - timedelta(days=n % 83),
            }
            for n in range(pairs)
        ]
        session.execute(insert(Pair), rows)
    engine.dispose()


def timed(url: str, now: datetime) -> tuple[float, int, int]:
    """Seconds for one pass of both jobs' flows; surveys asked and pairs ended."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    notifier = SlackNotifier()
    started = time.perf_counter()
    with sessions.begin() as session:
        asked = round_end.send_surveys(session=session, now=now, notifier=notifier)
    with sessions.begin() as session:
        ended = round_end.close_overdue(session=session, now=now, notifier=notifier)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, asked, ended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--ended", type=float, default=0.1, help="share of pairs whose round ended")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        build(url, args.pairs, args.ended)
        backend = url.split(":", 1)[0]
        print(f"{backend}: {args.pairs:,} active pairs, {args.ended:.0%} past their round's end")
        burst = timed(url, NOW)
        report("first pass after the burst", burst)
        while timed(url, NOW)[1]:
            pass  # the following ticks drain the burst
        report("steady pass (nothing new due)", timed(url, NOW + timedelta(hours=1)))
        report("first pass a cadence later", timed(url, NOW + timedelta(weeks=2, hours=1)))


def report(label: str, result: tuple[float, int, int]) -> None:
    """One line of figures."""
    seconds, asked, ended = result
    print(f"  {label:32} {seconds:6.3f} s  surveys asked {asked:>6,}  pairs ended {ended:>5,}")


if __name__ == "__main__":
    main()
