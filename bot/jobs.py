"""The scheduler: a few named jobs, each one pass over stored state; runnable on demand."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.flows import rounds
from bot.flows.delivery import deliver_due
from bot.runtime import Runtime
from bot.slack.notifier import SlackNotifier, start_pairs

log = logging.getLogger(__name__)


def deliver(runtime: Runtime, now: datetime) -> None:
    """Send stored messages that are due, paced, within most of one tick."""
    report = deliver_due(
        runtime.sessions,
        runtime.client,
        now=now,
        clock=runtime.clock,
        # Ends before the next tick is due, so a backlog never makes the scheduler skip a tick.
        budget=timedelta(seconds=runtime.settings.tick_seconds * 0.8),
    )
    if report.sent or report.retrying or report.failed or report.expired or report.deferred:
        log.info(
            "delivery: sent=%d retrying=%d failed=%d expired=%d deferred=%d",
            report.sent,
            report.retrying,
            report.failed,
            report.expired,
            report.deferred,
        )


def expire_proposals(runtime: Runtime, now: datetime) -> None:
    """Close proposals nobody answered in time; both people are told."""
    with runtime.sessions.begin() as session:
        expired = rounds.expire_due(session=session, now=now, notifier=SlackNotifier())
    if expired:
        log.info("proposals expired: %d", expired)


def kick_off_pairs(runtime: Runtime, now: datetime) -> None:
    """Open group DMs for new pairs whose kick-off is not out yet."""
    start_pairs(runtime.sessions, runtime.client, now=now, notifier=SlackNotifier())


# In order: what the first jobs store, the last one sends in the same pass.
JOBS: dict[str, Callable[[Runtime, datetime], None]] = {
    "expire_proposals": expire_proposals,
    "kick_off_pairs": kick_off_pairs,
    "deliver": deliver,
}


def tick(runtime: Runtime, *, now: datetime) -> None:
    """Run every job once, in order; a failing job is logged and the others still run."""
    for name, job in JOBS.items():
        try:
            job(runtime, now)
        except Exception:
            log.exception("job failed: %s", name)


def _scheduled_tick(runtime: Runtime) -> None:
    tick(runtime, now=datetime.now(UTC))


def start_background(runtime: Runtime) -> BackgroundScheduler:
    """Start the tick in a background thread of this process (the embedded default)."""
    scheduler = BackgroundScheduler(daemon=True, timezone=UTC)
    _add_tick(scheduler, runtime)
    scheduler.start()
    return scheduler


def run_clock(runtime: Runtime) -> None:
    """Run the tick in the foreground: the Procfile's `clock` process."""
    scheduler = BlockingScheduler(timezone=UTC)
    _add_tick(scheduler, runtime)
    scheduler.start()


def _add_tick(scheduler: BackgroundScheduler | BlockingScheduler, runtime: Runtime) -> None:
    # One instance at a time; a tick missed while the process was busy or down is run once,
    # not replayed: every job derives what is due from the database anyway.
    scheduler.add_job(
        _scheduled_tick,
        "interval",
        seconds=runtime.settings.tick_seconds,
        args=[runtime],
        id="tick",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
