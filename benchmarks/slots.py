"""Benchmark of suggesting meeting times: three slots for each of N random pairs.

Run: ``python benchmarks/slots.py [--pairs 20000] [--repeat 7]``

People live in the eight time zones of ``benchmarks/scheduler.py`` (by name), most with the
default hours (09:00-17:00, Monday to Friday), a fifth with their own (07:00-10:30 to
15:00-19:00, some Monday to Thursday), most with their country's public holidays. Each pair
started somewhere in the last twelve weeks with a two-week cadence; its slots are suggested
for its current period at one moment. The first run starts from empty caches (each distinct
hours' UTC week tables, the pairs' shared windows, the holiday calendars); the others are
what every later tick costs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain import slots, working_hours  # noqa: E402
from bot.domain.slots import suggest_times  # noqa: E402
from bot.domain.working_hours import WorkingHours  # noqa: E402

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday morning in London
CADENCE, ROUND = timedelta(weeks=2), timedelta(weeks=12)
ZONES = [
    ("America/Los_Angeles", "US"),
    ("America/New_York", "US"),
    ("Europe/London", "GB"),
    ("Europe/Berlin", "DE"),
    ("Europe/Helsinki", "FI"),
    ("Asia/Kolkata", "IN"),
    ("Asia/Singapore", "SG"),
    ("Asia/Tokyo", "JP"),
]
Pair = tuple[WorkingHours, WorkingHours, datetime, datetime]


def person(rng: random.Random) -> WorkingHours:
    """One person's hours: a new object each, as loaded from the database."""
    tz, country = rng.choice(ZONES)
    holidays = country if rng.random() < 0.7 else None
    if rng.random() < 0.8:
        return WorkingHours(tz=tz, country=holidays)
    start = time(7 + rng.randrange(8) // 2, 30 * rng.randrange(2))
    end = time(15 + rng.randrange(5))
    days = frozenset(range(4 if rng.random() < 0.2 else 5))
    return WorkingHours(tz=tz, start=start, end=end, days=days, country=holidays)


def make_pairs(count: int, seed: int = 1) -> list[Pair]:
    """N pairs of two random people, each in the current period of its round."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        started = NOW - ROUND * rng.random()
        period_start = started + (NOW - started) // CADENCE * CADENCE
        pairs.append((person(rng), person(rng), period_start, period_start + CADENCE))
    return pairs


def clear_caches() -> None:
    """Forget every table built so far, as in a fresh process."""
    working_hours.week_intervals.cache_clear()
    working_hours.shared_week.cache_clear()
    working_hours.holiday_dates.cache_clear()
    slots._plan.cache_clear()


def run(pairs: list[Pair], *, skip: int = 0) -> tuple[float, int]:
    """Seconds to suggest three slots for every pair, and how many slots were found."""
    found = 0
    started = clock.perf_counter()
    for a, b, period_start, period_end in pairs:
        found += len(
            suggest_times(
                a,
                b,
                period_start=period_start,
                period_end=period_end,
                length_minutes=30,
                now=NOW,
                skip=skip,
            )
        )
    return clock.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    pairs = make_pairs(args.pairs)
    clear_caches()
    cold, found = run(pairs)
    warm = [run(pairs)[0] for _ in range(args.repeat)]
    other = [run(pairs, skip=3)[0] for _ in range(args.repeat)]
    none = sum(1 for a, b, *_ in pairs if not working_hours.enough_overlap(a, b, 1))
    median = statistics.median(warm)
    print(f"pairs: {args.pairs}, slots found: {found}, pairs with no shared hours: {none}")
    print(f"first run (empty caches): {cold:.3f} s")
    print(
        f"suggest 3 slots, {args.repeat} runs: min {min(warm):.3f} s, median {median:.3f} s, "
        f"max {max(warm):.3f} s ({median / args.pairs * 1e6:.1f} µs a pair)"
    )
    print(f"'Other times' (skip=3), median: {statistics.median(other):.3f} s")


if __name__ == "__main__":
    main()
