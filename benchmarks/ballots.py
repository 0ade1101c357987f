"""Benchmark of closing a period: moving 20,000 pairs' check-in ballots into the answers table.

Run: ``python benchmarks/ballots.py [--url URL] [--pairs 20000]``

The database URL comes from ``--url``, else ``BENCH_DATABASE_URL``, else a SQLite file in the
temporary directory; it is emptied first (see benchmarks/stats.py). It loads one programme
whose pairs all answered the period's check-in (two ballots and two answered requests a pair),
then times the worst mix a tick can meet before the close (one new answer in that block of
every ballot, so all of them are stored again in a new random order), then one `close_periods`
pass at the period's end, in one transaction as the scheduler
runs it: counting people from the request side, shuffling and moving every ballot with new
random ids, recording the block, and freezing the people snapshots.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.stats import TEAM, bulk, fresh_database, person  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.flows import ballots  # noqa: E402
from bot.store import ballots as ballots_store  # noqa: E402
from bot.store import programmes  # noqa: E402
from bot.store.db import make_engine, make_sessionmaker  # noqa: E402
from bot.store.models import (  # noqa: E402
    Ballot,
    CheckinAnswer,
    CheckinRequest,
    Pair,
    Participant,
    Round,
)

START = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday: the programme's first period starts
CLOSE = START + timedelta(weeks=2, hours=1)  # just after that period has closed


def load(url: str, pairs: int) -> None:
    """One programme, `pairs` active pairs, each person's answered request and ballot."""
    engine = fresh_database(url)
    rng = random.Random(1)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        programme = programmes.create(
            session=session, team_id=TEAM, name="Benchmark", created_by="UOWNER", now=START
        )
        matching = Round(
            team_id=TEAM,
            programme_id=programme.id,
            status="confirmed",
            created_by="UOWNER",
            created_at=START,
            confirmed_at=START,
        )
        session.add(matching)
        session.flush()
        programme_id, round_id = programme.id, matching.id
    people = [person(rng, n, programme_id) for n in range(2 * pairs)]
    for n, row in enumerate(people):
        row["side"] = "share" if n % 2 == 0 else "learn"
    bulk(engine, Participant, people)
    bulk(
        engine,
        Pair,
        [
            {
                "team_id": TEAM,
                "programme_id": programme_id,
                "round_id": round_id,
                "mentor_id": f"U{2 * i:08d}",
                "mentee_id": f"U{2 * i + 1:08d}",
                "status": "active",
                "goals": [],
                "started_at": START,
            }
            for i in range(pairs)
        ],
    )
    with engine.connect() as connection:
        pair_ids = [row[0] for row in connection.execute(text("SELECT id FROM pairs ORDER BY id"))]
    period = START.date()
    bulk(
        engine,
        CheckinRequest,
        [
            {
                "team_id": TEAM,
                "user_id": f"U{2 * i + side:08d}",
                "pair_id": pair_id,
                "programme_id": programme_id,
                "kind": "checkin",
                "period": 0,
                "asked_at": START,
                "answered": True,
                "answered_in": period,
            }
            for i, pair_id in enumerate(pair_ids)
            for side in (0, 1)
        ],
    )
    bulk(
        engine,
        Ballot,
        [
            {
                "id": rng.getrandbits(128).to_bytes(16, "big").hex(),
                "team_id": TEAM,
                "programme_id": programme_id,
                "kind": "checkin",
                "period": period,
                "side": ("share", "learn")[n % 2],
                "met": rng.choice(("yes", "no", "rescheduled")),
                "choice": None,
                "usefulness": rng.choice((None, 3, 4, 5)),
                "comment": "It helped" if rng.random() < 0.05 else None,
            }
            for n in range(2 * pairs)
        ],
    )
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.gettempdir()) / 'upward-bench-ballots.db'}"
    )
    parser.add_argument("--url", default=default)
    parser.add_argument("--pairs", type=int, default=20_000)
    args = parser.parse_args()
    url = Settings._database_url(args.url)
    load(url, args.pairs)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    # The worst tick before the close: one new answer, so the whole block is mixed again.
    with sessions.begin() as session:
        session.execute(
            update(Ballot)
            .where(Ballot.id == select(func.min(Ballot.id)).scalar_subquery())
            .values(fresh=True)
        )
    started = time.perf_counter()
    with sessions.begin() as session:
        mixed = ballots_store.mix(session=session)
    mixing = time.perf_counter() - started
    started = time.perf_counter()
    with sessions.begin() as session:
        closed = ballots.close_periods(session=session, now=CLOSE)
    seconds = time.perf_counter() - started
    with sessions() as session:
        moved = session.scalar(select(func.count()).select_from(CheckinAnswer))
        left = session.scalar(select(func.count()).select_from(Ballot))
    print(f"backend: {engine.dialect.name}  pairs: {args.pairs:,}")
    print(f"mix: {mixing:.2f} s  (one block of {mixed:,} ballots rewritten for one new answer)")
    print(f"close_periods: {seconds:.2f} s  (answers moved: {moved:,}, ballots left: {left})")
    assert closed.answers == moved == 2 * args.pairs and left == 0
    engine.dispose()


if __name__ == "__main__":
    main()
