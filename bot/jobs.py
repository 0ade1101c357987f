"""The scheduler: a few named jobs, each one pass over stored state; runnable on demand."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.flows import (
    ballots,
    find_time,
    first_mover,
    ghosts,
    keep_going,
    pause_until,
    retention,
    round_end,
    rounds,
)
from bot.runtime import Runtime
from bot.scim.lookups import look_up_waiting
from bot.slack.outbox.delivery import deliver_due
from bot.slack.outbox.group_dms import SlackGroupDMs
from bot.store import ballots as ballots_store
from bot.store import events, signatures

# Slack retries an event three times within minutes; an hour leaves a wide margin.
SEEN_EVENTS_KEPT = timedelta(hours=1)
# A signature is refused by its timestamp five minutes either side of it; kept twice that, a
# replay is refused for as long as its timestamp could still pass.
SEEN_SIGNATURES_KEPT = timedelta(minutes=10)

log = logging.getLogger(__name__)


def deliver(runtime: Runtime, now: datetime) -> None:
    """Send stored messages that are due, paced, within most of one tick."""
    report = deliver_due(
        runtime.sessions,
        runtime.clients,
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


def resume_paused(runtime: Runtime, now: datetime) -> None:
    """Un-pause people whose pause date's morning has come in their zone; each is told once."""
    with runtime.sessions.begin() as session:
        resumed = pause_until.resume_due(session=session, now=now, notifier=runtime.notifier)
    if resumed:
        log.info("pauses ended on their date: %d", resumed)


def expire_proposals(runtime: Runtime, now: datetime) -> None:
    """Close proposals nobody answered in time; both people are told."""
    with runtime.sessions.begin() as session:
        expired = rounds.expire_due(session=session, now=now, notifier=runtime.notifier)
    if expired:
        log.info("proposals expired: %d", expired)


def remind_consent(runtime: Runtime, now: datetime) -> None:
    """A day before a proposal closes, remind whoever has not answered (once)."""
    with runtime.sessions.begin() as session:
        reminded = rounds.remind_due(session=session, now=now, notifier=runtime.notifier)
    if reminded:
        log.info("consent reminders: %d", reminded)


def kick_off_pairs(runtime: Runtime, now: datetime) -> None:
    """Open group DMs for new pairs whose kick-off is not out yet."""
    rounds.start_pairs(
        runtime.sessions,
        group_dms=SlackGroupDMs(runtime.clients.for_team),
        now=now,
        notifier=runtime.notifier,
    )


def send_closing_surveys(runtime: Runtime, now: datetime) -> None:
    """Ask both people of each pair whose round has ended: carry on, new partner or stop."""
    with runtime.sessions.begin() as session:
        asked = round_end.send_surveys(
            session=session,
            now=now,
            notifier=runtime.notifier,
            hour=runtime.settings.prompt_hour,
        )
    if asked:
        log.info("closing surveys: %d", asked)


def close_unanswered_rounds(runtime: Runtime, now: datetime) -> None:
    """End pairs whose closing survey went unanswered: both go back to the pool."""
    with runtime.sessions.begin() as session:
        ended = round_end.close_overdue(session=session, now=now, notifier=runtime.notifier)
    if ended:
        log.info("pairs ended after an unanswered closing survey: %d", ended)


def keep_pairs_going(runtime: Runtime, now: datetime) -> None:
    """Store each active pair's due prompt, nudge and check-ins (the current period's only)."""
    report = keep_going.run(
        runtime.sessions, now=now, hour=runtime.settings.prompt_hour, notifier=runtime.notifier
    )
    log.info(
        "keep pairs going: prompts=%d nudges=%d checkins=%d",
        report.prompts,
        report.nudges,
        report.checkins,
    )


def ask_did_it_happen(runtime: Runtime, now: datetime) -> None:
    """Ask each pair whose planned meeting is over, once: did it happen?"""
    with runtime.sessions.begin() as session:
        asked = find_time.ask_did_it_happen(session=session, now=now, notifier=runtime.notifier)
    if asked:
        log.info("did it happen, asked: %d", asked)


