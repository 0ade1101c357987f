"""Benchmark of the scheduler's decision: what is due for every active pair, in one tick.

Run: ``python benchmarks/scheduler.py [--pairs 20000] [--database-url URL]``

By default it builds a fresh SQLite file in a temporary folder. For PostgreSQL, pass a URL (or
set ``BENCH_DATABASE_URL``), e.g. ``--database-url postgresql://postgres@127.0.0.1:5432/bench``:
**everything in that database is dropped first**, so give it a database of its own.

The database gets N active pairs in one reverse programme (two-week cadence, twelve-week round)
whose starts are spread over the last twelve weeks, so every period of a round is represented;
people in eight time zones, ~3% paused; most pairs already have their earlier prompts, check-ins
and a few meetings. It then times ``bot.flows.keep_going.decide`` (the loads and the pure
decision, which is what a tick does before it stores anything) twice over:

- the first tick after the upgrade, when no pair has a next check yet, so every pair is decided;
- a tick half an hour after one that kept each pair's next check (`bot.domain.next_check`) but
  stored none of what it found due, so that backlog is decided again, with the suggested meeting
  times for every prompt found due (``bot.flows.find_time.TimesForPairs``, as the tick's store
  step computes them: the due pairs and their people's working hours loaded, three times each).

It prints the figures for each, and for the second tick's decision and times together.
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

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings  # noqa: E402
from bot.domain.schedule import Due  # noqa: E402
from bot.flows import find_time, keep_going  # noqa: E402
from bot.runtime import settle  # noqa: E402
from bot.store import keep_going as keep_going_store  # noqa: E402
from bot.store import next_checks, outbox_keys  # noqa: E402
from bot.store.db import make_engine, make_sessionmaker, migrate  # noqa: E402
from bot.store.models import (  # noqa: E402
    CheckinRequest,
    Meeting,
    OutboxMessage,
    Pair,
    PairPrompt,
    Participant,
    Programme,
    Round,
)

TEAM = "T0BENCH"
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday morning in London
OFFSETS = [-480, -300, 0, 60, 120, 330, 480, 540]
# A real zone for each offset (in March 2027, before DST), so working hours are read in it.
ZONES = {
    -480: "America/Los_Angeles",
    -300: "America/New_York",
    0: "Europe/London",
    60: "Europe/Berlin",
    120: "Europe/Helsinki",
    330: "Asia/Kolkata",
    480: "Asia/Singapore",
    540: "Asia/Tokyo",
}
CADENCE, ROUND = timedelta(weeks=2), timedelta(weeks=12)
TICK = timedelta(minutes=30)  # between the tick that kept the next checks and the one timed
BATCH = 5000


def fill(url: str, pairs: int, seed: int = 1) -> None:
    """N active pairs with their people, earlier prompts, check-ins, meetings and nudges."""
    rng = random.Random(seed)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        programme = Programme(
            team_id=TEAM,
            name="Benchmark",
            kind="reverse",
            share_word="mentor",
            learn_word="mentee",
            signup_open=True,
            pilot=False,
            cadence_weeks=2,
            round_weeks=12,
            cross_department="preferred",
            min_group_size=5,
            consent_expiry_days=7,
            created_at=NOW - ROUND,
        )
        session.add(programme)
        session.flush()
        matched = Round(
            team_id=TEAM, programme_id=programme.id, status="confirmed", created_at=NOW - ROUND
        )
        session.add(matched)
        session.flush()
        programme_id, round_id = programme.id, matched.id
    people: list[dict[str, Any]] = []
    pair_rows: list[dict[str, Any]] = []
    for n in range(pairs):
        mentor, mentee = f"U{2 * n:08d}", f"U{2 * n + 1:08d}"
        for user, side in ((mentor, "share"), (mentee, "learn")):
            people.append(_person(user, side, programme_id, rng.choice(OFFSETS), rng))
        started = NOW - timedelta(minutes=rng.randrange(int(ROUND.total_seconds() // 60)))
        pair_rows.append(
            {
                "id": n + 1,
                "team_id": TEAM,
                "programme_id": programme_id,
                "round_id": round_id,
                "mentor_id": mentor,
                "mentee_id": mentee,
                "channel_id": f"G{n:08d}",
                "status": "active",
                "goals": [],
                "started_at": started,
            }
        )
    history = _history(pair_rows, rng)
    with sessions.begin() as session:
        for model, rows in [(Participant, people), (Pair, pair_rows), *history.items()]:
            for start in range(0, len(rows), BATCH):
                session.execute(insert(model), rows[start : start + BATCH])
        if engine.dialect.name == "postgresql":
            session.execute(text("SELECT setval('pairs_id_seq', (SELECT max(id) FROM pairs))"))
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    engine.dispose()


def _person(user: str, side: str, programme_id: int, offset: int, rng: random.Random) -> Any:
    return {
        "team_id": TEAM,
        "user_id": user,
        "programme_id": programme_id,
        "side": side,
        "stage": 0 if side == "share" else 4,
        "department": f"Dept {rng.randrange(12)}",
        "manager_id": None,
        "manager_ref": None,
        "shares": ["digital_tools"] if side == "share" else ["leadership"],
        "share_other": "",
        "learns": ["leadership"] if side == "share" else ["digital_tools"],
        "learn_other": "",
        "style": "extrovert",
        "meeting": "video",
        "meetings_per_month": 2,
        "goal": "",
        "timezone": ZONES[offset],
        "utc_offset_minutes": offset,
        "paused": rng.random() < 0.03,
        "waited": False,
        "ground_rules_version": "1",
        "agreed_at": NOW - ROUND,
        "created_at": NOW - ROUND,
        "updated_at": NOW - ROUND,
    }


def _history(pairs: list[dict[str, Any]], rng: random.Random) -> dict[type[Any], list[Any]]:
    """What earlier ticks stored: 90% of pairs are up to date, the rest a period behind."""
    prompts: list[dict[str, Any]] = []
    requests: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    nudges: list[dict[str, Any]] = []
    for pair in pairs:
        started, pair_id = pair["started_at"], pair["id"]
        current = int((NOW - started) / CADENCE)
        done = current if rng.random() < 0.9 else current - 1
        for period in range(done + 1):
            prompts.append(
                {
                    "team_id": TEAM,
                    "pair_id": pair_id,
                    "period": period,
                    "prompt_id": f"digital_tools.p{period}",
                    "topic": "digital_tools",
                    "created_at": started + period * CADENCE,
                }
            )
        for period in range(done):
            for user in (pair["mentor_id"], pair["mentee_id"]):
                requests.append(
                    {
                        "team_id": TEAM,
                        "user_id": user,
                        "pair_id": pair_id,
                        "programme_id": pair["programme_id"],
                        "kind": "checkin",
                        "period": period,
                        "asked_at": started + (period + 1) * CADENCE,
                        "answered": rng.random() < 0.6,
                    }
                )
        days = sorted(rng.sample(range(max((NOW - started).days, 1)), k=min(3, current + 1)))
        if rng.random() < 0.8:
            meetings += [
                {
                    "team_id": TEAM,
                    "pair_id": pair_id,
                    "met_on": (started + timedelta(days=d)).date(),
                    "created_at": started + timedelta(days=d),
                }
                for d in days
            ]
        elif current >= 2:
            nudges.append(
                {
                    "team_id": TEAM,
                    "key": outbox_keys.nudge(pair_id, started.date()),
                    "user_id": None,
                    "method": "chat.postMessage",
                    "payload": {},
                    "status": "sent",
                    "not_before": NOW - CADENCE,
                    "attempts": 1,
                    "created_at": NOW - CADENCE,
                    "sent_at": NOW - CADENCE,
                }
            )
    return {PairPrompt: prompts, CheckinRequest: requests, Meeting: meetings, OutboxMessage: nudges}


Timings = dict[str, list[float]]


def measure(url: str, repeat: int) -> tuple[Timings, Due, int]:
    """Wall and CPU seconds of this process for `repeat` ticks of each kind (a fresh session
    each time; the first also builds the week and slot tables): the first tick after the
    upgrade, which decides for every pair; then, once a tick half an hour earlier has kept each
    pair's next check (storing none of what it found due, so the backlog is still due), a tick
    with the suggested times of the prompts due. The last decision, and how many times it
    suggested."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    settle()  # as the bot's processes do once started
    timings: Timings = {name: [] for name in ("first tick wall", "first tick cpu")}
    for _ in range(repeat):
        with sessions() as session:
            wall, cpu = time.perf_counter(), time.process_time()
            keep_going.decide(session=session, now=NOW, hour=10)
            timings["first tick wall"].append(time.perf_counter() - wall)
            timings["first tick cpu"].append(time.process_time() - cpu)
    with sessions.begin() as session:
        earlier = keep_going.decide(session=session, now=NOW - TICK, hour=10)
        next_checks.store(session=session, checks=earlier.later)
    if engine.dialect.name == "postgresql":  # as autovacuum does after that many updates
        with engine.connect() as connection:
            connection.execute(text("ANALYZE pairs"))
            connection.commit()
    for name in ("decide", "slots", "both"):
        timings |= {f"{name} wall": [], f"{name} cpu": []}
    due = Due()
    suggested = 0
    for _ in range(repeat):
        with sessions() as session:
            wall, cpu = time.perf_counter(), time.process_time()
            due = keep_going.decide(session=session, now=NOW, hour=10).due
            decided_wall, decided_cpu = time.perf_counter(), time.process_time()
            pairs = keep_going_store.active_pairs_by_id(
                session=session, pair_ids=[d.pair_id for d in due.prompts]
            )
            times_for = find_time.TimesForPairs(session, pairs.values())
            suggested = sum(
                len(times_for(pairs[d.pair_id], d.period, now=d.send_at))
                for d in due.prompts
                if d.pair_id in pairs
            )
            end_wall, end_cpu = time.perf_counter(), time.process_time()
        for name, value in (
            ("decide wall", decided_wall - wall),
            ("decide cpu", decided_cpu - cpu),
            ("slots wall", end_wall - decided_wall),
            ("slots cpu", end_cpu - decided_cpu),
            ("both wall", end_wall - wall),
            ("both cpu", end_cpu - cpu),
        ):
            timings[name].append(value)
    engine.dispose()
    return timings, due, suggested


def reset_postgres(url: str) -> None:
    """Drop everything in the benchmark's PostgreSQL database."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    """Build the database, time the decision, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    folder = None
    if args.database_url:
        url = Settings._database_url(args.database_url)
        if url.startswith("postgresql"):
            reset_postgres(url)
    else:
        folder = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(folder.name) / 'scheduler.db'}"
    migrate(url)
    started = time.perf_counter()
    fill(url, args.pairs)
    filled = time.perf_counter() - started
    timings, due, suggested = measure(url, args.repeat)
    backend = url.split(":", 1)[0].split("+", 1)[0]
    load = os.getloadavg()[0]
    print(  # noqa: T201
        f"backend: {backend}  active pairs: {args.pairs:,}  (filled in {filled:.1f} s, "
        f"load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    for name, runs in timings.items():
        print(  # noqa: T201
            f"{name:16}: min {min(runs):.3f} s  median {statistics.median(runs):.3f} s"
            f"  max {max(runs):.3f} s  over {args.repeat} ticks"
        )
    print(  # noqa: T201
        f"due: prompts {len(due.prompts):,}  nudges {len(due.nudges):,}  "
        f"check-ins {len(due.checkins):,}  suggested times {suggested:,}"
    )
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
