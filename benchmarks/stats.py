"""Benchmark of `/mentoring stats`: one programme's figures over a large, realistic database.

Run: ``python benchmarks/stats.py [--url URL] [--participants 20000] [--answers 1000000]``

The database URL comes from ``--url``, else ``BENCH_DATABASE_URL``, else a SQLite file in the
temporary directory. The database is emptied first (SQLite: the file is replaced; PostgreSQL:
the ``public`` schema is dropped), so point it at a database kept for benchmarks, e.g.
``createdb bench_stats`` then
``python benchmarks/stats.py --url postgresql://postgres@127.0.0.1:5432/bench_stats``.

It loads one programme with N participants, ~0.4 N pairs with their proposals, meetings, prompt
history and check-in requests, the given number of anonymised check-in answers over a year (5%
with a comment) already released in blocks of the two-week cadence (as the `close_periods` job
leaves them), closing answers and leave/pause tallies, then runs the job once for the people
snapshots; then times what the command computes before it answers: every query
(`bot.store.stats.counts`) and the anonymity rules (`bot.domain.stats.figures`). It prints the
load time and the best and median of the runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings  # noqa: E402
from bot.domain.cadence import week_of  # noqa: E402
from bot.flows import ballots  # noqa: E402
from bot.flows import stats as stats_flow  # noqa: E402
from bot.store import programmes  # noqa: E402
from bot.store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from bot.store.models import (  # noqa: E402
    AnswerRelease,
    CheckinAnswer,
    CheckinRequest,
    ClosingAnswer,
    Meeting,
    Pair,
    PairPrompt,
    Participant,
    Proposal,
    Round,
    Tally,
)

TEAM = "TBENCH"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START = NOW - timedelta(weeks=52)
CHUNK = 20_000
TOPICS = ["digital_tools", "current_trends", "leadership", "feedback", "career", "wellbeing"]


def fresh_database(url: str) -> Engine:
    """An empty, migrated database at `url`."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate(url)
    return make_engine(url)