def remind_first_movers(runtime: Runtime, now: datetime) -> None:
    """Remind each first mover whose pair planned nothing in five working days (once)."""
    with runtime.sessions.begin() as session:
        reminded = first_mover.remind_first_movers(
            session=session, now=now, notifier=runtime.notifier
        )
    if reminded:
        log.info("first movers reminded: %d", reminded)


def ask_the_quiet(runtime: Runtime, now: datetime) -> None:
    """Ask anyone silent for two periods, once, whether they are still in; pause those who
    leave that unanswered for one more period (their pair ends kindly)."""
    with runtime.sessions.begin() as session:
        report = ghosts.run(
            session=session, now=now, hour=runtime.settings.prompt_hour, notifier=runtime.notifier
        )
    if report.asked or report.paused or report.settled:
        log.info(
            "ghosts: asked=%d paused=%d settled=%d", report.asked, report.paused, report.settled
        )


def mix_ballots(runtime: Runtime, now: datetime) -> None:  # noqa: ARG001
    """Store each block of waiting answers that got a new one again, in a new random order, so
    nothing on disk says when an answer was given."""
    with runtime.sessions.begin() as session:
        mixed = ballots_store.mix(session=session)
    if mixed:
        log.info("ballots mixed: %d", mixed)


def close_periods(runtime: Runtime, now: datetime) -> None:
    """Release the answers of closed periods (in random order, once k people answered) and
    freeze the people figures, for stats."""
    with runtime.sessions.begin() as session:
        closed = ballots.close_periods(session=session, now=now)
    if closed.programmes:
        log.info(
            "periods closed: programmes=%d blocks=%d answers=%d snapshots=%d",
            closed.programmes,
            closed.blocks,
            closed.answers,
            closed.snapshots,
        )


def forget_seen_events(runtime: Runtime, now: datetime) -> None:
    """Drop the ids of events older than any retry Slack would still send, and the signatures
    of requests whose timestamp would be refused anyway."""
    with runtime.sessions.begin() as session:
        events.forget_before(session=session, before=now - SEEN_EVENTS_KEPT)
        signatures.forget_before(session=session, before=now - SEEN_SIGNATURES_KEPT)


def apply_retention(runtime: Runtime, now: datetime) -> None:
    """Delete personal data past RETENTION_MONTHS and audit entries past AUDIT_RETENTION_MONTHS."""
    settings = runtime.settings
    with runtime.sessions.begin() as session:
        report = retention.apply(
            session=session,
            now=now,
            months=settings.retention_months,
            audit_months=settings.audit_retention_months,
        )
    if report.programmes or report.audit_entries:
        log.info(
            "retention: programmes=%d people=%d audit_entries=%d",
            report.programmes,
            report.people,
            report.audit_entries,
        )


def look_up_directory(runtime: Runtime, now: datetime) -> None:
    """Find in Slack the SCIM users not found yet (a bounded number per tick)."""
    found = look_up_waiting(runtime, now)
    if found:
        log.info("scim users found in slack: %d", found)


# In order: what the first jobs store, the last one sends in the same pass.
JOBS: dict[str, Callable[[Runtime, datetime], None]] = {
    "resume_paused": resume_paused,
    "scim_lookups": look_up_directory,
    "expire_proposals": expire_proposals,
    "remind_consent": remind_consent,
    "kick_off_pairs": kick_off_pairs,
    "send_closing_surveys": send_closing_surveys,
    "close_unanswered_rounds": close_unanswered_rounds,
    "keep_pairs_going": keep_pairs_going,
    "ask_did_it_happen": ask_did_it_happen,
    "remind_first_movers": remind_first_movers,
    "ask_the_quiet": ask_the_quiet,
    "deliver": deliver,
    "mix_ballots": mix_ballots,
    "close_periods": close_periods,
    "forget_seen_events": forget_seen_events,
    "apply_retention": apply_retention,
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