def bulk(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows in chunks with executemany (one statement, many parameter sets)."""
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(model), rows[start : start + CHUNK])


def person(rng: random.Random, n: int, programme_id: int) -> dict[str, Any]:
    side = rng.choices(["share", "learn", "either"], weights=[45, 45, 10])[0]
    return {
        "team_id": TEAM,
        "user_id": f"U{n:08d}",
        "programme_id": programme_id,
        "side": side,
        "stage": rng.randrange(5),
        "department": f"Dept {rng.randrange(12)}",
        "manager_id": None,
        "manager_ref": None,
        "shares": [],
        "share_other": "",
        "learns": [],
        "learn_other": "",
        "style": "between",
        "meeting": "video",
        "meetings_per_month": 2,
        "goal": "",
        "timezone": "UTC",
        "utc_offset_minutes": 0,
        "paused": rng.random() < 0.03,
        "waited": False,
        "ground_rules_version": "2026-11",
        "agreed_at": START,
        "created_at": START + timedelta(minutes=rng.randrange(52 * 7 * 24 * 60)),
        "updated_at": START,
    }


def load(engine: Engine, *, participants: int, answers: int, seed: int = 1) -> int:
    """Fill the database; the programme's id."""
    rng = random.Random(seed)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        programme = programmes.create(
            session=session, team_id=TEAM, name="Benchmark", created_by="UOWNER", now=START
        )
        matching_round = Round(
            team_id=TEAM,
            programme_id=programme.id,
            status="confirmed",
            created_by="UOWNER",
            created_at=START,
            confirmed_at=START,
        )
        session.add(matching_round)
        session.flush()
        programme_id, round_id = programme.id, matching_round.id
    bulk(engine, Participant, [person(rng, n, programme_id) for n in range(participants)])
    pairs = int(participants * 0.4)
    statuses = ["accepted"] * pairs + ["declined"] * (pairs // 20) + ["expired"] * (pairs // 50)
    bulk(
        engine,
        Proposal,
        [
            {
                "team_id": TEAM,
                "round_id": round_id,
                "programme_id": programme_id,
                "mentor_id": f"U{2 * i % participants:08d}",
                "mentee_id": f"U{(2 * i + 1) % participants:08d}",
                "score": 1.0,
                "reasons": [],
                "status": status,
                "created_at": START,
            }
            for i, status in enumerate(statuses)
        ],
    )
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
                "status": "ended" if i % 10 == 0 else "active",
                "goals": [],
                "started_at": START + timedelta(days=i % 60),
                "ended_at": START + timedelta(weeks=20) if i % 10 == 0 else None,
            }
            for i in range(pairs)
        ],
    )
    with engine.connect() as connection:
        pair_ids = [row[0] for row in connection.execute(text("SELECT id FROM pairs"))]
    meetings, prompts, requests = [], [], []
    for pair_id in pair_ids:
        days = sorted(rng.sample(range(360), 12))
        meetings += [
            {
                "team_id": TEAM,
                "pair_id": pair_id,
                "met_on": START.date() + timedelta(days=d),
                "created_at": NOW,
            }
            for d in days
        ]
        for period in range(8):
            prompts.append(
                {
                    "team_id": TEAM,
                    "pair_id": pair_id,
                    "period": period,
                    "prompt_id": f"p{period}",
                    "topic": rng.choice(TOPICS),
                    "created_at": NOW,
                }
            )
        for period in range(4):
            for side in range(2):
                requests.append(
                    {
                        "team_id": TEAM,
                        "user_id": f"U{pair_id:07d}{side}",
                        "pair_id": pair_id,
                        "programme_id": programme_id,
                        "kind": "checkin",
                        "period": period,
                        "asked_at": START,
                        "answered": rng.random() < 0.7,
                    }
                )
    bulk(engine, Meeting, meetings)
    bulk(engine, PairPrompt, prompts)
    bulk(engine, CheckinRequest, requests)
    first_week = week_of(START.date())
    for start in range(0, answers, 100_000):
        bulk(
            engine,
            CheckinAnswer,
            [
                {
                    "id": rng.getrandbits(128).to_bytes(16, "big").hex(),
                    "team_id": TEAM,
                    "programme_id": programme_id,
                    "side": rng.choice(("share", "learn")),
                    "week": first_week + timedelta(weeks=2 * rng.randrange(26)),
                    "met": rng.choices(("yes", "no", "rescheduled"), weights=(70, 20, 10))[0],
                    "usefulness": rng.choice((None, 1, 2, 3, 4, 4, 5, 5)),
                    "comment": f"It helped with topic {rng.randrange(1000)}"
                    if rng.random() < 0.05
                    else None,
                }
                for _ in range(min(100_000, answers - start))
            ],
        )
    bulk(
        engine,
        ClosingAnswer,
        [
            {
                "id": rng.getrandbits(128).to_bytes(16, "big").hex(),
                "team_id": TEAM,
                "programme_id": programme_id,
                "side": "learn",
                "week": first_week + timedelta(weeks=20),
                "choice": rng.choice(("continue", "new_partner", "stop")),
                "usefulness": 4,
                "comment": None,
            }
            for _ in range(pairs)
        ],
    )
    blocks = [
        ("checkin", first_week + timedelta(weeks=2 * n), answers // 26) for n in range(26)
    ] + [("closing", first_week + timedelta(weeks=20), pairs)]
    bulk(
        engine,
        AnswerRelease,
        [
            {
                "id": rng.getrandbits(128).to_bytes(16, "big").hex(),
                "team_id": TEAM,
                "programme_id": programme_id,
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(weeks=2),
                "people": n,
                "most_per_person": 1,
                "answers": n,
                "unanswered": n // 3,
                "comments": n // 20,
            }
            for kind, starts_on, n in blocks
        ],
    )
    bulk(
        engine,
        Tally,
        [
            {
                "id": rng.getrandbits(128).to_bytes(16, "big").hex(),
                "team_id": TEAM,
                "programme_id": programme_id,
                "kind": rng.choice(("left", "paused")),
                "week": first_week + timedelta(weeks=rng.randrange(52)),
            }
            for _ in range(participants // 20)
        ],
    )
    with sessions.begin() as session:
        ballots.close_periods(session=session, now=NOW)  # the people snapshots
    with engine.connect() as connection:
        # Planner statistics, as autovacuum gathers them soon after a bulk load.
        connection.execute(text("ANALYZE"))
        connection.commit()
    return programme_id


def vacuum(engine: Engine) -> None:
    """What autovacuum does in time: marks pages all-visible, so index-only scans apply."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def time_stats(engine: Engine, programme_id: int, runs: int) -> list[float]:
    """Seconds for each computation of the figures, in a fresh session each time."""
    sessions = make_sessionmaker(engine)
    seconds = []
    for run in range(runs):
        with sessions() as session:
            programme = programmes.get(session=session, team_id=TEAM, programme_id=programme_id)
            assert programme is not None
            started = time.perf_counter()
            figures = stats_flow.figures_of(
                session=session, programme=programme, rng=random.Random(run)
            )
            seconds.append(time.perf_counter() - started)
    assert figures.met.total  # the answers were counted, and shown
    return seconds


def report(label: str, seconds: list[float]) -> None:
    """Print the best, median and first of the runs in milliseconds."""
    best, median, first = (x * 1000 for x in (min(seconds), statistics.median(seconds), seconds[0]))
    print(f"{label}: best {best:.0f} ms, median {median:.0f} ms, first {first:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.gettempdir()) / 'upward-bench-stats.db'}"
    )
    parser.add_argument("--url", default=default)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = Settings._database_url(args.url)
    engine = fresh_database(url)
    started = time.perf_counter()
    programme_id = load(engine, participants=args.participants, answers=args.answers)
    loaded = time.perf_counter() - started
    print(f"backend: {engine.dialect.name}")
    print(f"participants: {args.participants:,}  check-in answers: {args.answers:,}")
    print(f"load: {loaded:.1f} s")
    report("stats right after the load", time_stats(engine, programme_id, args.runs))
    if engine.dialect.name == "postgresql":
        vacuum(engine)
        report("stats after VACUUM", time_stats(engine, programme_id, args.runs))
    engine.dispose()


if __name__ == "__main__":
    main()
